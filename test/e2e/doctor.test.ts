import { afterAll, describe, expect, test } from 'vitest';
import type { AccessSample } from '../../src/collect/probe.js';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { toEvidenceFile, fromEvidenceFile } from '../../src/doctor/evidence-file.js';
import { sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import { renderReport } from '../../src/report/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { listShippedScenarios, loadScenario } from '../../src/sandbox/scenario/load.js';
import { expectCoherent } from '../helpers/coherence.js';
import { schemaErrors } from '../helpers/schema.js';
import { leaksIn, sandboxSecrets } from '../helpers/secrets.js';

const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

/** Runs the live doctor pipeline against a scenario, as `eksauth doctor --sandbox NAME` does. */
async function doctor(name: string, accessSamples: AccessSample[] = []) {
  const scenario = loadScenario(name);
  const target = sandboxTarget(scenario, {});
  if (typeof target === 'string') throw new Error(target);
  const sandbox = await startSandbox({ scenario });
  opened.push(sandbox);
  const request = sandboxRequest(sandbox, target, { timeoutMs: 3_000, now: () => new Date(), accessSamples });
  const collected = await collectLive(request);
  const report = buildDoctorReport(collected.evidence, request.cluster);
  const evidenceFile = toEvidenceFile(
    collected.evidence,
    collected.awsAuthText,
    { cluster: request.cluster, region: collected.region },
    new Date(),
  );
  return { scenario, sandbox, report, collected, evidenceFile };
}

const scenarios = listShippedScenarios();

describe.each(scenarios)('doctor --sandbox %s', (name) => {
  test('names the expected root cause, makes no write, and leaks no secret', async () => {
    const { scenario, sandbox, report, evidenceFile } = await doctor(name);
    const expected = scenario.expect.rootCause ?? null;
    const trace = report.steps?.map((s) => `${s.status} ${s.title}: ${s.detail}`).join('\n');
    if (expected !== null && report.rootCause === null && report.observed?.status === 200) {
      // A "will bite" story: the principal is served today, and the check says so as a warning.
      expect(
        report.findings.filter((f) => f.checkId === expected).map((f) => f.severity),
        `${name}: ${trace}`,
      ).toContain('warning');
    } else {
      expect(report.rootCause, `${name}: ${trace}`).toBe(expected);
    }
    // With a client-stage root cause (credentials, AssumeRole) kubectl gets no HTTP answer either.
    const clientStage = report.findings.find((f) => f.checkId === report.rootCause)?.stage === 'client';
    if (!clientStage && scenario.expect.whoami === 401) expect(report.observed?.status).toBe(401);
    if (!clientStage && scenario.expect.whoami === 200) expect(report.observed?.status).toBe(200);
    expect(sandbox.requestLog.writes(), 'doctor is read-only').toEqual([]);
    // One verdict in every format, judged against the scenario's stated expectations, never against
    // simulate(): the sandbox's API server decides with the same model, so agreeing with it proves nothing.
    expectCoherent(report, name);
    const exit = report.verdict?.exitCode;
    if (scenario.expect.whoami === 401) expect(exit, `${name}: the story's principal is refused`).not.toBe(0);
    if (scenario.expect.whoami === 200 && expected === null) expect(exit, `${name}: a healthy story exits 0`).toBe(0);
    if (expected !== null && report.rootCause === expected) expect(exit, `${name}: its root cause blocks`).not.toBe(0);
    const outputs = [
      renderReport(report, 'json', { color: false }),
      renderReport(report, 'human', { color: false }),
      renderReport(report, 'markdown', { color: false }),
      JSON.stringify(evidenceFile),
    ];
    expect(schemaErrors(JSON.parse(outputs[0] ?? '{}'))).toBe('');
    // The shape check at the replay boundary accepts everything a live run writes.
    const replayed = fromEvidenceFile(JSON.parse(JSON.stringify(evidenceFile)));
    expect(replayed.ok ? '' : replayed.error).toBe('');
    // test/robustness/secrets-suite.ts runs the same scan over every command and a hostile kubeconfig.
    for (const output of outputs) expect(leaksIn(output, sandboxSecrets(sandbox))).toEqual([]);
  });
});

describe('collected facts behind two root causes', () => {
  test('cluster--not-found: the other default regions are searched, and the cluster is found in one', async () => {
    const { collected, report, sandbox } = await doctor('cluster--not-found');
    const lookup = collected.evidence.clusterLookup;
    expect(lookup?.foundInRegions).toEqual(['us-west-2']);
    expect(lookup?.searchedRegions).toHaveLength(16);
    expect(lookup?.searchedRegions).not.toContain('us-east-1');
    expect(report.findings.find((f) => f.checkId === 'cluster/not-found')?.messageId).toBe('foundElsewhere');
    expect(sandbox.requestLog.writes()).toEqual([]);
  });

  test("identity--creator-recreated: CloudTrail's unique id for the creator is compared with IAM's", async () => {
    const { collected, report } = await doctor('identity--creator-recreated');
    expect(collected.evidence.creator?.principalId).toBe('AIDAOLDOLDOLDOLDOLDOL');
    expect(report.findings.find((f) => f.checkId === 'identity/creator-recreated')?.messageId).toBe('idChanged');
  });
});

describe('evidence replay', () => {
  test('a saved evidence file replays offline to the same report', async () => {
    const { report, evidenceFile } = await doctor('seed-debug-eks-unauthenticated');
    const loaded = fromEvidenceFile(JSON.parse(JSON.stringify(evidenceFile)));
    if (!loaded.ok) throw new Error(loaded.error);
    expect(buildDoctorReport(loaded.value.evidence, evidenceFile.request.cluster)).toEqual(report);
  });
});

describe('--can answers, in every format', () => {
  test('denied (rbac--forbidden): the missing rule, and the root cause is about that request', async () => {
    const { report } = await doctor('rbac--forbidden');
    expect(report.access).toEqual([
      expect.objectContaining({ request: 'update configmaps -n default', allowed: false }),
    ]);
    expect(report.access?.[0]?.rule).toMatch(/^no rule grants it: no RoleBinding or ClusterRoleBinding for "dev:bob"/);
    const root = report.findings.find((f) => f.checkId === report.rootCause);
    expect(root?.messageId).toBe('requestDenied');
    expect(root?.message).toContain('update configmaps in namespace default');
    for (const format of ['human', 'markdown', 'json'] as const)
      expect(renderReport(report, format, { color: false }), format).toContain('update configmaps -n default');
    // The fix grants exactly that, to group developers, without touching developers-view; CONFIG_MAP: no access policy.
    const [create] = report.fix?.steps[0]?.kubectl?.commands ?? [];
    expect(create?.argv).toEqual(['kubectl', 'create', '-f', '-']);
    expect(create?.stdin).toMatch(
      /kind: "Role"[\s\S]*namespace: "default"[\s\S]*- "configmaps"\n\s+verbs:\n\s+- "update"/,
    );
    expect(create?.stdin).toContain('name: "developers"');
    expect(create?.stdin).not.toContain('developers-view');
    expect(report.fix?.aws).not.toContain('associate-access-policy');
  });

  test('allowed (healthy, the admin): the rule that allows it', async () => {
    const { report } = await doctor('healthy', [
      { verb: 'delete', resource: 'pods', namespace: 'kube-system', requested: true },
    ]);
    expect(report.access).toEqual([
      { request: 'delete pods -n kube-system', allowed: true, rule: 'EKS access policy AmazonEKSClusterAdminPolicy' },
    ]);
    expect(report.verdict?.exitCode).toBe(0);
    expect(renderReport(report, 'human', { color: false })).toContain(
      '✓ allowed  delete pods -n kube-system: EKS access policy AmazonEKSClusterAdminPolicy',
    );
    expect(renderReport(report, 'markdown', { color: false })).toContain(
      '| delete pods -n kube-system | allowed | EKS access policy AmazonEKSClusterAdminPolicy |',
    );
  });
});
