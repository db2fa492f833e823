import { describe, expect, test } from 'vitest';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import type { ApiProbe, ClusterInfo, Evidence } from '../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, principal } from '../helpers/evidence.js';

// The doctor's observation steps: what the cluster lookup, the network and the API server said, and
// whether the model's username agrees with the one the cluster reports.
const CLUSTER: ClusterInfo = {
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'CONFIG_MAP',
  status: 'ACTIVE',
};
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/Node`;
const step = (evidence: Evidence, title: string) =>
  (buildDoctorReport(evidence, 'prod').steps ?? []).find((s) => s.title === title);
const ok200 = (username: string): ApiProbe => ({
  status: 200,
  error: null,
  selfSubjectReview: { username, groups: ['g'] },
});

describe('prediction vs observation: usernames with placeholders', () => {
  const node = (username: string) => ({
    cluster: CLUSTER,
    principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Node/i-0123456789abcdef0`),
    awsAuth: awsAuthFrom({
      mapRoles: `- rolearn: ${NODE_ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:nodes]\n`,
    }),
    probe: ok200(username),
  });

  test("the node's private DNS name, unknown offline, agrees with the name the cluster reports", () => {
    expect(step(node('system:node:ip-10-0-0-1.eu-west-1.compute.internal'), 'Prediction vs observation')).toEqual({
      stage: 'authorization',
      title: 'Prediction vs observation',
      status: 'pass',
      detail: 'agree: authenticated as "system:node:ip-10-0-0-1.eu-west-1.compute.internal"',
    });
    expect(step(node('kubernetes-admin'), 'Prediction vs observation')).toMatchObject({
      stage: 'authorization',
      status: 'warn',
    });
  });

  test('an unknown session name matches any session, but not another prefix', () => {
    const role = (username: string) => ({
      cluster: CLUSTER,
      principal: principal(NODE_ROLE),
      awsAuth: awsAuthFrom({ mapRoles: `- rolearn: ${NODE_ROLE}\n  username: ops-{{SessionName}}\n` }),
      probe: ok200(username),
    });
    expect(step(role('ops-alice'), 'Prediction vs observation')?.status).toBe('pass');
    expect(step(role('dev-alice'), 'Prediction vs observation')).toEqual({
      stage: 'authorization',
      title: 'Prediction vs observation',
      status: 'warn',
      detail:
        'authenticated as predicted, but the cluster says username "dev-alice" where the model says "ops-{{SessionName}}"',
    });
  });

  test('authenticated without a self-subject review: agree, no username claimed', () => {
    const evidence: Evidence = {
      cluster: CLUSTER,
      principal: principal(NODE_ROLE),
      awsAuth: awsAuthFrom({ mapRoles: `- rolearn: ${NODE_ROLE}\n  username: ops\n` }),
      probe: { status: 200, error: null },
    };
    expect(step(evidence, 'Prediction vs observation')?.detail).toBe('agree: authenticated');
  });
});

describe('observation steps', () => {
  test('a cluster not found: the region and its source, the reason without its full stop, where it exists', () => {
    const evidence: Evidence = {
      clusterLookup: {
        name: 'prod',
        region: 'us-east-1',
        regionSource: 'AWS_REGION',
        found: false,
        foundInRegions: ['eu-west-1', 'eu-central-1'],
      },
      unavailable: { cluster: 'No cluster found for name: prod.' },
    };
    expect(step(evidence, 'Describe the cluster')?.detail).toBe(
      'prod in us-east-1 (region from AWS_REGION): No cluster found for name: prod; a cluster of that name exists in eu-west-1, eu-central-1',
    );
    expect(step({}, 'Describe the cluster')?.detail).toBe('prod in ? (region from ?): not found');
  });

  test('the region of a described cluster falls back to the lookup', () => {
    const evidence: Evidence = {
      cluster: { ...CLUSTER, region: undefined },
      clusterLookup: { name: 'prod', region: 'eu-west-3', regionSource: '--region', found: true },
    };
    expect(step(evidence, 'Describe the cluster')?.detail).toMatch(/^prod in eu-west-3: ACTIVE/);
  });

  test('network path: addresses and times when TLS succeeds, the first error otherwise', () => {
    const host = 'abc.gr7.eu-west-1.eks.amazonaws.com';
    expect(
      step({ network: { host, port: 443, dns: { ok: true }, tcp: { ok: true }, tls: { ok: true } } }, 'Network path'),
    ).toEqual({
      stage: 'reachability',
      title: 'Network path',
      status: 'pass',
      detail: `${host}:443 → ; TCP 0 ms, TLS against the cluster CA 0 ms`,
    });
    expect(
      step(
        {
          network: {
            host,
            port: 443,
            dns: { ok: true, addresses: ['10.0.0.1', '10.0.0.2'] },
            tcp: { ok: true, ms: 5 },
            tls: { ok: true, ms: 9 },
          },
        },
        'Network path',
      )?.detail,
    ).toBe(`${host}:443 → 10.0.0.1, 10.0.0.2; TCP 5 ms, TLS against the cluster CA 9 ms`);
    expect(
      step(
        { network: { host, port: 443, dns: { ok: true }, tcp: { ok: false, error: 'ECONNREFUSED' } } },
        'Network path',
      ),
    ).toMatchObject({
      status: 'fail',
      detail: 'ECONNREFUSED',
    });
  });

  test('the API server: 403 warns, other failures fail; the error is shown only when not 200', () => {
    const title = 'API server answers the token';
    expect(step({ probe: { status: 403, error: 'forbidden' } }, title)).toMatchObject({
      status: 'warn',
      detail: 'GET /version → 403 (forbidden)',
    });
    expect(step({ probe: { status: 401, error: 'Unauthorized' } }, title)).toMatchObject({
      status: 'fail',
      detail: 'GET /version → 401 (Unauthorized)',
    });
    expect(step({ probe: { status: 200, error: 'stale' } }, title)).toMatchObject({
      status: 'pass',
      detail: 'GET /version → 200',
    });
    expect(step({ probe: { status: null, error: null } }, title)?.detail).toBe('GET /version → no answer');
    expect(step({ probe: ok200('u') }, title)?.detail).toBe('GET /version → 200; the cluster sees "u" [g]');
  });

  test('the caller unknown: why', () => {
    expect(step({ unavailable: { caller: 'ExpiredToken' } }, 'Caller identity')?.detail).toBe(
      'could not tell: ExpiredToken',
    );
    expect(step({}, 'Caller identity')?.detail).toBe('could not tell: unknown');
  });
});
