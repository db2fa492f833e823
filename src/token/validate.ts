/**
 * The authenticator's offline token validation (aws-iam-authenticator pkg/token/token.go Verify,
 * everything before the STS call), in its order and with its error texts, so that what we print is
 * what the cluster's `authenticator` log says. Pure: the clock is a parameter.
 */
import type { Partition } from '../model/partitions.js';
import {
  decodeRawUrlBase64,
  formatGoUtc,
  fromBinary,
  goAtoi,
  goEqualFold,
  goQuote,
  goToLower,
  parseAmzDate,
  parseGoQuery,
  parseGoUrl,
  toBinary,
  type QueryPair,
} from './go-compat.js';
import { CLUSTER_ID_HEADER, MAX_TOKEN_BYTES, PRESIGNED_URL_LIFETIME_MS, TOKEN_PREFIX } from './constants.js';
import { checkStsHost, stsRegionOf } from './sts-hosts.js';

export interface TokenValidationOptions {
  partition: Partition;
  now: Date;
  serverRegion?: string;
}

export interface ValidatedToken {
  /** The decoded presigned URL (secret-bearing: never print it). */
  url: string;
  stsHost: string;
  /** `global` for sts.amazonaws.com. */
  region: string;
  /** Parameter names exactly as in the URL. */
  query: Record<string, string>;
  /** First field of X-Amz-Credential. */
  accessKeyId: string;
  /** X-Amz-Date. */
  signedAt: Date;
  /** signedAt + 15 min: the server's rule; X-Amz-Expires plays no part. */
  expiresAt: Date;
  signedHeaders: string[];
  expiresParam: number;
  hasSessionToken: boolean;
}

// Re-exported: the sandbox and other callers import the token constants from here.
export { CLUSTER_ID_HEADER, MAX_TOKEN_BYTES, PRESIGNED_URL_LIFETIME_MS, TOKEN_PREFIX } from './constants.js';

export type TokenCheckId = 'token/malformed' | 'token/wrong-sts-host' | 'token/cluster-id-not-signed' | 'token/expired';

export type TokenValidation =
  | { ok: true; token: ValidatedToken }
  | { ok: false; checkId: TokenCheckId; message: string; partial?: Partial<ValidatedToken> };

export const FORMAT_ERROR_PREFIX = 'input token was not properly formatted: ';

const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

