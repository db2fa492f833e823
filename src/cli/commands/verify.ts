import { writeFileSync } from 'node:fs';
import type { AwsContext } from '../../collect/aws-context.js';
import { awsContextFor } from '../../doctor/live-context.js';
import { sandboxEnv } from '../../doctor/sandbox-run.js';
import { principalFromArn } from '../../model/principal.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { Env } from '../../token/aws-config.js';
import {
  ExpectationsError,
  parseExpectations,
  type ClusterExpectation,
  type Expectations,
} from '../../verify/expectations.js';
import { renderSnapshot, snapshotPrincipals, type SnapshotPrincipal } from '../../verify/generate.js';
import { renderVerifyHuman } from '../../verify/render-human.js';
import { renderVerifyJson } from '../../verify/render-json.js';
import { renderVerifyJunit } from '../../verify/render-junit.js';
import { renderVerifyMarkdown } from '../../verify/render-markdown.js';
import { failedCount, verifyCluster, type ClusterResult, type ResolveTarget } from '../../verify/run.js';
import { liveResolver, sandboxOperator, sandboxResolver } from '../../verify/targets.js';
import { parseLogsSince } from '../duration.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { assertRegionName } from '../region-name.js';
import { INPUT_LIMITS, readInput, writeError, writeOutput } from '../io.js';
import { shouldUseColor } from '../output-options.js';

const VERIFY_FORMATS = ['human', 'json', 'markdown', 'junit'] as const;
type VerifyFormat = (typeof VERIFY_FORMATS)[number];

export interface VerifyArgs {
  /** yargs types it as a string once `junit` is added to the global choices; checked below. */
  output?: string | undefined;
  color?: boolean | undefined;
  cluster?: string[] | undefined;
  expect?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  generate: boolean;
  principal?: string[] | undefined;
  sandbox?: string | undefined;
  operator?: string | undefined;
  fault?: string[] | undefined;
  concurrency: number;
  timeout: number;
  /** `--logs-since`: how far back control-plane logs are read (`2h`). */
  logsSince?: string | undefined;
}

/** Where principals get checked: the real AWS account, or a sandbox started in-process. */
interface Plane {
  contextFor(region: string | undefined): Promise<AwsContext>;
  resolve: ResolveTarget;
  defaultClusters: ClusterExpectation[];
  close(): Promise<void>;
}

/**
 * `eksauth verify`: every principal of the expectations file against every cluster, sharing each
 * cluster's evidence, with the doctor's root cause for each mismatch. `--generate` writes the file
 * from what the cluster does now.
 */
export async function runVerify(args: VerifyArgs): Promise<void> {
  const format = VERIFY_FORMATS.find((f) => f === (args.output ?? 'human'));
  if (!format) throw new UsageError(`--output must be one of ${VERIFY_FORMATS.join(', ')}`);
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1)
    throw new UsageError(`--concurrency must be a whole number of at least 1, not ${args.concurrency}`);
  if (!Number.isFinite(args.timeout) || args.timeout <= 0)
    throw new UsageError(`--timeout must be a positive number of seconds, not ${args.timeout}`);
  const logsSinceMs = args.logsSince !== undefined ? parseLogsSince(args.logsSince) : undefined;
  if (args.generate && format !== 'human')
    throw new UsageError('--generate writes an expectations file (YAML); --output does not apply to it');
  if (!args.generate && (args.principal?.length ?? 0) > 0)
    throw new UsageError('--principal only names principals for --generate; verify reads them from --expect');
  if (!args.generate && args.expect === undefined) throw new UsageError('--expect FILE is required (or --generate)');

  const expectations = args.generate ? undefined : loadExpectations(args.expect ?? '-');
  const named = args.generate ? namedPrincipals(args.principal ?? []) : [];
  const plane = args.sandbox !== undefined ? await sandboxPlane(args, args.sandbox) : livePlane(args);
  const results: ClusterResult[] = [];
  try {
    const clusters = clustersToCheck(args, expectations, plane);
    for (const cluster of clusters) {
      // A region from the expectations file or the scenario is input: named as such, exit 2.
      const from = expectations?.clusters.includes(cluster) ? 'the expectations file' : 'the scenario';
      assertRegionName(cluster.region, `the region of cluster ${cluster.name} in ${from}`, 'usage');
      const context = await plane.contextFor(cluster.region ?? args.region);
      results.push(
        await verifyCluster({
          context,
          cluster: cluster.name,
          principals: expectations ? expectations.principals : (shared) => snapshotPrincipals(named, shared),
          resolve: plane.resolve,
          concurrency: args.concurrency,
          now: () => new Date(),
          ...(logsSinceMs !== undefined ? { logsSinceMs } : {}),
        }),
      );
    }
  } finally {
    await plane.close();
  }

  const environment = results.find((r) => r.environmentFailure);
  if (args.generate) {
    if (environment)
      throw new EnvironmentError(`cannot read ${environment.cluster}: ${environment.environmentFailure ?? ''}`);
    const text = renderSnapshot(results, new Date());
    if (args.expect && args.expect !== '-') {
      writeFileSync(args.expect, text);
      const count = new Set(results.flatMap((r) => r.principals.map((p) => p.expectation.label))).size;
      writeError(`eksauth: wrote ${count} principals to ${args.expect}`);
    } else writeOutput(text);
    return;
  }
  writeOutput(render(results, format, args));
  if (environment) {
    writeError(`eksauth: the operator's credentials do not work: ${environment.environmentFailure ?? ''}`);
    process.exitCode = 3;
  } else process.exitCode = failedCount(results) > 0 ? 1 : 0;
}

