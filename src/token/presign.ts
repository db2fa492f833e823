/**
 * Presigns sts:GetCallerIdentity for `aws eks get-token` compatibility. aws4 computes the SigV4
 * signature (the design card's signer; bundled into dist/token.cjs it adds no measurable start-up
 * time); this module only shapes the request so the URL is byte-identical to botocore's for the
 * same credentials, endpoint, cluster and second (test/token/botocore-compat.test.ts).
 */
import aws4 from 'aws4';
import { CLUSTER_ID_HEADER, TOKEN_PREFIX } from './constants.js';
import { unsignableClusterId } from './unsignable.js';

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

/**
 * botocore's `' '.join(value.split())` for header values. Python's whitespace, not JavaScript's:
 * it includes U+001C–U+001F and U+0085 and excludes U+FEFF.
 */
// eslint-disable-next-line no-control-regex -- U+001C–U+001F are whitespace to Python
const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
export const pythonTrimAll = (value: string): string => value.split(PYTHON_WHITESPACE).filter(Boolean).join(' ');

/** Returns the presigned URL (secret-bearing: it is a bearer credential for 15 minutes). */
export function presignGetCallerIdentity(input: PresignInput): string {
  const { credentials, host, signingRegion, clusterId, now } = input;
  const problem = unsignableClusterId(clusterId);
  if (problem !== undefined) throw new Error(`cannot sign a token: ${problem}`);
  // botocore's order: operation parameters, then the auth parameters. aws4 keeps a parameter's
  // position when it fills in its value, so seeding the query in this order gives botocore's URL;
  // X-Amz-Date seeded here is also the time aws4 signs at.
  const seeded: [string, string][] = [
    ['Action', 'GetCallerIdentity'],
    ['Version', '2011-06-15'],
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', ''],
    ['X-Amz-Date', amzDate(now)],
    ['X-Amz-Expires', String(PRESIGN_EXPIRES_SECONDS)],
    ['X-Amz-SignedHeaders', ''],
  ];
  // botocore adds the token whenever it is not None (an empty AWS_SESSION_TOKEN is None to it);
  // aws4 adds it only when truthy, so the token is seeded here and aws4 passes it through.
  if (credentials.sessionToken !== undefined) seeded.push(['X-Amz-Security-Token', credentials.sessionToken]);
  const signed = aws4.sign(
    {
      method: 'GET',
      host: host.toLowerCase(),
      path: `/?${seeded.map(([k, v]) => `${awsPercentEncode(k)}=${awsPercentEncode(v)}`).join('&')}`,
      service: 'sts',
      region: signingRegion,
      signQuery: true,
      // Python-normalised first: aws4's own trim/collapse is then a no-op on it.
      headers: { [CLUSTER_ID_HEADER]: pythonTrimAll(clusterId) },
    },
    {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
    },
  );
  return `${input.scheme ?? 'https'}://${host}${signed.path ?? '/'}`;
}

/** `k8s-aws-v1.` + unpadded base64url of the URL, as both the CLI and the Go client encode it. */
export function tokenFromPresignedUrl(url: string): string {
  return TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}
