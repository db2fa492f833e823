/**
 * A private on-disk cache for tokens and assumed-role credentials, the only place eksauth ever
 * writes a secret. Files are 0600 in a 0700 directory we own, written to a unique temporary file
 * and renamed into place (so concurrent kubectl calls never see half a file), and read with
 * O_NOFOLLOW and an fstat check: anything not ours, not private or not parseable is ignored, and
 * the next write replaces it. The cache is best-effort: no failure here ever fails a mint.
 */
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
 * is a miss, never another identity's token.
 */
export function cacheKey(parts: Record<string, string | undefined>): string {
  return JSON.stringify(
    Object.keys(parts)
      .sort()
      .map((k) => [k, parts[k] ?? null]),
  );
}

/**
 * FNV-1a, 64 bits. Not node:crypto on purpose: loading it costs more than the rest of a cache
 * hit, and the key check above makes a cryptographic hash unnecessary.
 */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

export const cacheFileName = (kind: 'token' | 'role', key: string): string => `${kind}-${fnv1a64(key)}.json`;

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
    fd = openSync(join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW);
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
    renameSync(temporary, target);
  } catch {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was created.
    }
  }
}

/** True when an entry expiring at `expiresAt` (ms) may still be handed out at `now`. */
export const stillFresh = (expiresAt: number, now: Date): boolean => now.getTime() < expiresAt - REUSE_MARGIN_MS;
