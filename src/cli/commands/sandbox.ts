import { join } from 'node:path';
import { renderEnvFile } from '../../sandbox/client-config.js';
import { parseFaultFlag } from '../../sandbox/fault-flags.js';
import { listShippedScenarios, loadScenario, ScenarioError } from '../../sandbox/scenario/load.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import type { Scenario } from '../../sandbox/scenario/types.js';
import { UsageError } from '../errors.js';
import { writeError, writeOutput } from '../io.js';
import { selfCommand } from '../package-files.js';
import type { OutputFormat } from '../output-options.js';
import { writeSecretFile } from '../write-secret-file.js';

export interface SandboxArgs {
  scenario: string;
  principal?: string | undefined;
  envOut?: string | undefined;
  kubeconfig?: string | undefined;
  fault?: string[] | undefined;
  auth: 'aws-cli' | 'eksauth';
  list: boolean;
  log: boolean;
  output: OutputFormat;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** `eksauth sandbox`: start the scenario, write an env file and a kubeconfig, serve until Ctrl-C. */
export async function runSandbox(args: SandboxArgs): Promise<void> {
  if (args.list) {
    writeOutput(listText(args.output));
    return;
  }
  let scenario: Scenario;
  let faults;
  try {
    scenario = loadScenario(args.scenario);
    faults = (args.fault ?? []).map((f) => parseFaultFlag(f, scenario));
  } catch (error) {
    if (error instanceof ScenarioError) throw new UsageError(error.message);
    throw error;
  }
  const principal = args.principal ?? scenario.defaultPrincipal ?? scenario.principals[0]?.id;
  if (!principal || !scenario.principals.some((p) => p.id === principal)) {
    throw new UsageError(
      `no principal '${principal ?? ''}' in scenario ${scenario.name} (known: ${scenario.principals.map((p) => p.id).join(', ')})`,
    );
  }
  const started = Date.now();
  const sandbox = await startSandbox({ scenario, faults });
  const envFile = args.envOut ?? join(sandbox.dir, 'env');
  const kubeconfig = args.kubeconfig ?? join(sandbox.dir, 'kubeconfig');
  try {
    writeSecretFile(envFile, renderEnvFile.text(sandbox.envFor(principal)), '--env-out');
    writeSecretFile(
      kubeconfig,
      sandbox.kubeconfig({
        principal,
        allPrincipals: true,
        auth: args.auth === 'eksauth' ? { kind: 'eksauth', ...selfCommand() } : { kind: 'aws-cli' },
      }),
      '--kubeconfig',
    );
  } catch (error) {
    // Without its files the sandbox is of no use: stop serving, so the error ends the process.
    await sandbox.close();
    throw error;
  }
  if (args.log) {
    sandbox.requestLog.onEntry((e) =>
      writeError(`${e.time} ${e.service} ${e.action} ${e.status} ${e.caller ?? '-'}${e.error ? ` ${e.error}` : ''}`),
    );
  }
  writeOutput(
    args.output === 'json'
      ? JSON.stringify(
          {
            scenario: scenario.name,
            principal,
            endpoints: sandbox.endpoints,
            region: sandbox.region,
            envFile,
            kubeconfig,
            startupMs: Date.now() - started,
          },
          null,
          2,
        )
      : instructions(sandbox, principal, envFile, kubeconfig),
  );
  // Ctrl-C, kill, or the terminal closing: stop serving and remove the temp dir with its credentials.
  await new Promise<void>((resolve) => {
    for (const signal of STOP_SIGNALS) process.once(signal, () => resolve());
  });
  await sandbox.close();
}

function listText(output: OutputFormat): string {
  const scenarios = listShippedScenarios().map((name) => {
    const s = loadScenario(name);
    return { name, description: s.description, rootCause: s.expect.rootCause ?? null };
  });
  if (output === 'json') return JSON.stringify(scenarios, null, 2);
  const width = Math.max(...scenarios.map((s) => s.name.length));
  return scenarios.map((s) => `${s.name.padEnd(width)}  ${s.description}`).join('\n');
}

function instructions(sandbox: Sandbox, principal: string, envFile: string, kubeconfig: string): string {
  const { scenario } = sandbox;
  const lines = [
    `Sandbox for scenario ${scenario.name}: ${scenario.description}`,
    '',
    `  STS        ${sandbox.endpoints.sts}`,
    `  EKS        ${sandbox.endpoints.eks}`,
    `  IAM        ${sandbox.endpoints.iam}`,
    `  CloudTrail ${sandbox.endpoints.cloudtrail}`,
    `  Logs       ${sandbox.endpoints.logs}`,
    ...Object.entries(sandbox.endpoints.clusters).map(([name, url]) => `  cluster ${name}  ${url}`),
    '',
    `AWS tools, as ${principal}:   source ${envFile}`,
    `kubectl, as ${principal}:     export KUBECONFIG=${kubeconfig}`,
    '',
    'Then, for example:',
    '  aws sts get-caller-identity',
    `  aws eks describe-cluster --name ${scenario.clusters[0]?.name ?? 'NAME'}`,
    '  kubectl auth whoami',
    '  kubectl get configmap aws-auth -n kube-system',
    '',
    `Every principal has a kubectl context (kubectl --context ${scenario.clusters[0]?.name ?? 'CLUSTER'}-PRINCIPAL): ${scenario.principals.map((p) => p.id).join(', ')}`,
  ];
  if (scenario.expect.rootCause)
    lines.push(
      `This scenario shows: ${scenario.expect.rootCause}${scenario.expect.principal ? ` (for ${scenario.expect.principal})` : ''}`,
    );
  lines.push('', 'Serving on 127.0.0.1 until Ctrl-C.');
  return lines.join('\n');
}
