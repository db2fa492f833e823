/**
 * Presigns sts:GetCallerIdentity exactly as botocore does for `aws eks get-token`: the same
 * parameter order, percent-encoding and canonical request, so our tokens are byte-identical to
 * the CLI's for the same credentials, endpoint, cluster and second. Hand-written SigV4 (a few
 * HMACs) because loading the SDK's signer would cost more startup time than minting takes.
 */
import { createHash, createHmac } from 'node:crypto';
import { CLUSTER_ID_HEADER, TOKEN_PREFIX } from './constants.js';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface PresignInput {
  credentials: SigningCredentials;
  /** STS host the URL targets, e.g. `sts.us-west-2.amazonaws.com`. */
  host: string;
  /** Credential-scope region (`us-east-1` for the global endpoint). */
  signingRegion: string;
  /** The `x-k8s-aws-id` value: the cluster name (or id, for Outposts local clusters). */
  clusterId: string;
  now: Date;
  /** Scheme of the endpoint; only tests and overrides use `http`. */
  scheme?: 'https' | 'http';
}

/** Clients send 60 for authenticators ≤ 0.3.0; STS ignores it (authenticator-facts.md §1.4). */
export const PRESIGN_EXPIRES_SECONDS = 60;

/** Python's urllib quote(value, safe='-_.~') over UTF-8, as botocore's percent_encode. */
export function awsPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `20230428T000000Z`, from a Date truncated to the second. */
export function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/**
 * botocore's `' '.join(value.split())` for header values. Python's whitespace, not JavaScript's:
 * it includes U+001C–U+001F and U+0085 and excludes U+FEFF.
 */
// eslint-disable-next-line no-control-regex -- U+001C–U+001F are whitespace to Python
const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const trimAll = (value: string): string => value.split(PYTHON_WHITESPACE).filter(Boolean).join(' ');

/** Returns the presigned URL (secret-bearing: it is a bearer credential for 15 minutes). */
export function presignGetCallerIdentity(input: PresignInput): string {
  const { credentials, host, signingRegion, clusterId, now } = input;
  const date = amzDate(now);
  const scope = `${date.slice(0, 8)}/${signingRegion}/sts/aws4_request`;
  const operation: [string, string][] = [
    ['Action', 'GetCallerIdentity'],
    ['Version', '2011-06-15'],
  ];
  const auth: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', String(PRESIGN_EXPIRES_SECONDS)],
    ['X-Amz-SignedHeaders', `host;${CLUSTER_ID_HEADER}`],
  ];
  if (credentials.sessionToken !== undefined) auth.push(['X-Amz-Security-Token', credentials.sessionToken]);
  const encoded = [...operation, ...auth].map(([k, v]) => [awsPercentEncode(k), awsPercentEncode(v)] as const);
  const query = encoded.map(([k, v]) => `${k}=${v}`).join('&');
  // botocore sorts the encoded pairs as Python tuples: by key, then value, code point order.
  const canonicalQuery = [...encoded]
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${host.toLowerCase()}`,
    `${CLUSTER_ID_HEADER}:${trimAll(clusterId)}`,
    '',
    `host;${CLUSTER_ID_HEADER}`,
    // The body moved into the query string, so the payload is empty.
    sha256Hex(''),
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${credentials.secretAccessKey}`, date.slice(0, 8));
  const kSigning = hmac(hmac(hmac(kDate, signingRegion), 'sts'), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return `${input.scheme ?? 'https'}://${host}/?${query}&X-Amz-Signature=${signature}`;
}

/** `k8s-aws-v1.` + unpadded base64url of the URL, as both the CLI and the Go client encode it. */
export function tokenFromPresignedUrl(url: string): string {
  return TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}
