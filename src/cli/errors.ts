import { EXIT } from '../core/report.js';

/** A failure the user can fix by changing the command or its input: exit 2, one line on stderr. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}

/** The environment stopped us (no credentials, no network): exit 3, one line on stderr. */
export class EnvironmentError extends Error {
  readonly exitCode = EXIT.environment;
}

export function exitCodeOfError(error: unknown): number {
  if (error instanceof UsageError || error instanceof EnvironmentError) return error.exitCode;
  return EXIT.usage;
}
