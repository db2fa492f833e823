import { loadKubeLibrary, type KubeTarget } from '../collect/kube-client.js';
import type { AwsContext } from '../collect/aws-context.js';
import { mapLimit } from '../collect/concurrency.js';
import { isEnvironmentFailure } from '../collect/failures.js';
import { ACCESS_SAMPLES, type AccessSample } from '../collect/probe.js';
import type { Report } from '../core/report.js';
import { buildDoctorReport } from '../doctor/build-report.js';
import { collectClusterWide, type ClusterWide } from '../doctor/collect-cluster.js';
import { authenticatorEvidenceFor, collectPrincipal, type PrincipalTarget } from '../doctor/collect-principal.js';
import { FailureRecorder } from '../doctor/recorder.js';
import { StepRunner } from '../doctor/step-runner.js';
import type { Evidence } from '../model/evidence.js';
import { principalFromArn } from '../model/principal.js';
import { compare, observe, rootCauseOf, type ExpectationResult, type Observation, type RootCause } from './compare.js';
import type { PrincipalExpectation } from './expectations.js';

/**
 * How one principal is checked: probed with its own token (assumed role, its own credentials, or
 * the operator itself), or, when no credentials can be had, predicted by the model alone.
 */
export type PrincipalPlan =
  { kind: 'probe'; target: PrincipalTarget } | { kind: 'predict'; arn: string; sessionName?: string; reason: string };

export type ResolveTarget = (expectation: PrincipalExpectation, context: AwsContext) => Promise<PrincipalPlan>;

export interface PrincipalResult {
  expectation: PrincipalExpectation;
  observation: Observation;
  results: ExpectationResult[];
  /** The doctor's root cause for this principal (null when nothing blocks it). */
  rootCause: RootCause | null;
  report: Report;
  evidence: Evidence;
}

export interface ClusterResult {
  cluster: string;
  region: string;
  principals: PrincipalResult[];
  /** Set when the operator's own credentials do not work: nothing could be verified (exit 3). */
  environmentFailure?: string;
  ms: number;
}

export interface VerifyClusterOptions {
  context: AwsContext;
  cluster: string;
  /** The principals to check, or (for --generate) a choice made once the cluster has been read. */
  principals: readonly PrincipalExpectation[] | ((shared: ClusterWide) => PrincipalExpectation[]);
  resolve: ResolveTarget;
  /** At most this many principals are collected at once (each holds a few sockets open). */
  concurrency: number;
  now: () => Date;
  /** How far back control-plane logs are read; default one hour. */
  logsSinceMs?: number;
}

/**
 * Verifies every principal against one cluster. The cluster-wide evidence (cluster, access
 * entries, aws-auth, creator, RBAC, network path) is collected once and shared: a principal only
 * adds its own identity, token and probe, so fifty principals cost little more than one.
 */
export async function verifyCluster(options: VerifyClusterOptions): Promise<ClusterResult> {
  // Before any step's deadline starts: see loadKubeLibrary.
  await loadKubeLibrary();
  const started = performance.now();
  const { context, cluster, now } = options;
  const clusterRecorder = new FailureRecorder();
  let announceApiServer: (target: KubeTarget | undefined) => void = () => undefined;
  const apiServer = new Promise<KubeTarget | undefined>((resolve) => (announceApiServer = resolve));
  const shared = collectClusterWide(context, cluster, new StepRunner(), clusterRecorder, now, {
    onApiServer: (target) => announceApiServer(target),
    ...(options.logsSinceMs !== undefined ? { logsSinceMs: options.logsSinceMs } : {}),
  });
  // A rejected shared promise would surface once per principal; the doctor's collectors settle instead.
  const expectations = typeof options.principals === 'function' ? options.principals(await shared) : options.principals;
  const principals = await mapLimit(expectations, options.concurrency, async (expectation) => {
    const recorder = new FailureRecorder();
    const plan = await options.resolve(expectation, context).catch((error: unknown): PrincipalPlan => ({
      kind: 'predict',
      arn: expectation.arn ?? expectation.label,
      reason: `no credentials for the principal: ${(error as Error).message.split('\n')[0] ?? ''}`,
    }));
    let own: Evidence;
    if (plan.kind === 'probe') {
      own = await collectPrincipal(context, cluster, plan.target, shared, new StepRunner(), recorder, now, {
        accessSamples: samplesFor(expectation),
        apiServer,
      });
    } else {
      own = {};
      const principal = principalFromArn(plan.arn, plan.sessionName);
      if (principal.ok) own.principal = principal.value;
      recorder.skipped('probe', plan.reason);
      // No token of its own to tie lines to, but the authenticator names the canonical ARN.
      const log = (await shared).authenticatorLog;
      if (log && principal.ok)
        own.authenticatorLog = authenticatorEvidenceFor(log, { canonicalArn: principal.value.canonicalArn });
    }
    const clusterWide = await shared;
    const evidence: Evidence = { ...clusterWide.evidence, ...own };
    clusterRecorder.applyTo(evidence);
    recorder.applyTo(evidence);
    const report = buildDoctorReport(evidence, cluster);
    const observation = observe(report, evidence);
    return {
      expectation,
      observation,
      results: compare(expectation, observation),
      rootCause: rootCauseOf(report),
      report,
      evidence,
    };
  });
  const clusterWide = await shared;
  const callerFailure = clusterWide.evidence.caller ? undefined : clusterRecorder.failures.caller;
  return {
    cluster,
    region: context.region,
    principals,
    ...(callerFailure && isEnvironmentFailure(callerFailure) ? { environmentFailure: callerFailure.message } : {}),
    ms: Math.round(performance.now() - started),
  };
}

/** The can-i questions to ask: the expectation's own, else the doctor's samples (a record for --generate). */
function samplesFor(expectation: PrincipalExpectation): readonly AccessSample[] {
  if (expectation.can.length === 0) return ACCESS_SAMPLES;
  return expectation.can.map(({ verb, resource, group, namespace }) => ({
    verb,
    resource,
    ...(group ? { group } : {}),
    ...(namespace ? { namespace } : {}),
  }));
}

export const failedCount = (results: readonly ClusterResult[]): number =>
  results.reduce((n, c) => n + c.principals.reduce((m, p) => m + p.results.filter((r) => !r.pass).length, 0), 0);

export const expectationCount = (results: readonly ClusterResult[]): number =>
  results.reduce((n, c) => n + c.principals.reduce((m, p) => m + p.results.length, 0), 0);
