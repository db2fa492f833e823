import { describe, expect, test } from 'vitest';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { renderReport } from '../../src/report/index.js';
import type { DoctorRequest } from '../../src/doctor/request.js';
import { sandboxEnv, sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import { renderWhoami } from '../../src/cli/commands/whoami.js';
import { expectCoherent } from '../helpers/coherence.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import type { Fault } from '../../src/sandbox/scenario/types.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';

const OPERATOR = 'arn:aws:iam::111122223333:role/terraform-local';

/** doctor on seed 2 (operator: the creator role; target: the agent role) with faults injected. */
async function doctorWith(
  faults: Fault[],
  scenarioName = 'seed-debug-eks-unauthenticated',
  timeoutMs = 1_500,
  /** Changes the request as a user's shell or flags would (a wrong key, another identity). */
  adjust: (request: DoctorRequest, sandbox: Awaited<ReturnType<typeof startSandbox>>) => DoctorRequest = (r) => r,
) {
  const scenario = loadScenario(scenarioName);
  const target = sandboxTarget(scenario, {});
  if (typeof target === 'string') throw new Error(target);
  const sandbox = await startSandbox({ scenario, faults });
  try {
    const request = adjust(sandboxRequest(sandbox, target, { timeoutMs, now: () => new Date() }), sandbox);
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
    expect(markdown).toContain('**Decision:** undetermined: missing the aws-auth ConfigMap (observed: HTTP 401)');
    expect(markdown).toContain(
      'eksauth doctor --cluster my-cluster --region us-east-1 --profile ADMIN_PROFILE --role-arn arn:aws:iam::111122223333:role/tfc-agent-role',
    );
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

describe("the caller's own credentials are the environment, never the cluster (exit 3)", () => {
  const withEnv = (patch: Record<string, string>) => (request: DoctorRequest) => ({
    ...request,
    env: { ...request.env, ...patch },
  });

  test.each<[string, Record<string, string>, string]>([
    ['a wrong secret key', { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGWRONGKEY' }, 'wrongSecret'],
    ['a bogus session token', { AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEBogus' }, 'unknownKey'],
  ])(
    '%s: identity/credentials-invalid names the source, exit 3, never "No problems found"',
    async (_, patch, messageId) => {
      const { report } = await doctorWith([], 'seed-debug-eks-unauthenticated', 1_500, withEnv(patch));
      expect(report.rootCause).toBe('identity/credentials-invalid');
      const finding = report.findings.find((f) => f.checkId === 'identity/credentials-invalid');
      expect(finding?.messageId).toBe(messageId);
      expect(finding?.message).toContain('environment variables (AWS_ACCESS_KEY_ID');
      expect(report.verdict).toMatchObject({ outcome: 'environment', exitCode: 3 });
      // Not blamed on the role's trust policy, and no assumed mode or mapping is offered as the answer.
      expect(report.findings.map((f) => f.checkId)).not.toContain('identity/assume-role-denied');
      expect(report.verdict?.text).not.toMatch(/authenticated/);
      expectCoherent(report, 'credentials');
    },
  );

  test('the same without --role-arn (doctor about the caller itself): not "No problems found"', async () => {
    const { report } = await doctorWith([], 'seed-debug-eks-unauthenticated', 1_500, (request) => {
      const { roleArn: _roleArn, ...self } = request;
      return { ...self, env: { ...request.env, AWS_SECRET_ACCESS_KEY: 'not-the-secret-of-this-key-000000000000' } };
    });
    expect(report.principal).toBeUndefined();
    expect(report.rootCause).toBe('identity/credentials-invalid');
    expect(report.verdict?.exitCode).toBe(3);
    expectCoherent(report, 'self');
  });
});

describe('an unreachable or refusing EKS API: undetermined, never an assumed mode', () => {
  test.each<[string, Fault]>([
    ['refused connections', { service: 'eks', kind: 'refuse' }],
    ['server errors', { service: 'eks', kind: 'server-error', status: 503 }],
    ['access denied on DescribeCluster', { service: 'eks', kind: 'access-denied', action: 'DescribeCluster' }],
  ])('%s', async (_, fault) => {
    // The creator runs doctor about itself: before, CloudTrail's creator + an assumed CONFIG_MAP gave
    // "authenticated via cluster-creator", exit 0.
    const { report } = await doctorWith([fault], 'seed-debug-eks-unauthenticated', 1_500, (request) => {
      const { roleArn: _roleArn, ...self } = request;
      return self;
    });
    expect(report.decision?.source).not.toBe('cluster-creator');
    expect(report.verdict?.outcome).toBe('undetermined');
    expect(report.verdict?.exitCode).toBe(3);
    expect(report.verdict?.missing.map((g) => g.what)).toContain('the authentication mode');
    expect(stepText(report)).toContain('Authentication mode: unknown: could not check, because');
    expectCoherent(report, fault.kind);
  });
});

describe('doctor run as the locked-out principal', () => {
  const asAgent = (request: DoctorRequest, sandbox: Awaited<ReturnType<typeof startSandbox>>): DoctorRequest => {
    const { roleArn: _roleArn, ...self } = request;
    return { ...self, env: sandboxEnv(sandbox, 'tfc-agent') };
  };

  test('a partial diagnosis from what AWS still answers, and the exact command to complete it', async () => {
    const { report, evidence } = await doctorWith([], 'seed-debug-eks-unauthenticated', 1_500, asAgent);
    // What AWS still answers: the mode, the creator from CloudTrail.
    expect(evidence.cluster?.authenticationMode).toBe('CONFIG_MAP');
    expect(evidence.creator?.arn).toBe('arn:aws:iam::111122223333:role/terraform-local');
    expect(report.observed?.status).toBe(401);
    // What it cannot see, why, and how to get it.
    expect(report.verdict?.outcome).toBe('undetermined');
    const gap = report.verdict?.missing.find((g) => g.what === 'the aws-auth ConfigMap');
    expect(gap?.why).toContain('401 Unauthorized');
    expect(gap?.command).toBe(
      'eksauth doctor --cluster my-cluster --region us-east-1 --profile CREATOR_PROFILE --role-arn arn:aws:iam::111122223333:role/tfc-agent-role',
    );
    expect(gap?.how).toContain('the cluster creator arn:aws:iam::111122223333:role/terraform-local');
    expect(renderReport(report, 'human', { color: false })).toContain(
      '--role-arn arn:aws:iam::111122223333:role/tfc-agent-role',
    );
    expectCoherent(report, 'locked out');
  });
});

describe('whoami without credentials', () => {
  test('says the credentials are missing, not that the cluster has no endpoint', async () => {
    const { report } = await doctorWith([], 'seed-debug-eks-unauthenticated', 1_500, (request, sandbox) => {
      const { roleArn: _roleArn, ...self } = request;
      const env: Record<string, string> = { ...sandboxEnv(sandbox, 'local') };
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      delete env.AWS_SESSION_TOKEN;
      return { ...self, env };
    });
    const text = renderWhoami({ ...report, command: 'whoami' }, false);
    expect(text).not.toContain('no API server endpoint');
    expect(text).toContain('identity/credentials-missing');
    expect(report.verdict?.exitCode).toBe(3);
  });
});
