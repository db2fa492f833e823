import { describe, expect, test } from 'vitest';
import type { Evidence } from '../../src/model/evidence.js';
import { simulate } from '../../src/model/simulate.js';
import { renderTemplate } from '../../src/model/templates.js';
import { defaultEntryUsername } from '../../src/model/access-entries.js';
import { awsAuthFrom, entry, principal } from '../helpers/evidence.js';

const alice = principal('arn:aws:sts::111122223333:assumed-role/Admin/alice');
const row = (arn: string, username = 'admin', groups = '[system:masters]') =>
  `- rolearn: ${arn}\n  username: ${username}\n  groups: ${groups}\n`;
const run = (evidence: Evidence, who = alice) => simulate(who, evidence);

describe('matching aws-auth rows (vectors M)', () => {
  test('M1 matches case-insensitively', () => {
    expect(run({ awsAuth: awsAuthFrom({ mapRoles: row('arn:aws:iam::111122223333:role/admin') }) }).decision).toEqual({
      authenticated: true,
      source: 'aws-auth',
      username: 'admin',
      groups: ['system:masters'],
    });
  });

  test('M2 a row with a path never matches, and is named as the near miss', () => {
    const sim = run({ awsAuth: awsAuthFrom({ mapRoles: row('arn:aws:iam::111122223333:role/team/Admin') }) });
    expect(sim.decision.authenticated).toBe(false);
    expect(sim.failureMessage).toBe('identity is not mapped');
    expect(sim.nearMisses.map((m) => m.checkId)).toEqual(['aws-auth/role-arn-has-path']);
  });

  test('M3 an STS session ARN as rolearn never matches', () => {
    const sim = run({ awsAuth: awsAuthFrom({ mapRoles: row('arn:aws:sts::111122223333:assumed-role/Admin/alice') }) });
    expect(sim.decision.authenticated).toBe(false);
    expect(sim.nearMisses.map((m) => m.checkId)).toEqual(['aws-auth/assumed-role-arn']);
  });

  test('M5 mapAccounts authenticates with the canonical ARN and no groups', () => {
    const sim = run({ awsAuth: awsAuthFrom({ mapAccounts: '- "111122223333"\n' }) });
    expect(sim.decision).toEqual({
      authenticated: true,
      source: 'aws-auth',
      username: 'arn:aws:iam::111122223333:role/Admin',
      groups: [],
    });
    expect(sim.authorization.likelyForbidden).toBe(true);
  });

  test('a role mapped under mapUsers still matches (EKS looks in both maps)', () => {
    const sim = run({
      awsAuth: awsAuthFrom({ mapUsers: '- userarn: arn:aws:iam::111122223333:role/Admin\n  username: u\n' }),
    });
    expect(sim.decision).toMatchObject({ authenticated: true, username: 'u' });
  });

  test('a human session matched by a node row fails template rendering: 401', () => {
    const sim = run({
      awsAuth: awsAuthFrom({
        mapRoles: row('arn:aws:iam::111122223333:role/Admin', 'system:node:{{EC2PrivateDNSName}}', '[system:nodes]'),
      }),
    });
    expect(sim.decision.authenticated).toBe(false);
    expect(sim.failureMessage).toContain('SessionName did not contain an instance id');
  });

  test('an unparseable mapRoles loses the principal row: near miss yaml-invalid', () => {
    const sim = run({
      awsAuth: awsAuthFrom({
        mapRoles: `${row('arn:aws:iam::111122223333:role/Admin')}- rolearn: arn:aws:iam::1:role/x\n  username: {{SessionName}}\n`,
      }),
    });
    expect(sim.decision.authenticated).toBe(false);
    expect(sim.nearMisses.map((m) => m.checkId)).toEqual(['aws-auth/yaml-invalid']);
  });
});

