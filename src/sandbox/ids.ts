import { createHash, randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Deterministic IAM-style ids, so a scenario without explicit ids gives the same ids every run. */
export function stableId(prefix: string, seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = prefix;
  for (let i = 0; out.length < prefix.length + length; i++) out += BASE32[(digest[i % digest.length] ?? 0) % 32];
  return out;
}

export function stableSecret(seed: string): string {
  return createHash('sha256')
    .update(`secret:${seed}`)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 40)
    .padEnd(40, 'x');
}

export function randomId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const byte of bytes) out += BASE32[byte % 32];
  return out;
}

export const requestId = (): string => {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** A stable UUID-looking suffix, as EKS puts on access-entry and node-group ARNs. */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
