import { describe, expect, test } from 'vitest';
import { isInstanceId, sameArn } from '../../src/model/arn.js';
import type { AuthenticationMode, ClusterInfo, Evidence } from '../../src/model/evidence.js';
import { simulate } from '../../src/model/simulate.js';
import { renderTemplate } from '../../src/model/templates.js';
import { ACCOUNT, awsAuthFrom, clusterIn, entry, principal } from '../helpers/evidence.js';

const clusterWith = (mode: AuthenticationMode, fields: Partial<ClusterInfo>): ClusterInfo => ({
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: mode,
  ...fields,
});
const jane = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`);
const creatorStep = (evidence: Evidence) => simulate(jane, evidence).steps.find((s) => s.title === 'Cluster creator');

describe('the cluster creator', () => {
  test('a creator role with an IAM path is the role its sessions come from (STS drops the path)', () => {
    const sim = simulate(jane, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({}),
      creator: { arn: `arn:aws:iam::${ACCOUNT}:role/platform/team/Admin`, source: 'flag' },
    });
    expect(sim.decision).toMatchObject({ authenticated: true, source: 'cluster-creator', groups: ['system:masters'] });
  });

  test('the creator ARN in another case is the same role', () => {
    const sim = simulate(jane, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({}),
      creator: { arn: `arn:aws:iam::${ACCOUNT}:role/ADMIN`, source: 'flag' },
    });
    expect(sim.decision).toMatchObject({ authenticated: true, source: 'cluster-creator' });
  });

  test('bootstrap off with the access entries unread: no admin, not an assumed entry', () => {
    const step = creatorStep({
      cluster: clusterWith('API_AND_CONFIG_MAP', { bootstrapClusterCreatorAdminPermissions: false }),
      awsAuth: awsAuthFrom({}),
      creator: { arn: `arn:aws:iam::${ACCOUNT}:role/Admin`, source: 'flag' },
    });
    expect(step).toMatchObject({ status: 'fail' });
    expect(step?.detail).toContain('bootstrapClusterCreatorAdminPermissions=false');
  });

  test('bootstrap on with the access entries unread: the creator entry is assumed, and says so', () => {
    const sim = simulate(jane, {
      cluster: clusterWith('API_AND_CONFIG_MAP', { bootstrapClusterCreatorAdminPermissions: true }),
      awsAuth: awsAuthFrom({}),
      creator: { arn: `arn:aws:iam::${ACCOUNT}:role/Admin`, source: 'flag' },
    });
    expect(sim.steps.find((s) => s.title === 'Cluster creator')?.status).toBe('warn');
    expect(sim.decision).toMatchObject({ authenticated: true, source: 'cluster-creator' });
  });
});

describe('ARNs compare case-insensitively', () => {
  test.each([
    [`arn:aws:iam::${ACCOUNT}:role/Admin`, `arn:aws:iam::${ACCOUNT}:role/admin`, true],
    [`arn:aws:iam::${ACCOUNT}:role/Admin`, `ARN:AWS:IAM::${ACCOUNT}:ROLE/ADMIN`, true],
    [`arn:aws:iam::${ACCOUNT}:role/Admin`, `arn:aws:iam::${ACCOUNT}:role/Admins`, false],
    [`arn:aws:iam::${ACCOUNT}:role/Admin`, `arn:aws:iam::444455556666:role/Admin`, false],
  ])('%s vs %s → %s', (a, b, same) => {
    expect(sameArn(a, b)).toBe(same);
  });

  test('an access entry written in another case maps the principal', () => {
    const sim = simulate(jane, {
      cluster: clusterIn('API'),
      accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/admin`, { kubernetesGroups: ['ops'] })],
    });
    expect(sim.decision).toMatchObject({ authenticated: true, source: 'access-entry', groups: ['ops'] });
  });
});

describe('EC2 instance ids: i- and exactly 8 or 17 word characters', () => {
  test.each([
    ['i-12345678', true],
    ['i-0c6f21bf1f24f9708', true],
    ['i-1234567', false],
    ['i-123456789', false],
    ['i-0c6f21bf1f24f970', false],
    ['i-0c6f21bf1f24f97080', false],
    ['i-12345678/extra', false],
    ['x-12345678', false],
    ['ji-12345678', false],
    ['i-', false],
  ])('%s → %s', (id, valid) => {
    expect(isInstanceId(id)).toBe(valid);
    expect(renderTemplate('system:node:{{EC2PrivateDNSName}}', { accountId: ACCOUNT, sessionName: id }).ok).toBe(valid);
  });
});
