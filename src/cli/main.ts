import yargs from 'yargs';
import { redactSecrets } from '../core/redact.js';
import { EnvironmentError, UsageError, exitCodeOfError } from './errors.js';
import { withExamples } from './help-examples.js';
import { withDoctorOptions, withOutput, withWhoamiOptions } from './options.js';
import { writeError } from './io.js';
import { dropSdkNodeVersionWarning } from './quiet-warnings.js';
import { VERSION } from './version.js';

/**
 * Wiring only: every command's module is imported when that command runs, so `eksauth token`
 * (run by kubectl on every call) never loads the code of `doctor` or `sandbox`.
 */
export async function main(argv: string[]): Promise<void> {
  dropSdkNodeVersionWarning();
  // `eksauth lint big.yaml | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const parser = withExamples(yargs(joinStdinValues(argv)), 'top')
    .scriptName('eksauth')
    .usage(
      '$0 <command> [options]\n\nWhy does this AWS principal get Unauthorized from this EKS cluster, and what exactly do I change?',
    )
    // The flag people type is --no-color; yargs would list it as --color, so help shows that spelling.
    .option('color', { type: 'boolean', hidden: true, global: true })
    .option('no-color', {
      type: 'boolean',
      describe: 'Never colour (default: colour only on a terminal, and never when NO_COLOR is set)',
      global: true,
    })
    .command(
      'doctor',
      'Live, read-only diagnosis: why this principal gets Unauthorized from this cluster, step by step',
      (y) => withOutput(withExamples(withDoctorOptions(y), 'doctor')),
      async (args) => (await import('./commands/doctor.js')).runDoctor(args),
    )
    .command(
      'whoami',
      'Who the cluster thinks the principal is (username, groups, mapping), and why not when it gets 401',
      (y) => withOutput(withExamples(withWhoamiOptions(y), 'whoami')),
      async (args) => (await import('./commands/whoami.js')).runWhoami(args),
    )
    .command(
      'verify',
      'A matrix of principals against expected access, for CI after a migration (exit 1 on any mismatch)',
      (y) =>
        withOutput(withExamples(y, 'verify'))
          // JUnit XML is for CI systems; only verify produces it.
          .choices('output', ['junit'])
          .option('cluster', {
            type: 'string',
            array: true,
            describe: 'EKS cluster name (repeatable; default: `clusters:` of the expectations file)',
          })
          .option('expect', {
            type: 'string',
            describe: 'Expectations file (YAML, docs/verify.md); with --generate, where to write it',
          })
          .option('generate', {
            type: 'boolean',
            default: false,
            describe: "Write an expectations file from the cluster's current state (the snapshot before a migration)",
          })
          .option('principal', {
            type: 'string',
            array: true,
            describe: 'With --generate: also snapshot this role or user ARN (repeatable)',
          })
          .option('region', {
            type: 'string',
            describe: 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)',
          })
          .option('profile', { type: 'string', describe: 'AWS profile for your own credentials (the operator)' })
          // Each principal is a short chain of round trips (assume, /version, reviews), latency-bound
          // not CPU-bound: 16 in flight keeps 50 principals within 3× of one doctor run (bench/verify.mjs).
          .option('concurrency', { type: 'number', default: 16, describe: 'Principals checked at once' })
          .option('timeout', { type: 'number', default: 10, describe: 'Seconds each network step may take' })
          .option('logs-since', {
            type: 'string',
            default: '1h',
            describe:
              'How far back to read control-plane logs and CloudTrail changes (30m, 2h, 1d); writes to aws-auth are searched at least a day back',
          })
          .option('sandbox', {
            type: 'string',
            describe: 'Run against an emulated control plane: a shipped scenario name or a scenario file',
          })
          .option('operator', {
            type: 'string',
            describe: 'With --sandbox: the scenario principal whose credentials you run with',
          })
          .option('fault', {
            type: 'string',
            array: true,
            describe: 'With --sandbox: add a fault (see eksauth sandbox --help), e.g. kube:latency=100',
          }),
      async (args) => (await import('./commands/verify.js')).runVerify(args),
    )
    .command(
      'token',
      'Print an ExecCredential for kubectl: a faster, cached drop-in for `aws eks get-token`',
      (y) =>
        withExamples(y, 'token')
          // An ExecCredential is JSON; update-kubeconfig writes `--output json`, so that is accepted.
          .option('output', {
            alias: 'o',
            choices: ['json'] as const,
            default: 'json' as const,
            describe: 'ExecCredential JSON, the one format kubectl reads',
          })
          .option('cluster', {
            alias: ['cluster-name', 'cluster-id'],
            type: 'string',
            demandOption: true,
            describe: 'EKS cluster name (for Outposts local clusters: the cluster id)',
          })
          .option('region', {
            type: 'string',
            describe: "Region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region)",
          })
          .option('profile', { type: 'string', describe: 'Shared-config profile for the source credentials' })
          .option('role-arn', { alias: 'role', type: 'string', describe: 'Assume this role and sign with its session' })
          .option('session-name', {
            type: 'string',
            describe: 'Role session name (default EKSGetTokenAuth, as the aws CLI)',
          })
          .option('external-id', { type: 'string', describe: 'External id for the role assumption' })
          .option('cache', { type: 'boolean', default: true, hidden: true })
          .option('no-cache', {
            type: 'boolean',
            describe: 'Mint a new token (default: reuse a cached one until 60 s before it expires)',
          }),
      async (args) => (await import('./commands/token.js')).runTokenCommand(args),
    )
    .command(
      'decode-token [token]',
      'What a token contains and whether the authenticator would accept it (--verify asks STS)',
      (y) =>
        withOutput(withExamples(y, 'decode-token'))
          .positional('token', { type: 'string', describe: 'The token, an ExecCredential, or - for standard input' })
          .option('cluster', {
            alias: 'cluster-name',
            type: 'string',
            describe: 'The cluster the token is meant for (needed by --verify)',
          })
          .option('verify', {
            type: 'boolean',
            default: false,
            describe: 'Replay the token against the STS host it names',
          })
          .option('kubeconfig-user', { type: 'string', describe: 'Read the token of this kubeconfig user entry' })
          .option('kubeconfig', { type: 'string', describe: 'Kubeconfig file (default: KUBECONFIG, ~/.kube/config)' })
          .option('partition', {
            type: 'string',
            describe: "The cluster's partition (default: that of the token's STS host)",
          })
          .option('region', {
            type: 'string',
            describe: "The cluster's region (hosts of regions the SDK does not know)",
          }),
      async (args) => (await import('./commands/decode-token.js')).runDecodeToken(args),
    )
    .command(
      'explain',
      'Offline simulation: what EKS does with this principal, and why',
      (y) =>
        withOutput(withExamples(y, 'explain'))
          .option('principal', {
            type: 'string',
            demandOption: true,
            describe: 'IAM role or user ARN, or STS assumed-role ARN',
          })
          .option('session-name', { type: 'string', describe: 'Role session name, for {{SessionName}} templates' })
          .option('aws-auth', { type: 'string', describe: 'aws-auth ConfigMap (kubectl -o yaml|json, or a manifest)' })
          .option('cluster-info', { type: 'string', describe: 'aws eks describe-cluster --name NAME output' })
          .option('access-entries', {
            type: 'string',
            describe: 'JSON array of DescribeAccessEntry accessEntry objects',
          })
          .option('mode', {
            choices: ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'] as const,
            describe: 'Authentication mode (overrides --cluster-info)',
          })
          .option('creator', { type: 'string', describe: 'ARN of the IAM principal that created the cluster' })
          .option('nodegroups', { type: 'string', describe: 'JSON array of DescribeNodegroup nodegroup objects' })
          .option('fargate-profiles', {
            type: 'string',
            describe: 'JSON array of DescribeFargateProfile fargateProfile objects',
          })
          .option('rbac', {
            type: 'string',
            describe: 'kubectl get clusterrolebindings,rolebindings -A -o json output',
          }),
      async (args) => (await import('./commands/explain.js')).runExplain(args),
    )
    .command(
      'lint [file]',
      'Offline checks of an aws-auth ConfigMap (kubectl get cm aws-auth -n kube-system -o yaml|json)',
      (y) =>
        withOutput(withExamples(y, 'lint')).positional('file', {
          type: 'string',
          default: '-',
          describe: 'ConfigMap file, or - for standard input',
        }),
      async (args) => (await import('./commands/lint.js')).runLint(args),
    )
    .command(
      'sandbox',
      'An emulated EKS control plane on 127.0.0.1 (STS, EKS, IAM, CloudTrail, the Kubernetes API) for demos and practice',
      (y) =>
        withOutput(withExamples(y, 'sandbox'))
          .option('scenario', {
            type: 'string',
            default: 'healthy',
            describe: 'A shipped scenario (see --list; a check id such as aws-auth/yaml-invalid works) or a YAML file',
          })
          .option('principal', {
            type: 'string',
            describe: "Whose credentials the env file and kubeconfig carry (default: the scenario's)",
          })
          .option('env-out', {
            // Node 20 claims `--env-file` anywhere on its command line and exits when the file does
            // not exist yet, so the alias only works on Node 22+.
            alias: 'env-file',
            type: 'string',
            describe: 'Write the AWS environment (source-able) here (default: in the sandbox temp dir)',
          })
          .option('kubeconfig', {
            type: 'string',
            describe: 'Write the kubeconfig here (default: in the sandbox temp dir)',
          })
          .option('fault', {
            type: 'string',
            array: true,
            describe: 'Add a fault: SERVICE:KIND[=MS|STATUS][,action=OP][,principal=ID][,times=N], e.g. eks:throttle',
          })
          .option('auth', {
            choices: ['aws-cli', 'eksauth'] as const,
            default: 'aws-cli' as const,
            describe: "kubeconfig exec plugin: 'aws eks get-token' or 'eksauth token'",
          })
          .option('list', { type: 'boolean', default: false, describe: 'List the shipped scenarios and exit' })
          .option('log', { type: 'boolean', default: false, describe: 'Print every request on standard error' }),
      async (args) => (await import('./commands/sandbox.js')).runSandbox(args),
    )
    .command(
      'checks [id]',
      'List every check, or print the docs page of one',
      (y) =>
        withOutput(withExamples(y, 'checks')).positional('id', {
          type: 'string',
          describe: 'Check id, e.g. aws-auth/role-arn-has-path',
        }),
      async (args) => (await import('./commands/checks.js')).runChecksCommand(args),
    )
    // yargs' own: `eksauth completion >> ~/.bashrc` (or ~/.zshrc), see README.
    .completion('completion', 'Print a bash or zsh completion script (eksauth completion >> ~/.bashrc)')
    .demandCommand(1, 'Name a command: eksauth --help lists them')
    .strict()
    .version(VERSION)
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs spreads one complaint over lines ("Invalid values:\n  Argument: output, Given: …"):
      // the error line keeps all of it, so the flag and its allowed values are never cut off.
      throw error ?? new UsageError(message.replace(/\s*\n\s*/g, ' '));
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    reportError(error);
  }
}

/** Options that name an input file; `-` means standard input. */
const FILE_OPTIONS = new Set([
  '--aws-auth',
  '--cluster-info',
  '--access-entries',
  '--nodegroups',
  '--fargate-profiles',
  '--rbac',
  '--expect',
  '--evidence',
]);

/** yargs reads a lone `-` as a positional, so `--aws-auth -` becomes `--aws-auth=-`. */
function joinStdinValues(argv: string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const previous = out[out.length - 1];
    if (arg === '-' && previous !== undefined && FILE_OPTIONS.has(previous)) out[out.length - 1] = `${previous}=-`;
    else out.push(arg);
  }
  return out;
}

function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const known = error instanceof UsageError || error instanceof EnvironmentError;
  const firstLine = message.split('\n')[0] ?? message;
  writeError(`eksauth: ${known ? '' : 'internal error: '}${redactSecrets(firstLine)}`);
  if (!known && process.env.EKSAUTH_DEBUG) writeError(redactSecrets((error as Error).stack ?? ''));
  process.exitCode = exitCodeOfError(error);
}
