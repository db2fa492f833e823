import { InputRejected, readBoundedText } from '../inputs/read-text.js';
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

export function writeOutput(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