describe('authentication modes and access entries', () => {
  const mapped = awsAuthFrom({ mapRoles: row('arn:aws:iam::111122223333:role/Admin') });
  const cluster = (authenticationMode: 'CONFIG_MAP' | 'API_AND_CONFIG_MAP' | 'API') => ({
    name: 'c',
    accountId: '111122223333',
    authenticationMode,
  });

  test('API ignores aws-auth', () => {
    const sim = run({ cluster: cluster('API'), awsAuth: mapped, accessEntries: [] });
    expect(sim.decision.authenticated).toBe(false);
    expect(sim.nearMisses.map((m) => m.checkId)).toEqual(['mode/api-ignores-aws-auth']);
  });

  test('API_AND_CONFIG_MAP: an entry replaces the aws-auth row (not merged)', () => {
    const sim = run({
      cluster: cluster('API_AND_CONFIG_MAP'),
      awsAuth: mapped,
      accessEntries: [entry('arn:aws:iam::111122223333:role/ops/Admin')],
    });
    expect(sim.decision).toEqual({
      authenticated: true,
      source: 'access-entry',
      username: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
      groups: [],
    });
    expect(sim.authorization.likelyForbidden).toBe(true);
    expect(sim.principalRows).toHaveLength(1);
  });

  test('API_AND_CONFIG_MAP falls back to aws-auth when no entry matches', () => {
    expect(run({ cluster: cluster('API_AND_CONFIG_MAP'), awsAuth: mapped, accessEntries: [] }).decision.source).toBe(
      'aws-auth',
    );
  });

  test('CONFIG_MAP does not read access entries', () => {
    expect(
      run({
        cluster: cluster('CONFIG_MAP'),
        accessEntries: [entry('arn:aws:iam::111122223333:role/Admin')],
        awsAuth: awsAuthFrom({}),
      }).decision.authenticated,
    ).toBe(false);
  });

  test('M8 the default username of a role entry drops the path', () => {
    expect(defaultEntryUsername(entry('arn:aws:iam::111122223333:role/development/apps/my-role'))).toBe(
      'arn:aws:sts::111122223333:assumed-role/my-role/{{SessionName}}',
    );
  });

  test('the cluster creator in CONFIG_MAP is system:masters, seen nowhere', () => {
    const sim = run({
      cluster: cluster('CONFIG_MAP'),
      awsAuth: awsAuthFrom({}),
      creator: { arn: 'arn:aws:iam::111122223333:role/Admin', source: 'flag' },
    });
    expect(sim.decision).toMatchObject({ authenticated: true, source: 'cluster-creator', groups: ['system:masters'] });
  });

  test('the creator with bootstrap off gets nothing', () => {
    const sim = run({
      cluster: { ...cluster('API'), bootstrapClusterCreatorAdminPermissions: false },
      accessEntries: [],
      creator: { arn: 'arn:aws:iam::111122223333:role/Admin', source: 'flag' },
    });
    expect(sim.decision.authenticated).toBe(false);
  });

  test('missing evidence leaves the outcome undetermined', () => {
    expect(run({ cluster: cluster('CONFIG_MAP') }).determined).toBe(false);
  });

  test('an unknown creator: offline, how to give it; after a live run, why CloudTrail did not say', () => {
    const creatorStep = (evidence: Evidence) => run(evidence).steps.find((s) => s.title === 'Cluster creator')?.detail;
    expect(creatorStep({ cluster: cluster('CONFIG_MAP') })).toBe(
      'creator unknown (pass --creator ARN, or run doctor to read CloudTrail)',
    );
    const lookup = { name: 'c', region: 'eu-west-1', regionSource: '--region', found: true };
    expect(creatorStep({ cluster: cluster('CONFIG_MAP'), clusterLookup: lookup })).toContain(
      'CloudTrail has no CreateCluster event for this cluster in the last 90 days',
    );
  });
});

describe('templates (vector M6)', () => {
  const ctx = (sessionName?: string) => ({
    accountId: '123',
    accessKeyId: '321',
    ...(sessionName !== undefined ? { sessionName } : {}),
  });
  test.each([
    ['a-{{AccountID}}-b', 'jdoe', 'a-123-b'],
    ['a-{{AccessKeyID}}-b', 'jdoe', 'a-321-b'],
    ['a-{{SessionName}}-b', 'jdoe', 'a-jdoe-b'],
    ['a-{{SessionName}}-b', 'jdoe@example.com', 'a-jdoe-example.com-b'],
    ['a-{{SessionNameRaw}}-b', 'jdoe@example.com', 'a-jdoe@example.com-b'],
    [
      'a-{{AccountID}}-{{SessionName}}-{{SessionNameRaw}}-b',
      'jdoe@example.com',
      'a-123-jdoe-example.com-jdoe@example.com-b',
    ],
    ['a-{{Session}}-b', 'jdoe', 'a-{{Session}}-b'],
  ])('%s with session %s → %s', (template, session, expected) => {
    expect(renderTemplate(template, ctx(session))).toEqual({ ok: true, value: expected });
  });

  test('EC2PrivateDNSName needs an instance-id session', () => {
    expect(renderTemplate('a-{{EC2PrivateDNSName}}-b', ctx('i-aaaaa')).ok).toBe(false);
    expect(renderTemplate('system:node:{{EC2PrivateDNSName}}', ctx('i-0c6f21bf1f24f9708')).ok).toBe(true);
  });
});
