import type { Evidence } from '../model/evidence.js';
import { awsContextFor } from './live-context.js';
import { collectClusterWide } from './collect-cluster.js';
import { loadKubeLibrary, type KubeTarget } from '../collect/kube-client.js';
import { ACCESS_SAMPLES } from '../collect/probe.js';
import { collectPrincipal, type PrincipalTarget } from './collect-principal.js';
import { FailureRecorder } from './recorder.js';
import type { DoctorRequest } from './request.js';
import { StepRunner, type StepEvent, type StepListener } from './step-runner.js';

export interface LiveCollection {
  evidence: Evidence;
  /** aws-auth exactly as read, for --save-evidence (the parsed form is rebuilt on replay). */
  awsAuthText?: string;
  region: string;
  events: StepEvent[];
}

/**
 * Collects everything one diagnosis needs, read-only: cluster-wide sources with the operator's
 * identity and, at the same time, the principal's own identity, token and probe. Each step waits
 * only for what it needs; an unreadable source becomes "could not check, because …".
 */
export async function collectLive(request: DoctorRequest, listener: StepListener = {}): Promise<LiveCollection> {
  // Before any step's deadline starts: see loadKubeLibrary.
  await loadKubeLibrary();
  const context = await awsContextFor(request);
  const runner = new StepRunner({ ...(request.serial ? { serial: true } : {}), ...listener });
  const recorder = new FailureRecorder();
  const target: PrincipalTarget = request.roleArn
    ? {
        kind: 'assume',
        roleArn: request.roleArn,
        sessionName: request.sessionName,
        ...(request.externalId ? { externalId: request.externalId } : {}),
      }
    : request.targetEnv
      ? {
          kind: 'credentials',
          context: await awsContextFor({
            env: request.targetEnv,
            region: context.region,
            profile: request.targetProfile,
            timeoutMs: request.timeoutMs,
          }),
        }
      : { kind: 'self' };
  let announceApiServer: (target: KubeTarget | undefined) => void = () => undefined;
  const apiServer = new Promise<KubeTarget | undefined>((resolve) => (announceApiServer = resolve));
  const shared = collectClusterWide(context, request.cluster, runner, recorder, request.now, {
    onApiServer: (target) => announceApiServer(target),
    runExec: !request.noExec,
    ...(request.logsSinceMs !== undefined ? { logsSinceMs: request.logsSinceMs } : {}),
  });
  const [clusterWide, principalEvidence] = await Promise.all([
    shared,
    collectPrincipal(context, request.cluster, target, shared, runner, recorder, request.now, {
      apiServer,
      ...(request.accessSamples
        ? {
            accessSamples: [
              ...ACCESS_SAMPLES,
              ...request.accessSamples.map((sample) => ({ ...sample, requested: true })),
            ],
          }
        : {}),
    }),
  ]);
  const evidence: Evidence = { ...clusterWide.evidence, ...principalEvidence };
  recorder.applyTo(evidence);
  return {
    evidence,
    ...(clusterWide.awsAuthText !== undefined ? { awsAuthText: clusterWide.awsAuthText } : {}),
    region: context.region,
    events: runner.events,
  };
}
