import { readFileSync } from 'node:fs';
import { forTerminal } from '../report/sanitise.js';
import { UsageError } from './errors.js';

/** Reads a file, or standard input for `-`, as UTF-8; any failure is one clear line. */
export function readInput(path: string, what: string): string {
  try {
    return path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UsageError(`cannot read ${what} ${path === '-' ? 'from standard input' : `'${path}'`}: ${reason}`);
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

const endLine = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);
