import type { AwsError } from './http.js';

/**
 * Pages a list the way EKS and CloudTrail do: an opaque nextToken, here the base64 of the
 * offset, so a token only works on the list that issued it (same key).
 */
export function paginate<T>(
  items: T[],
  maxResults: string | number | null | undefined,
  nextToken: string | null | undefined,
  key: string,
  limits: { max: number; fallback: number },
  invalid: (message: string) => AwsError,
): { page: T[]; nextToken?: string } {
  const size =
    maxResults === null || maxResults === undefined || maxResults === '' ? limits.fallback : Number(maxResults);
  if (!Number.isInteger(size) || size < 1 || size > limits.max)
    throw invalid(`maxResults must be between 1 and ${limits.max}`);
  let offset = 0;
  if (nextToken) {
    const decoded = Buffer.from(nextToken, 'base64').toString('utf8');
    const match = /^(.*):(\d+)$/.exec(decoded);
    if (!match || match[1] !== key) throw invalid('The nextToken provided is invalid.');
    offset = Number(match[2]);
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(`${key}:${offset + size}`).toString('base64') : undefined;
  return { page, ...(next !== undefined ? { nextToken: next } : {}) };
}
