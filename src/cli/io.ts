import { readFileSync } from 'node:fs';
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

export function writeOutput(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