export function validateToken(token: string, options: TokenValidationOptions): TokenValidation {
  const partial: Partial<ValidatedToken> = {};
  // Messages are built from Go-style byte strings and turned into text once, here.
  const formatError = (checkId: TokenCheckId, message: string): TokenValidation => ({
    ok: false,
    checkId,
    message: FORMAT_ERROR_PREFIX + fromBinary(message),
    ...(Object.keys(partial).length > 0 ? { partial } : {}),
  });
  const malformed = (message: string): TokenValidation => formatError('token/malformed', message);

  const bytes = toBinary(token);
  if (bytes.length > MAX_TOKEN_BYTES) return malformed('token is too large');
  if (!bytes.startsWith(TOKEN_PREFIX)) return malformed(`token is missing expected "${TOKEN_PREFIX}" prefix`);

  const decoded = decodeRawUrlBase64(bytes.slice(TOKEN_PREFIX.length));
  if (!decoded.ok) return malformed(decoded.error);
  const url = parseGoUrl(decoded.value);
  if (!url.ok) return malformed(url.error);
  partial.url = fromBinary(decoded.value);
  if (url.value.scheme !== 'https')
    return malformed(`unexpected scheme ${goQuote(url.value.scheme)} in pre-signed URL`);

  const host = url.value.host;
  partial.stsHost = fromBinary(host);
  const region = stsRegionOf(host);
  if (region.ok) partial.region = fromBinary(region.value);
  const rejection = checkStsHost(host, options.partition, options.serverRegion);
  if (rejection) {
    if (!rejection.formatError)
      return { ok: false, checkId: 'token/wrong-sts-host', message: fromBinary(rejection.message), partial };
    return formatError('token/wrong-sts-host', rejection.message);
  }

  if (url.value.path !== '/') return malformed('unexpected path in pre-signed URL');
  const pairs = parseGoQuery(url.value.rawQuery);
  if (!pairs.ok) return malformed('malformed query parameter');
  partial.query = queryRecord(pairs.value);

  // url.Values is a map from exact key to all its values; Go iterates it in random order, we in
  // first-appearance order, so of two clashing problems we always report the same one.
  const byKey = new Map<string, string[]>();
  for (const { key, value } of pairs.value) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  const seenLower = new Set<string>();
  for (const key of byKey.keys()) {
    if (seenLower.has(goToLower(key))) return malformed(`duplicate query parameter found: ${goQuote(key)}`);
    seenLower.add(goToLower(key));
  }
  const lower = new Map<string, string>();
  for (const [key, values] of byKey) {
    if (!ALLOWED_PARAMETERS.has(goToLower(key))) return malformed(`non-whitelisted query parameter ${goQuote(key)}`);
    if (values.length !== 1) return malformed('query parameter with multiple values not supported');
    lower.set(goToLower(key), values[0] ?? '');
  }

  const signedHeaders = lower.get('x-amz-signedheaders') ?? '';
  partial.signedHeaders = signedHeaders === '' ? [] : signedHeaders.split(';').map(fromBinary);
  partial.accessKeyId = fromBinary((lower.get('x-amz-credential') ?? '').split('/')[0] ?? '');
  partial.hasSessionToken = lower.has('x-amz-security-token');

  if (lower.get('action') !== 'GetCallerIdentity') return malformed('unexpected action parameter in pre-signed URL');
  if (!signedHeaders.split(';').some((h) => goEqualFold(h, CLUSTER_ID_HEADER))) {
    return formatError(
      'token/cluster-id-not-signed',
      `client did not sign the ${CLUSTER_ID_HEADER} header in the pre-signed URL`,
    );
  }

  const expires = goAtoi(lower.get('x-amz-expires') ?? '');
  if (!expires.ok || expires.value < 0n || expires.value > 900n) {
    return malformed(`invalid X-Amz-Expires parameter in pre-signed URL: ${expires.value}`);
  }
  partial.expiresParam = Number(expires.value);

  const date = lower.get('x-amz-date') ?? '';
  if (date === '') return malformed('X-Amz-Date parameter must be present in pre-signed URL');
  const signedAt = parseAmzDate(date);
  if (!signedAt.ok)
    return malformed(`error parsing X-Amz-Date parameter ${date} into format 20060102T150405Z: ${signedAt.error}`);
  partial.signedAt = new Date(signedAt.value.epochMs);
  partial.expiresAt = new Date(signedAt.value.epochMs + PRESIGNED_URL_LIFETIME_MS);
  // Strictly after: a token is still good at exactly X-Amz-Date + 15 min.
  if (options.now.getTime() > partial.expiresAt.getTime()) {
    return formatError(
      'token/expired',
      `X-Amz-Date parameter is expired (15 minute expiration) ${formatGoUtc(signedAt.value)}`,
    );
  }

  return {
    ok: true,
    token: {
      url: partial.url,
      stsHost: partial.stsHost,
      region: partial.region ?? '',
      query: partial.query,
      accessKeyId: partial.accessKeyId,
      signedAt: partial.signedAt,
      expiresAt: partial.expiresAt,
      signedHeaders: partial.signedHeaders,
      expiresParam: partial.expiresParam,
      hasSessionToken: partial.hasSessionToken,
    },
  };
}

/** First value per exact key, in URL order, as text. */
function queryRecord(pairs: readonly QueryPair[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { key, value } of pairs) {
    const name = fromBinary(key);
    // defineProperty: a parameter called `__proto__` must stay a plain key.
    if (!Object.hasOwn(record, name))
      Object.defineProperty(record, name, {
        value: fromBinary(value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return record;
}

/**
 * What STS checks before the signature itself and the authenticator does not: a token failing one
 * of these passes the authenticator's offline checks and is refused by STS every time (SigV4: a
 * presigned request carries its key id and scope in X-Amz-Credential, its signature in
 * X-Amz-Signature, and signs `host` always). The reason never includes a secret or the key id.
 */
export function stsRefusal(token: Pick<ValidatedToken, 'query' | 'signedHeaders' | 'signedAt'>): string | undefined {
  const lower = new Map(Object.entries(token.query).map(([key, value]) => [key.toLowerCase(), value]));
  const credential = lower.get('x-amz-credential') ?? '';
  if (credential === '') return 'it has no X-Amz-Credential parameter, so STS cannot tell which key signed it';
  if ((lower.get('x-amz-signature') ?? '') === '') return 'it has no X-Amz-Signature parameter: it is not signed';
  const [keyId = '', date = '', region = '', service = '', terminator = '', ...extra] = credential.split('/');
  const scope = credential.split('/').slice(1).join('/');
  if (
    keyId === '' ||
    !/^\d{8}$/.test(date) ||
    region === '' ||
    service !== 'sts' ||
    terminator !== 'aws4_request' ||
    extra.length > 0
  )
    return `its credential scope "${scope}" does not parse as ACCESS_KEY_ID/YYYYMMDD/REGION/sts/aws4_request`;
  const day = token.signedAt.toISOString().slice(0, 10).replaceAll('-', '');
  if (date !== day) return `its credential scope is dated ${date}, but X-Amz-Date is on ${day}`;
  if (!token.signedHeaders.some((header) => header.toLowerCase() === 'host'))
    return `its signed headers (${token.signedHeaders.join(';') || 'none'}) do not include host, which SigV4 always signs`;
  return undefined;
}
