import { describe, expect, test } from 'vitest';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { renderReport } from '../../src/report/index.js';
import { sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import type { Fault } from '../../src/sandbox/scenario/types.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';

const OPERATOR = 'arn:aws:iam::111122223333:role/terraform-local';

/** doctor on seed 2 (operator: the creator role; target: the agent role) with faults injected. */
async function doctorWith(faults: Fault[], scenarioName = 'seed-debug-eks-unauthenticated', timeoutMs = 1_500) {
  const scenario = loadScenario(scenarioName);
  const target = sandboxTarget(scenario, {});
  if (typeof target === 'string') throw new Error(target);
  const sandbox = await startSandbox({ scenario, faults });
  try {
    const request = sandboxRequest(sandbox, target, { timeoutMs, now: () => new Date() });
    const collected = await collectLive(request);
    const report = buildDoctorReport(collected.evidence, request.cluster);
    return { report, evidence: collected.evidence, writes: sandbox.requestLog.writes() };
  } finally {
    await sandbox.close();
  }
}

const stepText = (report: Awaited<ReturnType<typeof doctorWith>>['report']): string =>
  (report.steps ?? []).map((s) => `${s.title}: ${s.detail}`).join('\n');

describe('doctor degrades one source at a time and goes on', () => {
  test('a throttled DescribeCluster is retried with backoff: the diagnosis is unchanged', async () => {
    const { report } = await doctorWith([{ service: 'eks', kind: 'throttle', action: 'DescribeCluster', times: 1 }]);
    expect(report.rootCause).toBe('identity/principal-not-mapped');
  });

  test('CloudTrail throttling on every call: the creator could not be checked, the rest goes on', async () => {
    // The step's deadline counts the SDK's backoff between its three attempts (up to ~3 s), as --timeout's 10 s default does.
    const { report, evidence } = await doctorWith(
      [{ service: 'cloudtrail', kind: 'throttle' }],
      'seed-debug-eks-unauthenticated',
      8_000,
    );
    expect(evidence.failures?.creator?.code).toBe('throttled');
    expect(stepText(report)).toContain('could not check, because');
    expect(report.observed?.status).toBe(401);
    expect(report.rootCause).toBe('identity/principal-not-mapped');
  });

  test('AccessDenied on CloudTrail names the missing permission', async () => {
    const { evidence, report } = await doctorWith([
      { service: 'cloudtrail', kind: 'access-denied', action: 'LookupEvents', principalArn: OPERATOR },
    ]);
    expect(evidence.failures?.creator).toMatchObject({ code: 'access-denied' });
    expect(evidence.unavailable?.creator).toContain('lacks cloudtrail:LookupEvents');
    expect(report.observed?.status).toBe(401);
  });

  test('AccessDenied on ListAccessEntries: access entries could not be checked, so no verdict is invented', async () => {
    const { evidence, report } = await doctorWith(
      [
        {
          service: 'eks',
          kind: 'access-denied',
          action: 'ListAccessEntries',
          principalArn: 'arn:aws:iam::111122223333:role/platform-admin',
        },
      ],
      'identity--principal-not-mapped',
    );
    expect(evidence.failures?.accessEntries?.code).toBe('access-denied');
    expect(evidence.unavailable?.accessEntries).toContain('lacks eks:ListAccessEntries');
    expect(stepText(report)).toContain('Access entries: could not check, because');
    expect(report.observed?.status).toBe(401);
    expect(report.determined).toBe(false);
  });

  test('the operator may not read aws-auth: that step says why, and the verdict stays open', async () => {
    const { evidence, report } = await doctorWith([
      { service: 'kube', kind: 'access-denied', action: 'get', principalArn: OPERATOR },
    ]);
    expect(evidence.failures?.awsAuth?.code).toBe('access-denied');
    expect(stepText(report)).toContain('aws-auth ConfigMap: could not check, because');
    expect(report.observed?.status).toBe(401);
    expect(report.determined).toBe(false);
    // The incident-ticket form says so too, not "not authenticated", and says how to complete it.
    const markdown = renderReport(report, 'markdown', { color: false });
    expect(markdown).toContain('**Decision:** undetermined: the aws-auth ConfigMap could not be read (observed: HTTP 401)');
    expect(markdown).toContain('eksauth doctor --cluster my-cluster --region us-east-1 --profile ADMIN_PROFILE');
    expect(report.verdict).toMatchObject({ outcome: 'undetermined', exitCode: 3 });
  });

  test('an endpoint that accepts TCP and never answers: unreachable within the timeout, never a hang', async () => {
    const { report } = await doctorWith([{ service: 'kube', kind: 'hang' }]);
    expect(report.rootCause).toBe('network/endpoint-unreachable');
    expect(report.observed?.status).toBeNull();
  });

  test('an endpoint that refuses connections', async () => {
    const { report } = await doctorWith([{ service: 'kube', kind: 'refuse' }]);
    expect(report.rootCause).toBe('network/endpoint-unreachable');
    expect(report.observed?.error).toMatch(/ECONNREFUSED/);
  });

  test('no fault makes doctor write anything', async () => {
    for (const fault of [
      { service: 'eks', kind: 'server-error' },
      { service: 'sts', kind: 'throttle', action: 'AssumeRole' },
    ] as Fault[]) {
      expect((await doctorWith([fault])).writes).toEqual([]);
    }
  });
});
