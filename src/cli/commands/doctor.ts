import type { Report } from '../../core/report.js';
import { buildDoctorReport } from '../../doctor/build-report.js';
import { collectLive } from '../../doctor/collect-live.js';
import { fromEvidenceFile, toEvidenceFile } from '../../doctor/evidence-file.js';
import { parseCanSpec } from '../../doctor/can-spec.js';
import { sandboxRequest, sandboxTarget } from '../../doctor/sandbox-run.js';
import type { DoctorRequest } from '../../doctor/request.js';
import type { StepListener } from '../../doctor/step-runner.js';
import { redactSecrets } from '../../core/redact.js';
import { DEFAULT_SESSION_NAME } from '../../token/assume-role.js';
import { UsageError } from '../errors.js';
import { parseLogsSince } from '../duration.js';
import { INPUT_LIMITS, parseJsonInput, readInput, writeStderr } from '../io.js';
import { shouldUseColor } from '../output-options.js';
import { createProgress } from '../progress.js';
import { writeSecretFile } from '../write-secret-file.js';
import { emitReport, type CommonArgs } from './shared.js';

export interface DoctorArgs extends CommonArgs {
  cluster?: string | undefined;
  roleArn?: string | undefined;
  sessionName?: string | undefined;
  externalId?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  targetProfile?: string | undefined;
  timeout: number;
  saveEvidence?: string | undefined;
  evidence?: string | undefined;
  sandbox?: string | undefined;
  operator?: string | undefined;
  serial?: boolean | undefined;
  exec?: boolean | undefined;
  can?: string[] | undefined;
  /** `--logs-since`: how far back control-plane logs are read (`2h`). */
  logsSince?: string | undefined;
  /** Step-by-step progress on stderr (human output only). */
  progress?: boolean;
}

/** `eksauth doctor`: collect (read-only) → diagnose → render. Or replay saved evidence offline. */
/** What to do with the finished report: doctor prints it whole, whoami prints who the cluster sees. */
export type Presenter = (report: Report) => void;

export async function runDoctor(
  args: DoctorArgs,
  present: Presenter = (report) => emitReport(report, args),
): Promise<void> {
  if (args.evidence !== undefined) {
    const loaded = fromEvidenceFile(
      parseJsonInput(readInput(args.evidence, '--evidence', INPUT_LIMITS.evidence), args.evidence, '--evidence'),
    );
    if (!loaded.ok) throw new UsageError(`--evidence ${args.evidence}: ${loaded.error}`);
    present(buildDoctorReport(loaded.value.evidence, loaded.value.file.request.cluster));
    return;
  }
  if (args.sandbox !== undefined) {
    await runAgainstSandbox(args, args.sandbox, present);
    return;
  }
  if (!args.cluster) throw new UsageError('--cluster is required (or --evidence FILE, or --sandbox SCENARIO)');
  await diagnoseLive(args, requestFrom(args, args.cluster, process.env), present);
}

function requestFrom(args: DoctorArgs, cluster: string, env: Record<string, string | undefined>): DoctorRequest {
  const samples = (args.can ?? []).map(parseCanSpec);
  const badSample = samples.find((sample) => typeof sample === 'string');
  if (badSample !== undefined) throw new UsageError(badSample);
  if (args.targetProfile && args.roleArn)
    throw new UsageError('--target-profile and --role-arn both name the principal to diagnose: give one');
  if (!Number.isFinite(args.timeout) || args.timeout <= 0)
    throw new UsageError(`--timeout must be a positive number of seconds, not ${args.timeout}`);
  const logsSinceMs = args.logsSince !== undefined ? parseLogsSince(args.logsSince) : undefined;
  return {
    cluster,
    sessionName: args.sessionName ?? DEFAULT_SESSION_NAME,
    ...(logsSinceMs !== undefined ? { logsSinceMs } : {}),
    timeoutMs: args.timeout * 1000,
    env,
    now: () => new Date(),
    ...(args.roleArn ? { roleArn: args.roleArn } : {}),
    ...(args.externalId ? { externalId: args.externalId } : {}),
    ...(args.region ? { region: args.region } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
    ...(args.targetProfile
      ? {
          targetProfile: args.targetProfile,
          targetEnv: {
            ...env,
            AWS_PROFILE: args.targetProfile,
            AWS_ACCESS_KEY_ID: undefined,
            AWS_SECRET_ACCESS_KEY: undefined,
            AWS_SESSION_TOKEN: undefined,
          },
        }
      : {}),
    ...(args.serial ? { serial: true } : {}),
    ...(args.exec === false ? { noExec: true } : {}),
    ...(samples.length > 0 ? { accessSamples: samples.filter((sample) => typeof sample !== 'string') } : {}),
  };
}

async function diagnoseLive(args: DoctorArgs, request: DoctorRequest, present: Presenter): Promise<void> {
  const progress = progressFor(args);
  let collected;
  try {
    collected = await collectLive(request, progress);
  } finally {
    progress.finish();
  }
  const report = buildDoctorReport(collected.evidence, request.cluster);
  // The report comes first: a file that cannot be written must not cost the diagnosis.
  present(report);
  if (args.saveEvidence) {
    const file = toEvidenceFile(
      collected.evidence,
      collected.awsAuthText,
      {
        cluster: request.cluster,
        region: collected.region,
        ...(request.roleArn ? { roleArn: request.roleArn, sessionName: request.sessionName } : {}),
      },
      request.now(),
    );
    writeSecretFile(args.saveEvidence, `${JSON.stringify(file, null, 2)}\n`, '--save-evidence');
  }
}

/** Starts the sandbox in-process and runs the live pipeline against it, as a user would. */
async function runAgainstSandbox(args: DoctorArgs, scenarioName: string, present: Presenter): Promise<void> {
  const { loadScenario } = await import('../../sandbox/scenario/load.js');
  const { startSandbox } = await import('../../sandbox/sandbox.js');
  let scenario;
  try {
    scenario = loadScenario(scenarioName);
  } catch (error) {
    throw new UsageError(`--sandbox ${scenarioName}: ${(error as Error).message}`);
  }
  const target = sandboxTarget(scenario, {
    ...(args.cluster ? { cluster: args.cluster } : {}),
    ...(args.operator ? { operator: args.operator } : {}),
    ...(args.roleArn ? { roleArn: args.roleArn } : {}),
  });
  if (typeof target === 'string') throw new UsageError(`--sandbox ${scenarioName}: ${target}`);
  const sandbox = await startSandbox({ scenario });
  try {
    // The scenario's own session name plays the story as written, unless the user names another.
    const { sessionName: _default, ...base } = requestFrom(args, target.cluster, {});
    await diagnoseLive(
      args,
      sandboxRequest(sandbox, target, { ...base, ...(args.sessionName ? { sessionName: args.sessionName } : {}) }),
      present,
    );
  } finally {
    await sandbox.close();
  }
}

/** Progress on stderr for human output; JSON and Markdown stay quiet, and so does whoami. */
function progressFor(args: DoctorArgs): StepListener & { finish: () => void } {
  if (args.output !== 'human' || args.progress === false) return { finish: () => undefined };
  return createProgress({
    write: (text) => writeStderr(redactSecrets(text)),
    tty: process.stderr.isTTY === true,
    color: shouldUseColor(args.color, process.stderr),
  });
}
