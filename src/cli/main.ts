import yargs from 'yargs';
import { EnvironmentError, UsageError, exitCodeOfError } from './errors.js';
import { OUTPUT_FORMATS } from './output-options.js';
import { VERSION } from './version.js';

/**
 * Wiring only: every command's module is imported when that command runs, so `eksauth token`
 * (run by kubectl on every call) never loads the code of `doctor` or `sandbox`.
 */
export async function main(argv: string[]): Promise<void> {
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
  process.stderr.write(`eksauth: ${known ? '' : 'internal error: '}${firstLine}\n`);
  if (!known && process.env.EKSAUTH_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  process.exitCode = exitCodeOfError(error);
}
