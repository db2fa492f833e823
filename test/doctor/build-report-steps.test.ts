import { describe, expect, test } from 'vitest';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import type { ClusterInfo, Evidence } from '../../src/model/evidence.js';
import type { TraceStep } from '../../src/model/trace.js';
import { ACCOUNT, awsAuthFrom, principal } from '../helpers/evidence.js';
import { schemaErrors } from '../helpers/schema.js';
import { renderHuman } from '../../src/report/human.js';
import { renderMarkdown } from '../../src/report/markdown.js';

// The doctor's live steps, as a reader sees them: who asked, as whom, which cluster, the network path
// and what the API server answered. Each case is one situation from a real 3 a.m. run.
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/eksauth`;
const CLUSTER: ClusterInfo = {
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'API_AND_CONFIG_MAP',
  status: 'ACTIVE',
  version: '1.31',
  endpointPublicAccess: true,
  endpointPrivateAccess: true,
};
const caller = {
  arn: `arn:aws:iam::${ACCOUNT}:user/ops`,
  account: ACCOUNT,
  userId: 'AIDAEXAMPLE',
  credentialSource: 'environment variables',
};
const network: NonNullable<Evidence['network']> = {
  host: 'abc.gr7.eu-west-1.eks.amazonaws.com',
  port: 443,
  dns: { ok: true, addresses: ['10.0.0.1', '10.0.0.2'] },
  tcp: { ok: true, ms: 12 },
  tls: { ok: true, ms: 30 },
};
const lookup = { name: 'prod', region: 'eu-west-1', regionSource: '--region', found: true };
const steps = (evidence: Evidence): TraceStep[] => buildDoctorReport(evidence, 'prod').steps ?? [];
const step = (evidence: Evidence, title: string) => steps(evidence).find((s) => s.title === title);

describe('doctor report: live steps', () => {
  test('everything answered: caller, assumed role, cluster, network and probe pass, in that order', () => {
    const evidence: Evidence = {
      caller,
      targetCaller: { ...caller, arn: SESSION, credentialSource: 'sts:AssumeRole' },
      assumeRole: { roleArn: ROLE, sessionName: 'eksauth', outcome: 'assumed', sessionArn: SESSION },
      clusterLookup: lookup,
      cluster: CLUSTER,
      network,
      principal: principal(SESSION),
      awsAuth: awsAuthFrom({ mapRoles: `- rolearn: ${ROLE}\n  username: admin\n  groups: [system:masters]\n` }),
      probe: { status: 200, error: null, selfSubjectReview: { username: 'admin', groups: ['system:masters'] } },
    };
    const live = steps(evidence).filter((s) => s.stage === 'client' || s.stage === 'reachability');
    expect(live).toEqual([
      {
        stage: 'client',
        title: 'Caller identity',
        status: 'pass',
        detail: `${caller.arn} (credentials from environment variables)`,
      },
      {
        stage: 'client',
        title: 'Target identity',
        status: 'pass',
        detail: `${SESSION} (credentials from sts:AssumeRole)`,
      },
      { stage: 'client', title: 'Assume the role', status: 'pass', detail: `${SESSION} (session "eksauth")` },
      {
        stage: 'reachability',
        title: 'Describe the cluster',
        status: 'pass',
        detail: 'prod in eu-west-1: ACTIVE, Kubernetes 1.31, API_AND_CONFIG_MAP, endpoint public+private',
      },
      {
        stage: 'reachability',
        title: 'Network path',
        status: 'pass',
        detail: `${network.host}:443 → 10.0.0.1, 10.0.0.2; TCP 12 ms, TLS against the cluster CA 30 ms`,
      },
      {
        stage: 'reachability',
        title: 'API server answers the token',
        status: 'pass',
        detail: 'GET /version → 200; the cluster sees "admin" [system:masters]',
      },
    ]);
    expect(steps(evidence).at(-1)).toMatchObject({ title: 'Prediction vs observation', status: 'pass' });
  });

  test('nothing answered: each step fails and says why', () => {
    const evidence: Evidence = {
      clusterLookup: {
        ...lookup,
        found: false,
        regionSource: 'AWS_REGION',
        foundInRegions: ['us-east-1', 'eu-central-1'],
      },
      assumeRole: {
        roleArn: ROLE,
        sessionName: 'eksauth',
        outcome: 'refused',
        code: 'AccessDenied',
        message: 'not authorized to perform sts:AssumeRole',
      },
      network: { host: 'abc.example', port: 443, dns: { ok: false, error: 'ENOTFOUND abc.example' } },
      unavailable: {
        caller: 'no credentials in the chain',
        targetCaller: 'the role could not be assumed',
        cluster: 'ResourceNotFoundException: No cluster found for name: prod.',
      },
    };
    expect(steps(evidence)).toEqual([
      {
        stage: 'client',
        title: 'Caller identity',
        status: 'fail',
        detail: 'could not tell: no credentials in the chain',
      },
      { stage: 'client', title: 'Target identity', status: 'fail', detail: 'the role could not be assumed' },
      {
        stage: 'client',
        title: 'Assume the role',
        status: 'fail',
        detail: `${ROLE}: AccessDenied: not authorized to perform sts:AssumeRole`,
      },
      {
        stage: 'reachability',
        title: 'Describe the cluster',
        status: 'fail',
        detail:
          'prod in eu-west-1 (region from AWS_REGION): ResourceNotFoundException: No cluster found for name: prod; a cluster of that name exists in us-east-1, eu-central-1',
      },
      { stage: 'reachability', title: 'Network path', status: 'fail', detail: 'ENOTFOUND abc.example' },
      {
        stage: 'authentication',
        title: 'Simulation',
        status: 'skip',
        detail: 'the principal is unknown: no credentials in the chain',
      },
    ]);
  });

  test('the unknown principal names the failed AssumeRole when the caller was fine', () => {
    expect(step({ caller, unavailable: { assumeRole: 'AccessDenied' } }, 'Simulation')?.detail).toBe(
      'the principal is unknown: AccessDenied',
    );
    expect(step({ caller }, 'Simulation')?.detail).toBe('the principal is unknown: no identity');
  });

  test.each([
    [
      'TLS refused',
      { ...network, tls: { ok: false, error: 'x509: certificate signed by unknown authority' } },
      'x509: certificate signed by unknown authority',
    ],
    ['TCP refused', { ...network, tcp: { ok: false, error: 'ECONNREFUSED' }, tls: undefined }, 'ECONNREFUSED'],
    ['no layer said why', { ...network, tcp: undefined, tls: undefined }, 'unreachable'],
  ])('network path: %s', (_, path, detail) => {
    const evidence: Evidence = { caller, cluster: CLUSTER, network: path };
    expect(step(evidence, 'Network path')).toEqual({
      stage: 'reachability',
      title: 'Network path',
      status: 'fail',
      detail,
    });
    expect(buildDoctorReport(evidence, 'prod').observed).toEqual({ status: null, error: detail });
  });

  test('a cluster without endpoint facts, status or version says unknown instead of guessing', () => {
    const bare: ClusterInfo = { name: 'prod', region: 'eu-west-1' };
    expect(step({ caller, cluster: bare }, 'Describe the cluster')).toEqual({
      stage: 'reachability',
      title: 'Describe the cluster',
      status: 'fail',
      detail: 'prod in eu-west-1: unknown status, Kubernetes ?, CONFIG_MAP, endpoint unknown',
    });
    expect(
      step({ caller, cluster: { ...CLUSTER, endpointPrivateAccess: false } }, 'Describe the cluster')?.detail,
    ).toContain('endpoint public');
  });

  test.each([
    [403, 'warn', 'GET /version → 403 (forbidden)'],
    [401, 'fail', 'GET /version → 401 (Unauthorized)'],
    [null, 'fail', 'GET /version → no answer (socket hang up)'],
  ] as const)('the API server answering %s', (status, expected, detail) => {
    const error = status === 403 ? 'forbidden' : status === 401 ? 'Unauthorized' : 'socket hang up';
    const evidence: Evidence = { caller, cluster: CLUSTER, probe: { status, error } };
    expect(step(evidence, 'API server answers the token')).toEqual({
      stage: 'reachability',
      title: 'API server answers the token',
      status: expected,
      detail,
    });
    expect(buildDoctorReport(evidence, 'prod').observed).toEqual({ status, error });
  });

  test('without a probe, what kept it from running is the observation', () => {
    expect(
      buildDoctorReport({ caller, cluster: CLUSTER, unavailable: { probe: 'no token' } }, 'prod').observed,
    ).toEqual({
      status: null,
      error: 'no token',
    });
    expect(buildDoctorReport({ caller, cluster: CLUSTER }, 'prod').observed).toEqual({ status: null, error: null });
  });

  test("the self-subject review's access key id is shown as its first and last four only", () => {
    const report = buildDoctorReport(
      {
        caller,
        cluster: CLUSTER,
        probe: {
          status: 200,
          error: null,
          selfSubjectReview: {
            username: 'admin',
            groups: [],
            extra: { accessKeyId: ['AKIAIOSFODNN7EXAMPLE'], arn: [SESSION] },
          },
        },
      },
      'prod',
    );
    const extra = report.selfSubjectReview?.extra ?? {};
    expect(JSON.stringify(report)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(extra.arn).toEqual([SESSION]);
    expect(extra.accessKeyId?.[0]).toMatch(/^AKIA.*MPLE$/);
    expect(report.selfSubjectReview?.username).toBe('admin');
  });
});

describe('doctor report: the kubeconfig step (what kubectl would do with it)', () => {
  const base: Evidence = { caller, clusterLookup: lookup, cluster: CLUSTER, network };
  const kubeconfig = {
    path: '/home/ops/.kube/config',
    context: 'prod-ops',
    user: 'ops',
    credential: 'exec' as const,
  };

  test('kubectl auth whoami answered: its username and groups, as a client step before the cluster', () => {
    const evidence: Evidence = {
      ...base,
      kubeconfig: { ...kubeconfig, whoami: { username: 'ops-user', groups: ['devs', 'system:authenticated'] } },
    };
    const all = steps(evidence);
    const at = all.findIndex((s) => s.title === 'Kubeconfig');
    expect(all[at]).toEqual({
      stage: 'client',
      title: 'Kubeconfig',
      status: 'pass',
      detail: 'context prod-ops (user ops, exec); kubectl auth whoami: "ops-user" [devs, system:authenticated]',
    });
    expect(at).toBeLessThan(all.findIndex((s) => s.title === 'Describe the cluster'));
    const report = buildDoctorReport(evidence, 'prod');
    expect(schemaErrors(JSON.parse(JSON.stringify(report)))).toBe('');
    expect(renderMarkdown(report)).toContain('kubectl auth whoami: "ops-user" \\[devs, system:authenticated\\]');
    expect(renderHuman(report, { color: false })).toMatch(/Kubeconfig\s+context prod-ops/);
  });

  test('kubectl auth whoami refused: the status and the reason, as a warning (the context may not be the principal)', () => {
    const evidence: Evidence = {
      ...base,
      kubeconfig: { ...kubeconfig, whoami: { status: 401, error: 'Unauthorized' } },
    };
    expect(step(evidence, 'Kubeconfig')).toMatchObject({
      status: 'warn',
      detail: 'context prod-ops (user ops, exec); kubectl auth whoami: HTTP 401: Unauthorized',
    });
  });

  test('a file kubectl refuses to load is named; a Markdown-active name is escaped in the table', () => {
    const message =
      'kubeconfig file "/tmp/a|b*c" does not load (kubectl refuses to run with it): clusters must be a list';
    const evidence: Evidence = {
      ...base,
      failures: { kubeconfig: { code: 'invalid', action: 'read kubeconfig', message } },
      unavailable: { kubeconfig: message },
    };
    expect(step(evidence, 'Kubeconfig')).toMatchObject({ stage: 'client', status: 'warn', detail: message });
    const markdown = renderMarkdown(buildDoctorReport(evidence, 'prod'));
    expect(markdown).toContain('/tmp/a\\|b\\*c');
  });

  test('no kubeconfig entry and nothing refused: no step', () => {
    expect(step(base, 'Kubeconfig')).toBeUndefined();
  });
});
