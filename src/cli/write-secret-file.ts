import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './errors.js';

const REASONS: Record<string, string> = {
  EISDIR: 'is a directory',
  ENOENT: 'no such directory',
  ENOTDIR: 'a parent is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/**
 * Writes a file that holds credentials or evidence: mode 0600 even when a file with a looser mode
 * was there before. The text goes to a new file beside the target (created exclusively, so never
 * through someone's symlink) and is renamed over it, so a reader sees the old file or the whole
 * new one, never a half. Any failure is one line naming the option (exit 2); the temporary file
 * never stays behind.
 */
export function writeSecretFile(path: string, text: string, option: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot write ${option} '${path}': ${REASONS[code] ?? (error as Error).message}`);
  }
}
