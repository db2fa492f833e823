import { describe, expect, test } from 'vitest';
import { principalArnOf } from '../../src/model/arn.js';
import type { AccessEntry, Evidence } from '../../src/model/evidence.js';
import { creatorFromArn } from '../../src/model/principal.js';
import { CONFIG_MAP_CREATOR_GROUPS, CONFIG_MAP_CREATOR_USERNAME, simulate } from '../../src/model/simulate.js';
import { awsAuthFrom, entry, principal } from '../helpers/evidence.js';

const ACCOUNT = '111122223333';
const cluster = (authenticationMode: 'CONFIG_MAP' | 'API_AND_CONFIG_MAP' | 'API') => ({
  name: 'c',
  accountId: ACCOUNT,
  authenticationMode,
});

describe('{{SessionName}} and {{SessionNameRaw}} of principals without a session render as ""', () => {
  const user = principal(`arn:aws:iam::${ACCOUNT}:user/ci`);
  const root = principal(`arn:aws:iam::${ACCOUNT}:root`);
  test.each<[string, string, string]>([
    ['aws-auth row, SessionName', 'ci-{{SessionName}}', 'ci-'],
    ['aws-auth row, SessionNameRaw', 'ci:{{SessionNameRaw}}', 'ci:'],
    ['aws-auth row, both and AccountID', '{{AccountID}}:{{SessionName}}:{{SessionNameRaw}}', `${ACCOUNT}::`],
  ])('IAM user, %s: %s → %s', (_, username, expected) => {
    const awsAuth = awsAuthFrom({
      mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/ci\n  username: "${username}"\n  groups: [dev]\n`,
    });
    const sim = simulate(user, { cluster: cluster('CONFIG_MAP'), awsAuth });
    expect(sim.decision).toMatchObject({ authenticated: true, username: expected });
  });

  test.each<[string, string]>([
    ['access entry, SessionName', 'ci:{{SessionName}}'],
    ['access entry, SessionNameRaw', 'ci:{{SessionNameRaw}}'],
  ])('IAM user, %s renders as "ci:"', (_, username) => {
    const sim = simulate(user, {
      cluster: cluster('API'),
      accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:user/ci`, { username })],
    });
    expect(sim.decision).toMatchObject({ authenticated: true, source: 'access-entry', username: 'ci:' });
  });

  test('a --session-name given for a user is ignored: users have no session', () => {
    expect(principal(`arn:aws:iam::${ACCOUNT}:user/ci`, 'whatever').sessionName).toBe('');
    expect(root.sessionName).toBe('');
  });

  test('{{EC2PrivateDNSName}} for a user fails the request, as for any non-instance session', () => {
    const awsAuth = awsAuthFrom({
      mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/ci\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:nodes]\n`,
    });
    expect(simulate(user, { cluster: cluster('CONFIG_MAP'), awsAuth }).decision.authenticated).toBe(false);
  });
});

describe('a creator given as an STS session ARN means its role', () => {
  const session = `arn:aws:sts::${ACCOUNT}:assumed-role/platform-admin/alice`;
  test.each<[string, string, string]>([
    ['session ARN', session, `arn:aws:iam::${ACCOUNT}:role/platform-admin`],
    [
      'IAM role ARN with path',
      `arn:aws:iam::${ACCOUNT}:role/team/platform-admin`,
      `arn:aws:iam::${ACCOUNT}:role/platform-admin`,
    ],
    ['IAM user', `arn:aws:iam::${ACCOUNT}:user/owner`, `arn:aws:iam::${ACCOUNT}:user/owner`],
    ['surrounding blanks', `  ${session} `, `arn:aws:iam::${ACCOUNT}:role/platform-admin`],
  ])('principalArnOf(%s)', (_, input, expected) => {
    expect(principalArnOf(input)).toBe(expected);
  });

  test('creatorFromArn keeps the session aside and names the role', () => {
    expect(creatorFromArn(session, 'flag')).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:role/platform-admin`,
      source: 'flag',
      sessionArn: session,
    });
    expect(creatorFromArn(`arn:aws:iam::${ACCOUNT}:role/x`, 'cloudtrail')).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:role/x`,
      source: 'cloudtrail',
    });
  });

  test.each<[string, string]>([
    ['another session of the role', `arn:aws:sts::${ACCOUNT}:assumed-role/platform-admin/bob`],
    ['the role itself', `arn:aws:iam::${ACCOUNT}:role/platform-admin`],
    ['the role with its path', `arn:aws:iam::${ACCOUNT}:role/ops/platform-admin`],
  ])('%s is the creator, whether the creator evidence is the raw session or canonicalised', (_, who) => {
    for (const creator of [{ arn: session, source: 'flag' as const }, creatorFromArn(session, 'flag')]) {
      const sim = simulate(principal(who), { cluster: cluster('CONFIG_MAP'), awsAuth: awsAuthFrom({}), creator });
      expect(sim.isCreator).toBe(true);
      expect(sim.decision).toMatchObject({ authenticated: true, source: 'cluster-creator' });
    }
  });

  test('another role is not the creator', () => {
    const sim = simulate(principal(`arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`), {
      cluster: cluster('CONFIG_MAP'),
      awsAuth: awsAuthFrom({}),
      creator: creatorFromArn(session, 'flag'),
    });
    expect(sim.isCreator).toBe(false);
    expect(sim.decision.authenticated).toBe(false);
  });

  test('CONFIG_MAP creator: username kubernetes-admin, group system:masters (AWS knowledge center)', () => {
    expect(CONFIG_MAP_CREATOR_USERNAME).toBe('kubernetes-admin');
    expect(CONFIG_MAP_CREATOR_GROUPS).toEqual(['system:masters']);
    const sim = simulate(principal(session), {
      cluster: cluster('CONFIG_MAP'),
      awsAuth: awsAuthFrom({}),
      creator: creatorFromArn(session, 'cloudtrail'),
    });
    expect(sim.decision).toEqual({
      authenticated: true,
      source: 'cluster-creator',
      username: 'kubernetes-admin',
      groups: ['system:masters'],
    });
  });
});

describe('node access-entry types and their session names', () => {
  const nodeEntry = (type: string, arn: string): AccessEntry => ({
    ...entry(arn),
    type,
    associatedAccessPolicies: undefined,
  });
  test.each<[string, string, string, string]>([
    [
      'FARGATE_LINUX',
      'pod-exec',
      'fargate-ip-10-0-1-23.eu-west-1.compute.internal',
      'system:node:fargate-ip-10-0-1-23.eu-west-1.compute.internal',
    ],
    ['HYBRID_LINUX', 'hybrid-nodes', 'mi-0123456789abcdef0', 'system:node:mi-0123456789abcdef0'],
    ['HYPERPOD_LINUX', 'hyperpod', 'sagemaker-node-1', 'system:node:sagemaker-node-1'],
  ])('%s: session %s is the node name, not an error', (type, role, session, username) => {
    const who = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`);
    const sim = simulate(who, {
      cluster: cluster('API'),
      accessEntries: [nodeEntry(type, `arn:aws:iam::${ACCOUNT}:role/${role}`)],
    });
    expect(sim.decision).toMatchObject({ authenticated: true, username, groups: ['system:nodes'] });
  });

  test.each(['EC2', 'EC2_LINUX', 'EC2_WINDOWS'])('%s: an instance-id session renders the private DNS name', (type) => {
    const who = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/nodes/i-0123456789abcdef0`);
    const sim = simulate(who, {
      cluster: cluster('API'),
      accessEntries: [nodeEntry(type, `arn:aws:iam::${ACCOUNT}:role/nodes`)],
    });
    expect(sim.decision.authenticated).toBe(true);
    expect(sim.decision.username).toContain('system:node:');
  });
});

describe('an unreadable cluster leaves the mode open: no assumed mode decides', () => {
  const creatorSession = `arn:aws:sts::${ACCOUNT}:assumed-role/platform-admin/alice`;
  const unreadable: Evidence = {
    creator: creatorFromArn(creatorSession, 'cloudtrail'),
    unavailable: { cluster: 'eks:DescribeCluster could not be reached: ECONNREFUSED' },
  };
  test('the creator is not "authenticated via cluster-creator" when the mode is unknown', () => {
    const sim = simulate(principal(creatorSession), unreadable);
    expect(sim.determined).toBe(false);
    expect(sim.decision.authenticated).toBe(false);
    expect(sim.unread).toContain('cluster');
    expect(sim.steps.find((s) => s.title === 'Authentication mode')?.detail).toContain('unknown: could not check');
  });
  test('offline, without --mode, the documented assumption still applies', () => {
    const sim = simulate(principal(creatorSession), {
      creator: creatorFromArn(creatorSession, 'flag'),
      awsAuth: awsAuthFrom({}),
    });
    expect(sim.determined).toBe(true);
    expect(sim.decision.source).toBe('cluster-creator');
  });
});
