/**
 * The entry point for `eksauth token` that bin/eksauth.js loads directly: kubectl runs it on every
 * call, so it parses its few flags by hand instead of loading yargs and the other commands.
 * `--help` goes to the full CLI, which documents the same flags.
 */
import { EnvironmentError, UsageError, exitCodeOfError } from '../cli/errors.js';
import { dropSdkNodeVersionWarning } from '../cli/quiet-warnings.js';
import { redactSecrets } from '../core/redact.js';
import { writeError, writeOutput } from '../cli/io.js';
import { mintToken, type TokenOptions } from './mint.js';

const VALUE_FLAGS: Record<string, keyof Omit<TokenOptions, 'cache'> | 'output'> = {
  cluster: 'cluster',
  'cluster-name': 'cluster',
  // Local clusters on Outposts sign with the cluster id (aws eks get-token --cluster-id).
  'cluster-id': 'cluster',
  region: 'region',
  profile: 'profile',
  'role-arn': 'roleArn',
  // argparse lets `aws eks get-token --role X` through as an abbreviation of --role-arn.
  role: 'roleArn',
  'session-name': 'sessionName',
  'external-id': 'externalId',
  // update-kubeconfig writes `--output json`; the output is JSON either way.
  output: 'output',
};

/** Parses `token`'s flags; undefined means "let the full CLI handle it" (help, version). */
export function parseTokenArgs(argv: readonly string[]): TokenOptions | undefined {
  const options: Partial<TokenOptions> = { cache: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h' || arg === '--version') return undefined;
    // The full CLI's global options, so both paths accept the same command lines.
    if (arg === '--color' || arg === '--no-color') continue;
    const normalized = arg === '-o' ? '--output' : arg;
    if (!normalized.startsWith('--')) throw new UsageError(`token: unexpected argument '${arg}'`);
    const eq = normalized.indexOf('=');
    const name = normalized.slice(2, eq < 0 ? undefined : eq);
    if (name === 'no-cache' || name === 'cache') {
      options.cache = name === 'cache';
      continue;
    }
    const field = VALUE_FLAGS[name];
    if (field === undefined) throw new UsageError(`token: unknown option --${name}`);
    const value = eq >= 0 ? normalized.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--')))
      throw new UsageError(`token: --${name} needs a value`);
    if (field === 'output') {
      if (value !== 'json') throw new UsageError(`token: --output must be json (an ExecCredential is JSON)`);
      continue;
    }
    options[field] = value;
  }
  if (!options.cluster)
    throw new UsageError('token: --cluster NAME is required (the EKS cluster name; --cluster-name is accepted too)');
  return { ...options, cluster: options.cluster, cache: options.cache ?? true };
}

/** Mints and prints; shared by this entry and the yargs command. */
export async function runToken(options: TokenOptions): Promise<void> {
  const { stdout, warnings } = await mintToken(options, process.env);
  for (const warning of warnings) writeError(warning);
  writeOutput(stdout);
}

/**
 * Runs `eksauth token`; false means "not mine" (help, version) and the caller runs the full CLI.
 * This module never loads the full CLI itself, so it can be bundled on its own (dist/token.cjs).
 */
export async function main(argv: string[]): Promise<boolean> {
  // --role-arn and the credential chain load the SDK lazily; kubectl would show its warning on every call.
  dropSdkNodeVersionWarning();
  try {
    const options = parseTokenArgs(argv);
    if (options === undefined) return false;
    await runToken(options);
  } catch (error) {
    const known = error instanceof UsageError || error instanceof EnvironmentError;
    const message = error instanceof Error ? error.message : String(error);
    writeError(`eksauth: ${known ? '' : 'internal error: '}${redactSecrets(message.split('\n')[0] ?? message)}`);
    process.exitCode = exitCodeOfError(error);
  }
  return true;
}
