import { createHash, timingSafeEqual } from 'node:crypto';
import aws4 from 'aws4';

/**
 * SigV4 as AWS verifies it: parse what the client claims (credential scope, signed headers,
 * date), then re-sign exactly what arrived on the wire with aws4 and compare. The sandbox never
 * re-mints with eksauth's own token code (src/token/presign.ts shapes botocore's URL around aws4);
 * what it accepts was signed by the JS SDK, botocore or the Go SDK, and eksauth's tokens are held
 * byte-identical to botocore's by test/token/botocore-compat.test.ts.
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

/** Headers aws4 leaves out of a signature unless told otherwise; a client may still have signed them. */
const AWS4_IGNORED_HEADERS = [
  'authorization',
  'connection',
  'x-amzn-trace-id',
  'user-agent',
  'expect',
  'presigned-expires',
  'range',
];

/** aws4's request options, including the one its type definitions omit. */
interface Aws4Request extends aws4.Request {
  extraHeadersToInclude?: Record<string, boolean>;
}

/** Drops `X-Amz-Signature` from a presigned query as sent: the signature does not sign itself. */
function queryWithoutSignature(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '' && !/^X-Amz-Signature(=|$)/.test(pair))
    .join('&');
}

/**
 * The signature the request must carry if it was signed with this secret, as aws4 computes it for
 * the request as received: the raw path and query, only the headers the client said it signed
 * (with the values that arrived, which aws4 trims and whose whitespace runs it collapses, as
 * SigV4 canonical headers require), the claimed scope and the claimed X-Amz-Date.
 */
export function expectedSignature(parts: SignedRequestParts, auth: SigV4Auth, secret: string): string {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) headers[name] = parts.headers[name] ?? '';
  const query = auth.presigned ? queryWithoutSignature(parts.rawQuery) : parts.rawQuery;
  const request: Aws4Request = {
    method: parts.method,
    host: parts.headers.host ?? '',
    path: query === '' ? parts.rawPath || '/' : `${parts.rawPath || '/'}?${query}`,
    service: auth.service,
    region: auth.region,
    headers,
    signQuery: auth.presigned,
    // Presigned URLs sign the hash of an empty body: botocore (aws eks get-token), the Go SDK
    // (aws-iam-authenticator) and the JS SDK all do (checked against botocore 1.43).
    ...(auth.presigned ? {} : { body: parts.body }),
    // Sign what was sent: aws4 must not add Content-Type, X-Amz-Date or a session token header.
    doNotModifyHeaders: true,
    extraHeadersToInclude: Object.fromEntries(
      AWS4_IGNORED_HEADERS.filter((name) => auth.signedHeaders.includes(name)).map((name) => [name, true]),
    ),
  };
  // No session token here: a presigned query already carries the one the client signed, and a
  // header-signed request carries it as a signed header; aws4 would otherwise overwrite it.
  const signer = new aws4.RequestSigner(request, { accessKeyId: auth.accessKeyId, secretAccessKey: secret });
  // The claimed time; for presigned URLs aws4 also reads it from X-Amz-Date.
  signer.datetime = auth.amzDate;
  try {
    return signer.signature();
  } catch {
    // A path aws4 cannot decode (a stray `%`) cannot have been signed by a well-behaved client.
    return '';
  }
}

export function signatureMatches(parts: SignedRequestParts, auth: SigV4Auth, secret: string): boolean {
  const given = Buffer.from(auth.signature, 'utf8');
  const want = Buffer.from(expectedSignature(parts, auth, secret), 'utf8');
  return want.length === given.length && timingSafeEqual(want, given);
}
