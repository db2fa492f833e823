import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * SigV4 as AWS verifies it, written against node:crypto rather than a signer library: the
 * verifier must canonicalise exactly what arrived on the wire (raw path, raw query, the headers
 * the client said it signed), which a signer that builds its own request cannot be made to do.
 */

export const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

export interface SignedRequestParts {
  method: string;
  /** The path exactly as sent (still percent-encoded). */
  rawPath: string;
  /** The query string exactly as sent, without `?`. */
  rawQuery: string;
  /** Lower-cased header names; repeated headers joined with `,`. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface SigV4Auth {
  presigned: boolean;
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date (header or query), `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  sessionToken?: string;
  expires?: number;
}

export type AuthParse = { ok: true; auth: SigV4Auth } | { ok: false; reason: 'missing' | 'malformed'; message: string };

/** Reads the signature from the Authorization header or from presigned query parameters. */
export function parseSigV4(parts: SignedRequestParts): AuthParse {
  const query = new URLSearchParams(parts.rawQuery);
  const header = parts.headers.authorization;
  if (header !== undefined) {
    const match =
      /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/.exec(header);
    if (!match)
      return {
        ok: false,
        reason: 'malformed',
        message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`,
      };
    const amzDate = parts.headers['x-amz-date'] ?? '';
    return credentialParts(
      match[1] ?? '',
      match[2] ?? '',
      match[3] ?? '',
      amzDate,
      false,
      parts.headers['x-amz-security-token'],
    );
  }
  if (query.has('X-Amz-Signature')) {
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
      return { ok: false, reason: 'malformed', message: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"' };
    const parsed = credentialParts(
      query.get('X-Amz-Credential') ?? '',
      query.get('X-Amz-SignedHeaders') ?? '',
      query.get('X-Amz-Signature') ?? '',
      query.get('X-Amz-Date') ?? '',
      true,
      query.get('X-Amz-Security-Token') ?? undefined,
    );
    if (parsed.ok) parsed.auth.expires = Number(query.get('X-Amz-Expires') ?? 'NaN');
    return parsed;
  }
  return { ok: false, reason: 'missing', message: 'Request is missing Authentication Token' };
}

function credentialParts(
  credential: string,
  signedHeaders: string,
  signature: string,
  amzDate: string,
  presigned: boolean,
  sessionToken: string | undefined,
): AuthParse {
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = credential.split('/');
  if (terminator !== 'aws4_request' || !/^\d{8}$/.test(date) || !accessKeyId) {
    return { ok: false, reason: 'malformed', message: `Credential should be scoped to a valid region. ` };
  }
  if (!/^\d{8}T\d{6}Z$/.test(amzDate))
    return { ok: false, reason: 'malformed', message: 'Missing or invalid X-Amz-Date' };
  return {
    ok: true,
    auth: {
      presigned,
      accessKeyId,
      date,
      region,
      service,
      signedHeaders: signedHeaders.split(';').filter(Boolean),
      signature,
      amzDate,
      ...(sessionToken !== undefined ? { sessionToken } : {}),
    },
  };
}

export function amzDateToDate(amzDate: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return new Date(NaN);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

/** Non-S3 services sign the path as sent, encoded once more, segment by segment. */
function canonicalPath(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  return rawPath
    .split('/')
    .map((segment) => uriEncode(safeDecode(segment.replace(/\+/g, '%2B'))))
    .map((segment) => uriEncode(segment))
    .join('/');
}

function canonicalQuery(rawQuery: string, presigned: boolean): string {
  if (!rawQuery) return '';
  const pairs = rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
      const value = eq === -1 ? '' : safeDecode(pair.slice(eq + 1));
      return [uriEncode(key), uriEncode(value)] as const;
    })
    .filter(([key]) => !(presigned && key === 'X-Amz-Signature'));
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The signature the request must carry if it was signed with this secret. */
export function expectedSignature(parts: SignedRequestParts, auth: SigV4Auth, secret: string): string {
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${(parts.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  // Presigned URLs sign the hash of an empty body: botocore (aws eks get-token), the Go SDK
  // (aws-iam-authenticator) and the JS SDK all do (checked against botocore 1.43).
  const payloadHash = auth.presigned
    ? EMPTY_SHA256
    : (parts.headers['x-amz-content-sha256'] ?? createHash('sha256').update(parts.body).digest('hex'));
  const canonicalRequest = [
    parts.method,
    canonicalPath(parts.rawPath),
    canonicalQuery(parts.rawQuery, auth.presigned),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const digest = createHash('sha256').update(canonicalRequest).digest('hex');
  const stringToSign = ['AWS4-HMAC-SHA256', auth.amzDate, scope, digest].join('\n');
  return hmac(signingKey(secret, auth.date, auth.region, auth.service), stringToSign).toString('hex');
}

export function signatureMatches(parts: SignedRequestParts, auth: SigV4Auth, secret: string): boolean {
  const given = Buffer.from(auth.signature, 'utf8');
  const want = Buffer.from(expectedSignature(parts, auth, secret), 'utf8');
  return want.length === given.length && timingSafeEqual(want, given);
}
