import { InputRejected, readBoundedText } from '../inputs/read-text.js';
import { forTerminal } from '../report/sanitise.js';
import { UsageError } from './errors.js';

export { INPUT_LIMITS } from '../inputs/read-text.js';

/**
 * Reads a file, or standard input for `-`, as text of at most `maxBytes` (see INPUT_LIMITS); any
 * failure, a too-large input included, is one clear line.
 */
export function readInput(path: string, what: string, maxBytes: number): string {
  const where = path === '-' ? 'from standard input' : `'${path}'`;
  try {
    return readBoundedText(path, maxBytes);
  } catch (error) {
    if (error instanceof InputRejected) throw new UsageError(`${what} ${where} ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UsageError(`cannot read ${what} ${where}: ${reason}`);
  }
}

export function parseJsonInput(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} '${path}' is not JSON: ${(error as Error).message}`);
  }
}

/**
 * The only writers to stdout and stderr (eslint forbids the others): whatever is printed, in any
 * format, passes the one sanitiser here, so a value from outside never reaches a terminal as
 * something it obeys (src/report/sanitise.ts).
 */
export function writeOutput(text: string): void {
  process.stdout.write(forTerminal(endLine(text)));
}

/** A message on stderr: errors, warnings, progress. */
export function writeError(text: string): void {
  process.stderr.write(forTerminal(endLine(text)));
}

/** Progress text on stderr as it is, without a line end added (a waiting line is rewritten in place). */
export function writeStderr(text: string): void {
  process.stderr.write(forTerminal(text));
}

const endLine = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