function render(results: ClusterResult[], format: VerifyFormat, args: VerifyArgs): string {
  switch (format) {
    case 'json':
      return renderVerifyJson(results);
    case 'junit':
      return renderVerifyJunit(results, args.expect ?? '-', new Date());
    case 'markdown':
      return renderVerifyMarkdown(results);
    case 'human':
      return renderVerifyHuman(results, { color: shouldUseColor(args.color) });
  }
}

/** Every error of the file is printed, one line each with its position, before exiting 2. */
function loadExpectations(path: string): Expectations {
  const text = readInput(path, '--expect', INPUT_LIMITS.expectations);
  try {
    return parseExpectations(text, path === '-' ? '<stdin>' : path);
  } catch (error) {
    if (!(error instanceof ExpectationsError)) throw error;
    for (const line of error.lines.slice(0, -1)) writeError(`eksauth: ${line}`);
    throw new UsageError(error.lines[error.lines.length - 1] ?? error.message);
  }
}

function namedPrincipals(arns: string[]): SnapshotPrincipal[] {
  return arns.map((arn) => {
    const parsed = principalFromArn(arn);
    if (!parsed.ok) throw new UsageError(`--principal ${arn}: ${parsed.error}`);
    if (parsed.value.kind !== 'role' && parsed.value.kind !== 'user')
      throw new UsageError(`--principal ${arn}: must be an IAM role or user ARN (or an assumed-role ARN)`);
    return { arn, ...(parsed.value.sessionName ? { sessionName: parsed.value.sessionName } : {}) };
  });
}

/** `--cluster` flags win; else the file's `clusters:`; else, in the sandbox, the scenario's. */
function clustersToCheck(args: VerifyArgs, expectations: Expectations | undefined, plane: Plane): ClusterExpectation[] {
  const fromFlags = (args.cluster ?? []).map((name) => {
    const inFile = expectations?.clusters.find((c) => c.name === name);
    return inFile ?? { name };
  });
  const clusters = fromFlags.length > 0 ? fromFlags : (expectations?.clusters ?? []);
  const chosen = clusters.length > 0 ? clusters : plane.defaultClusters;
  if (chosen.length === 0)
    throw new UsageError('name a cluster: --cluster NAME (repeatable), or `clusters:` in the expectations file');
  return chosen;
}

function livePlane(args: VerifyArgs): Plane {
  const env: Env = process.env;
  return {
    contextFor: (region) => awsContextFor({ env, region, profile: args.profile, timeoutMs: args.timeout * 1000 }),
    resolve: liveResolver(env),
    defaultClusters: [],
    close: async () => undefined,
  };
}

/** Starts the sandbox in-process, as `doctor --sandbox` does, with the cluster creator as operator. */
async function sandboxPlane(args: VerifyArgs, scenarioName: string): Promise<Plane> {
  const { loadScenario } = await import('../../sandbox/scenario/load.js');
  const { startSandbox } = await import('../../sandbox/sandbox.js');
  const { parseFaultFlag } = await import('../../sandbox/fault-flags.js');
  let scenario;
  try {
    scenario = loadScenario(scenarioName);
  } catch (error) {
    throw new UsageError(`--sandbox ${scenarioName}: ${(error as Error).message}`);
  }
  const faults = (args.fault ?? []).map((flag) => {
    try {
      return parseFaultFlag(flag, scenario);
    } catch (error) {
      throw new UsageError(`--fault ${flag}: ${(error as Error).message}`);
    }
  });
  const sandbox: Sandbox = await startSandbox({ scenario, faults });
  const operator = sandboxOperator(sandbox, args.operator);
  if (!operator) {
    await sandbox.close();
    throw new UsageError(`--operator ${args.operator ?? ''}: no such principal in scenario ${scenario.name}`);
  }
  const env = sandboxEnv(sandbox, operator);
  return {
    contextFor: (region) =>
      // Without a region the sandbox env's AWS_REGION applies, as for a user who sourced its env file.
      awsContextFor({ env, region, timeoutMs: args.timeout * 1000 }),
    resolve: sandboxResolver(sandbox, operator),
    defaultClusters: scenario.clusters.map((c) => ({ name: c.name, region: c.region })),
    close: () => sandbox.close(),
  };
}
