/**
 * The one way eksauth reads a file or standard input someone hands it: incrementally, stopping at
 * a size limit (so `/dev/zero` or a runaway pipe is refused, not buffered until the heap dies),
 * and decoded as text the way editors write it (UTF-8, with or without a byte-order mark, or
 * UTF-16 with one, as PowerShell's `Out-File` and `>` write).
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** The most eksauth reads of each kind of input; README.md "Input limits" documents them. */
export const INPUT_LIMITS = {
  /** Kubernetes refuses a ConfigMap over 1 MiB. */
  configMap: 1024 * 1024,
  /** A token is at most 4 KiB (the authenticator's limit); this leaves room for an ExecCredential around it. */
  token: 16 * 1024,
  kubeconfig: 4 * 1024 * 1024,
  /** ~/.aws/config and ~/.aws/credentials. */
  awsConfig: 1024 * 1024,
  expectations: 4 * 1024 * 1024,
  /** A sandbox scenario file (the shipped ones are a few KiB). */
  scenario: 4 * 1024 * 1024,
  /** DescribeCluster output, access entries, node groups, Fargate profiles. */
  awsJson: 16 * 1024 * 1024,
  /** Every binding of a large cluster, and saved evidence that holds them and the ConfigMap. */
  rbac: 64 * 1024 * 1024,
  evidence: 64 * 1024 * 1024,
} as const;

/** Why an input was refused: too large, or not text. Errors from the file system pass through. */
export class InputRejected extends Error {}

const CHUNK_BYTES = 64 * 1024;

/**
 * Deeper bracket nesting than any real input has (they stay under ten). The YAML parser needs
 * memory and time superlinear in it (a 1 MB `[[[…]]]` took 10 s and 625 MB) before it overflows
 * the stack, so such text is refused before it is parsed.
 */
export const MAX_NESTING = 256;

/** Reads `path` (`-` is standard input) as text, refusing more than `maxBytes` or nesting deeper than MAX_NESTING. */
export function readBoundedText(path: string, maxBytes: number): string {
  const fd = path === '-' ? 0 : openSync(path, 'r');
  try {
    const text = decodeText(readUpTo(fd, maxBytes));
    if (bracketDepth(text) > MAX_NESTING)
      throw new InputRejected(`nests brackets more than ${MAX_NESTING} levels deep, which no real input does`);
    return text;
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

function readUpTo(fd: number, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
    let read: number;
    try {
      read = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A non-blocking pipe (stdin inherited from some parents) has no data yet: wait, do not spin.
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw error;
    }
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > maxBytes) throw new InputRejected(`is larger than ${formatBytes(maxBytes)}, the most eksauth reads`);
  }
  return Buffer.concat(chunks, total);
}

/**
 * The deepest `[`/`{` nesting, counting every bracket (quoted or not): an over-estimate for text
 * with brackets in strings, which real inputs do not have hundreds of.
 */
function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return deepest;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;
}

/**
 * UTF-8 (a byte-order mark is dropped) or UTF-16 with a byte-order mark. NUL bytes are refused:
 * no text format eksauth reads has them, and UTF-16 without a mark is all NULs to a UTF-8 reader.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8WithoutNul(bytes.subarray(3));
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (le || be) {
    const body = Buffer.from(bytes.subarray(2));
    if (body.length % 2 !== 0) throw new InputRejected('is UTF-16 with an odd number of bytes (truncated?)');
    const text = (be ? body.swap16() : body).toString('utf16le');
    if (text.includes('\0')) throw new InputRejected('contains NUL characters, which no text input has');
    return text;
  }
  return utf8WithoutNul(bytes);
}

function utf8WithoutNul(bytes: Buffer): string {
  if (bytes.includes(0))
    throw new InputRejected(
      'contains NUL bytes: it is not UTF-8 text (UTF-16 without a byte-order mark? save it as UTF-8)',
    );
  return bytes.toString('utf8');
}
