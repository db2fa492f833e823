import yargs, { type Argv } from 'yargs';
import { EnvironmentError, UsageError, exitCodeOfError } from './errors.js';
import { writeError } from './io.js';
import { OUTPUT_FORMATS } from './output-options.js';
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
  const parser = yargs(joinStdinValues(argv))
    .scriptName('eksauth')
    .usage(
      '$0 <command> [options]\n\nWhy does this AWS principal get Unauthorized from this EKS cluster, and what exactly do I change?',
    )
    .option('output', {
      alias: 'o',
      choices: OUTPUT_FORMATS,
      default: 'human' as const,
      describe: 'Output format',
      global: true,
    })
    .option('color', {
      type: 'boolean',
      describe: 'Colour (default: only on a terminal; NO_COLOR disables)',
      global: true,
    })
    .command(
      'lint [file]',
      'Offline checks of an aws-auth ConfigMap (kubectl get cm aws-auth -n kube-system -o yaml|json)',
      (y) =>
        y.positional('file', { type: 'string', default: '-', describe: 'ConfigMap file, or - for standard input' }),
      async (args) => (await import('./commands/lint.js')).runLint(args),
    )
    .command(
      'explain',
      'Offline simulation: what EKS does with this principal, and why',
      (y) =>
        y
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
      'checks [id]',
      'List every check, or print the docs page of one',
      (y) => y.positional('id', { type: 'string', describe: 'Check id, e.g. aws-auth/role-arn-has-path' }),
      async (args) => (await import('./commands/checks.js')).runChecksCommand(args),
    )
    .command(
      'token',
      'Print an ExecCredential for kubectl: a faster, cached drop-in for `aws eks get-token`',
      (y) =>
        y
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
          .option('cache', {
            type: 'boolean',
            default: true,
            describe: 'Reuse a cached token until 60 s before it expires (--no-cache to mint anew)',
          }),
      async (args) => (await import('./commands/token.js')).runTokenCommand(args),
    )
    .command(
      'decode-token [token]',
      'What a token contains and whether the authenticator would accept it (--verify asks STS)',
      (y) =>
        y
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
      'sandbox',
      'An emulated EKS control plane on 127.0.0.1 (STS, EKS, IAM, CloudTrail, the Kubernetes API) for demos and practice',
      (y) =>
        y
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
      'verify',
      'A matrix of principals against expected access, for CI after a migration (exit 1 on any mismatch)',
      (y) =>
        y
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
      'doctor',
      'Live, read-only diagnosis: why this principal gets Unauthorized from this cluster, step by step',
      (y) => withDoctorOptions(y),
      async (args) => (await import('./commands/doctor.js')).runDoctor(args),
    )
    .command(
      'whoami',
      'Who the cluster thinks the principal is (username, groups, mapping), and why not when it gets 401',
      (y) => withDoctorOptions(y),
      async (args) => (await import('./commands/whoami.js')).runWhoami(args),
    )
    .demandCommand(1, 'Name a command: eksauth --help lists them')
    .strict()
    .version(VERSION)
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    reportError(error);
  }
}

/** The options doctor and whoami share: who to diagnose, where, and how long to wait. */
function withDoctorOptions<T>(y: Argv<T>) {
  return y
    .option('cluster', { type: 'string', describe: 'EKS cluster name' })
    .option('role-arn', {
      type: 'string',
      describe: 'The role to diagnose (assumed as aws eks get-token --role-arn does); default: your own identity',
    })
    .option('session-name', {
      type: 'string',
      describe: 'Session name for --role-arn (default EKSGetTokenAuth, as the aws CLI)',
    })
    .option('external-id', { type: 'string', describe: 'External id for --role-arn' })
    .option('region', {
      type: 'string',
      describe: 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)',
    })
    .option('profile', { type: 'string', describe: 'AWS profile for your own credentials' })
    .option('target-profile', {
      type: 'string',
      describe: 'Diagnose the identity of this profile instead of assuming --role-arn',
    })
    .option('timeout', { type: 'number', default: 10, describe: 'Seconds each network step may take' })
    .option('save-evidence', { type: 'string', describe: 'Write everything collected (redacted) to this file' })
    .option('evidence', { type: 'string', describe: 'Replay a file written by --save-evidence, offline' })
    .option('sandbox', {
      type: 'string',
      describe: 'Run against an emulated control plane: a shipped scenario name or a scenario file',
    })
    .option('can', {
      type: 'string',
      array: true,
      describe: 'A request to check, in kubectl auth can-i words: "list secrets -n prod" (repeatable)',
    })
    .option('exec', {
      type: 'boolean',
      default: true,
      describe: "Run the kubeconfig's exec plugin to see who it resolves (--no-exec to skip)",
    })
    .option('operator', {
      type: 'string',
      describe: 'With --sandbox: the scenario principal whose credentials you run with',
    })
    .option('serial', {
      type: 'boolean',
      hidden: true,
      describe: 'Run steps one at a time (benchmark baseline)',
    });
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
  writeError(`eksauth: ${known ? '' : 'internal error: '}${firstLine}`);
  if (!known && process.env.EKSAUTH_DEBUG) writeError((error as Error).stack ?? '');
  process.exitCode = exitCodeOfError(error);
}
