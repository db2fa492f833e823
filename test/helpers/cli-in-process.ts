import { main } from '../../src/cli/main.js';
import { main as tokenMain } from '../../src/token/entry.js';
import type { CliResult } from './cli.js';

/**
 * Runs the CLI inside the test process, as bin/eksauth.js does (`token` through its own entry),
 * with `env` as the whole environment: a few milliseconds a run instead of a Node start-up.
 * Runs must not overlap (process.env and the standard streams are the process's).
 */
export async function eksauthInProcess(argv: string[], env: Record<string, string>): Promise<CliResult> {
  const saved = {
    env: process.env,
    exitCode: process.exitCode,
    emitWarning: process.emitWarning,
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
    stdoutErrorListeners: process.stdout.listeners('error'),
  };
  const out: string[] = [];
  const err: string[] = [];
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
  process.env = { NO_COLOR: '1', ...env };
  process.exitCode = undefined;
  process.stdout.write = capture(out) as typeof process.stdout.write;
  process.stderr.write = capture(err) as typeof process.stderr.write;
  try {
    if (argv[0] !== 'token' || !(await tokenMain(argv.slice(1)))) await main(argv);
    return { status: Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    process.env = saved.env;
    process.exitCode = saved.exitCode;
    process.emitWarning = saved.emitWarning;
    // main() adds an EPIPE handler to stdout on every run.
    for (const listener of process.stdout.listeners('error'))
      if (!saved.stdoutErrorListeners.includes(listener))
        process.stdout.removeListener('error', listener as (...args: unknown[]) => void);
  }
}
