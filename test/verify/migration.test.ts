import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { awsContextFor } from '../../src/doctor/live-context.js';
import { sandboxEnv } from '../../src/doctor/sandbox-run.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { parseExpectations, type PrincipalExpectation } from '../../src/verify/expectations.js';
import { renderSnapshot, snapshotPrincipals } from '../../src/verify/generate.js';
import { failedCount, verifyCluster, type ClusterResult } from '../../src/verify/run.js';
import { sandboxOperator, sandboxResolver } from '../../src/verify/targets.js';
import { example } from '../helpers/cli.js';

const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

/** verify against a scenario, in-process, as `eksauth verify --sandbox NAME` does. */
async function verify(
  scenarioName: string,
  principals: Parameters<typeof verifyCluster>[0]['principals'],
  concurrency = 8,
): Promise<{ result: ClusterResult; sandbox: Sandbox }> {
  const sandbox = await startSandbox({ scenario: loadScenario(scenarioName) });
  opened.push(sandbox);
  const operator = sandboxOperator(sandbox);
  if (!operator) throw new Error('no operator');
  const cluster = sandbox.scenario.clusters[0];
  if (!cluster) throw new Error('no cluster');
  const context = await awsContextFor({ env: sandboxEnv(sandbox, operator), region: cluster.region, timeoutMs: 5_000 });
  const result = await verifyCluster({
    context,
    cluster: cluster.name,
    principals,
    resolve: sandboxResolver(sandbox, operator),
    concurrency,
    now: () => new Date(),
  });
  return { result, sandbox };
}

const expectationsOf = (file: string): PrincipalExpectation[] =>
  parseExpectations(readFileSync(example('verify', file), 'utf8'), file).principals;

const mismatches = (result: ClusterResult): string[] =>
  result.principals.flatMap((p) => p.results.filter((r) => !r.pass).map((r) => `${p.expectation.label} ${r.name}`));

describe('local Terraform role → Terraform Cloud agent role', () => {
  test('before: the agent is not mapped; every agent expectation fails with identity/principal-not-mapped', async () => {
    const { result } = await verify('seed-debug-eks-unauthenticated', expectationsOf('tfc-agent.yaml'));
    const [local, agent] = result.principals;
    expect(
      local?.results.every((r) => r.pass),
      mismatches(result).join('\n'),
    ).toBe(true);
    expect(agent?.results.map((r) => r.pass)).toEqual([false, false, false, false, false, false]);
    expect(agent?.observation).toMatchObject({
      authenticated: false,
      authenticatedFrom: 'observed',
      probe: 'HTTP 401',
    });
    expect(agent?.rootCause?.checkId).toBe('identity/principal-not-mapped');
    expect(agent?.rootCause?.docsUrl).toMatch(/docs\/checks\/identity\/principal-not-mapped\.md$/);
  });

  test('after: the agent is mapped; everything holds', async () => {
    const { result } = await verify('seed-debug-eks-unauthenticated--fixed', expectationsOf('tfc-agent.yaml'));
    expect(mismatches(result)).toEqual([]);
    expect(failedCount([result])).toBe(0);
    expect(result.principals[1]?.observation.username).toBe('terraform:terraform-run-4mYtQ8');
  });
});

describe('aws-auth → access entries', () => {
  test('before: the roles still come from aws-auth; only the source differs', async () => {
    const { result } = await verify(
      'migration--aws-auth-to-access-entries--before',
      expectationsOf('access-entries.yaml'),
    );
    expect(mismatches(result)).toEqual([
      'arn:aws:iam::111122223333:role/deployer source',
      'arn:aws:iam::111122223333:role/auditor source',
    ]);
    expect(result.principals[0]?.results.find((r) => r.name === 'source')?.observed).toBe('aws-auth');
  });

  test('after: access entries give the same usernames, groups and permissions', async () => {
    const { result } = await verify(
      'migration--aws-auth-to-access-entries--after',
      expectationsOf('access-entries.yaml'),
    );
    expect(mismatches(result)).toEqual([]);
    expect(result.principals.map((p) => p.observation.source)).toEqual(['access-entry', 'access-entry', null]);
  });

  test('a snapshot generated before holds before, and after the migration differs only in the source', async () => {
    const before = await verify('migration--aws-auth-to-access-entries--before', (shared) =>
      snapshotPrincipals([{ arn: 'arn:aws:iam::111122223333:role/intruder' }], shared),
    );
    const text = renderSnapshot([before.result], new Date('2026-01-01T00:00:00Z'));
    const snapshot = parseExpectations(text, 'snapshot.yaml');
    expect(snapshot.clusters).toEqual([{ name: 'payments', region: 'eu-west-1' }]);
    expect(snapshot.principals.map((p) => [p.arn, p.authenticated, p.source ?? null, p.username ?? null])).toEqual([
      ['arn:aws:iam::111122223333:role/intruder', false, null, null],
      ['arn:aws:iam::111122223333:role/deployer', true, 'aws-auth', 'deployer:*'],
      ['arn:aws:iam::111122223333:role/auditor', true, 'aws-auth', 'auditor:*'],
    ]);
    expect(snapshot.principals[1]?.can.length).toBeGreaterThan(0);

    const again = await verify('migration--aws-auth-to-access-entries--before', snapshot.principals);
    expect(mismatches(again.result)).toEqual([]);
    const after = await verify('migration--aws-auth-to-access-entries--after', snapshot.principals);
    expect(mismatches(after.result)).toEqual([
      'arn:aws:iam::111122223333:role/deployer source',
      'arn:aws:iam::111122223333:role/auditor source',
    ]);
  });
});

describe('sharing and safety', () => {
  test('cluster-wide evidence is read once for all principals, and nothing is written', async () => {
    const principals = expectationsOf('access-entries.yaml');
    const { result, sandbox } = await verify('migration--aws-auth-to-access-entries--after', principals, 2);
    expect(result.principals).toHaveLength(3);
    const calls = sandbox.requestLog.clientCalls();
    const count = (action: string): number => calls.filter((e) => e.action === action).length;
    expect(count('DescribeCluster')).toBe(1);
    expect(count('ListAccessEntries')).toBe(1);
    expect(calls.filter((e) => e.service === 'kube' && e.path?.endsWith('/configmaps/aws-auth')).length).toBe(1);
    // Each principal still has its own token and probe.
    expect(calls.filter((e) => e.service === 'kube' && e.path === '/version').length).toBe(2);
    expect(sandbox.requestLog.writes()).toEqual([]);
  });
});
