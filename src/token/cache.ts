/**
 * A private on-disk cache for tokens and assumed-role credentials, the only place eksauth ever
 * writes a secret. Files are 0600 in a 0700 directory we own, written to a unique temporary file
 * and renamed into place (so concurrent kubectl calls never see half a file), and read with
 * O_NOFOLLOW|O_NONBLOCK and an fstat check: anything not a regular file of ours, not private or
 * not parseable is ignored, and the next write replaces it (a directory squatting on an entry's
 * name included). The cache is best-effort and silent: no failure here ever fails a mint, and
 * nothing is printed, since kubectl shows the plugin's stderr on every call.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from './aws-config.js';

/** Entries are reused until this long before they expire. */
export const REUSE_MARGIN_MS = 60_000;
const MAX_ENTRY_BYTES = 64 * 1024;

export function cacheDirectory(env: Env): string {
  const base =
    env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/')
      ? env.XDG_CACHE_HOME
      : join(env.HOME ?? homedir(), '.cache');
  return join(base, 'eksauth');
}

/**
 * Everything that decides whether an entry may be reused, as one canonical string. It is stored in
 * the entry and compared on every read, so the file name's hash only spreads entries: a collision
 * is a miss, never another identity's token. Secrets go in through credentialFingerprint only.
 */
export function cacheKey(parts: Record<string, string | undefined>): string {
  return JSON.stringify(
    Object.keys(parts)
      .sort()
      .map((k) => [k, parts[k] ?? null]),
  );
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const cacheFileName = (kind: 'token' | 'role', key: string): string =>
  `${kind}-${sha256(key).slice(0, 32)}.json`;

/**
 * Everything about the signing credentials that changes the token, for a cache key: the key id,
 * the secret key, the session token and their expiry. Secrets go in only as a SHA-256 digest, so
 * an entry never holds them in clear, yet a corrected secret key, an added session token or a
 * refreshed (shorter-lived) session is a different key, never the old token.
 */
export function credentialFingerprint(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}): string {
  const expiry = credentials.expiration?.getTime();
  return sha256(
    JSON.stringify([
      'eksauth-cache-v2',
      credentials.accessKeyId,
      credentials.secretAccessKey,
      credentials.sessionToken ?? null,
      expiry !== undefined && Number.isFinite(expiry) ? expiry : null,
    ]),
  );
}

const uid = (): number | undefined => process.getuid?.();

/** Ensures the directory exists, is ours and is 0700; undefined when it cannot be made safe. */
function safeDirectory(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return undefined;
    const me = uid();
    if (me !== undefined && stat.uid !== me) return undefined;
    if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return dir;
  } catch {
    return undefined;
  }
}

/** The entry's JSON, only if the file is a regular file of ours that nobody else can read or write. */
export function readCacheEntry(env: Env, name: string): unknown {
  let fd: number | undefined;
  try {
    const dir = safeDirectory(cacheDirectory(env));
    if (dir === undefined) return undefined;
    // O_NONBLOCK: opening a FIFO planted at this name must not wait for a writer (fstat refuses it).
    fd = openSync(join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    const me = uid();
    if (
      !stat.isFile() ||
      (me !== undefined && stat.uid !== me) ||
      (stat.mode & 0o077) !== 0 ||
      stat.size > MAX_ENTRY_BYTES
    )
      return undefined;
    return JSON.parse(readFileSync(fd, 'utf8')) as unknown;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeCacheEntry(env: Env, name: string, value: unknown): void {
  const dir = safeDirectory(cacheDirectory(env));
  if (dir === undefined) return;
  const target = join(dir, name);
  // Unique per process and call; O_EXCL below refuses to reuse an existing name.
  const temporary = join(
    dir,
    `.${name}.${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    writeSync(fd, JSON.stringify(value));
    closeSync(fd);
    fd = undefined;
    replace(temporary, target);
  } catch {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was created.
    }
  }
}

/**
 * rename(2) replaces a file but not a directory: a directory at an entry's name (made by hand or
 * by a bug) would otherwise turn every later write into a silent miss, for good. The cache
 * directory is ours and 0700, so whatever sits at an entry's name is ours to remove.
 */
function replace(temporary: string, target: string): void {
  try {
    renameSync(temporary, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    rmSync(target, { recursive: true, force: true });
    renameSync(temporary, target);
  }
}

/**
 * True when an entry expiring at `expiresAt` (ms) may still be handed out at `now`: a finite time,
 * more than the reuse margin ahead, and no further ahead than anything of its kind can live
 * (`maxLifetimeMs`), so a planted or corrupt far-future expiry is a miss, never trusted.
 */
export const stillFresh = (expiresAt: number, now: Date, maxLifetimeMs: number): boolean =>
  Number.isFinite(expiresAt) &&
  now.getTime() < expiresAt - REUSE_MARGIN_MS &&
  expiresAt - now.getTime() <= maxLifetimeMs;
