import { describe, expect, test } from 'vitest';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import type { Evidence } from '../../src/model/evidence.js';
import { CLUSTER, kubeconfig } from '../checks/_live.js';
import { ACCOUNT, awsAuthFrom, principal } from '../helpers/evidence.js';

// The doctor compares the model's prediction with what the API server answered. In the sandbox both come
// from the same simulate(), so they agree by construction; these cases build the disagreement by hand.
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const mapped: Evidence = {
  cluster: {
    name: 'prod',
    region: 'eu-west-1',
    accountId: ACCOUNT,
    authenticationMode: 'CONFIG_MAP',
    status: 'ACTIVE',
  },
  principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`),
  awsAuth: awsAuthFrom({ mapRoles: `- rolearn: ${ADMIN}\n  username: admin\n  groups: [system:masters]\n` }),
};
const comparison = (evidence: Evidence) =>
  buildDoctorReport(evidence, 'prod').steps?.find((s) => s.title === 'Prediction vs observation');

describe('doctor: prediction vs observation', () => {
  test('predicted authenticated, observed 401: a disagreement, never "agree"', () => {
    const step = comparison({ ...mapped, probe: { status: 401, error: 'Unauthorized' } });
    expect(step?.status).toBe('warn');
    expect(step?.detail).toMatch(/^DISAGREE: the model predicts authenticated, the cluster answered 401\./);
  });

  test('predicted 401, observed 200: a disagreement the other way', () => {
    const unmapped = { ...mapped, awsAuth: awsAuthFrom({ mapRoles: '' }) };
    const step = comparison({ ...unmapped, probe: { status: 200, error: null } });
    expect(step?.status).toBe('warn');
    expect(step?.detail).toMatch(/^DISAGREE: the model predicts 401, the cluster answered 200\./);
  });

  test('both say authenticated: agree, with the username the cluster reports', () => {
    const step = comparison({
      ...mapped,
      probe: { status: 200, error: null, selfSubjectReview: { username: 'admin', groups: ['system:masters'] } },
    });
    expect(step).toMatchObject({ status: 'pass', detail: 'agree: authenticated as "admin"' });
  });

  test('both say 401: agree on 401', () => {
    const unmapped = { ...mapped, awsAuth: awsAuthFrom({ mapRoles: '' }) };
    expect(comparison({ ...unmapped, probe: { status: 401, error: 'Unauthorized' } })).toMatchObject({
      status: 'pass',
      detail: 'agree: 401 Unauthorized',
    });
  });

  test('authenticated under another username than predicted: a warning naming both', () => {
    const step = comparison({
      ...mapped,
      probe: { status: 200, error: null, selfSubjectReview: { username: 'someone-else', groups: [] } },
    });
    expect(step?.status).toBe('warn');
    expect(step?.detail).toBe(
      'authenticated as predicted, but the cluster says username "someone-else" where the model says "admin"',
    );
  });

  test('no HTTP answer: no comparison at all', () => {
    expect(comparison({ ...mapped, probe: { status: null, error: 'ECONNREFUSED' } })).toBeUndefined();
  });

  test('401 with a client-side error as root cause: the token never reached the mapping', () => {
    const step = comparison({
      ...mapped,
      cluster: { ...CLUSTER, authenticationMode: 'CONFIG_MAP' },
      kubeconfig: kubeconfig({ server: 'https://other.example' }),
      probe: { status: 401, error: 'Unauthorized' },
    });
    expect(step).toMatchObject({
      status: 'warn',
      detail:
        'the mapping authenticates this principal, but the cluster answered 401 before consulting it: the token itself is refused (client/stale-kubeconfig, above)',
    });
  });

  test('401 with only a finding about the mapping: still a plain disagreement', () => {
    const step = comparison({ ...mapped, probe: { status: 401, error: 'Unauthorized' } });
    expect(step?.detail).not.toContain('the token itself is refused');
  });

  describe('usernames: what the model could not fill matches anything, the rest literally', () => {
    const roleOnly = principal(ADMIN);
    const withUsername = (username: string, observed: string) =>
      comparison({
        ...mapped,
        principal: roleOnly,
        awsAuth: awsAuthFrom({
          mapRoles: `- rolearn: ${ADMIN}\n  username: "${username}"\n  groups: [system:masters]\n`,
        }),
        probe: { status: 200, error: null, selfSubjectReview: { username: observed, groups: ['system:masters'] } },
      });

    test.each([
      ['admin:{{SessionName}}', 'admin:jane', 'pass'],
      ['admin:{{SessionNameRaw}}-x', 'admin:jane@example.com-x', 'pass'],
      ['admin:{{SessionName}}', 'ops:jane', 'warn'],
      ['ops.team', 'opsXteam', 'warn'],
      ['ops.team', 'ops.team', 'pass'],
      ['ops(team)', 'ops(team)', 'pass'],
    ])('predicted %s, observed %s: %s', (predicted, observed, status) => {
      expect(withUsername(predicted, observed)?.status).toBe(status);
    });
  });
});
