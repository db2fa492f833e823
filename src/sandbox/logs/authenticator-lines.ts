import { logrusTextLine } from './logrus-text.js';

/**
 * The lines aws-iam-authenticator's authenticateEndpoint (pkg/server/server.go) logs for one
 * TokenReview: every entry carries `path`, `client` and `method`; a token or STS failure is
 * `access denied` at warning level with `error`; a good STS answer is `STS response`, after which
 * every entry also carries the canonical `arn`; then `access denied` (mapping failed) or
 * `access granted` with `username`, `uid`, `groups` and `stsendpoint`.
 */

/** What the webhook request looked like: the API server POSTs to /authenticate from loopback. */
export interface WebhookRequest {
  time: Date;
  /** `req.RemoteAddr`: the API server's side of the webhook connection, `127.0.0.1:PORT`. */
  client: string;
}

/** token.Identity after STS answered (pkg/token/token.go getIdentityFromSTSResponse). */
export interface StsIdentity {
  accessKeyId: string;
  /** As STS returned it (assumed-role form for sessions). */
  arn: string;
  accountId: string;
  /** Without the session part for roles. */
  userId: string;
  session: string;
  /** The host of the presigned URL. */
  stsEndpoint: string;
  canonicalArn: string;
}

export type AuthenticatorOutcome =
  /** Verify failed: a FormatError, an STSError, or (throttled) STSThrottling. */
  | { kind: 'token-rejected'; error: string }
  | { kind: 'mapping-failed'; sts: StsIdentity; error: string }
  | { kind: 'granted'; sts: StsIdentity; username: string; groups: readonly string[] };

/** The lines, oldest first, each as CloudWatch stores it. */
export function authenticatorLines(request: WebhookRequest, outcome: AuthenticatorOutcome): string[] {
  const base = { path: '/authenticate', client: request.client, method: 'POST' };
  if (outcome.kind === 'token-rejected')
    return [logrusTextLine(request.time, 'warning', 'access denied', { ...base, error: outcome.error })];
  const { sts } = outcome;
  const stsResponse = logrusTextLine(request.time, 'info', 'STS response', {
    ...base,
    accesskeyid: sts.accessKeyId,
    arn: sts.arn,
    accountid: sts.accountId,
    userid: sts.userId,
    session: sts.session,
    stsendpoint: sts.stsEndpoint,
  });
  // `log = log.WithField("arn", identity.CanonicalARN)`: later entries name the canonical ARN.
  const withArn = { ...base, arn: sts.canonicalArn };
  if (outcome.kind === 'mapping-failed')
    return [
      stsResponse,
      logrusTextLine(request.time, 'warning', 'access denied', { ...withArn, error: outcome.error }),
    ];
  return [
    stsResponse,
    logrusTextLine(request.time, 'info', 'access granted', {
      ...withArn,
      username: outcome.username,
      uid: `aws-iam-authenticator:${sts.accountId}:${sts.userId}`,
      groups: outcome.groups,
      stsendpoint: sts.stsEndpoint,
    }),
  ];
}

/** The error texts of pkg/token/token.go and pkg/errutil, for history the scenario describes by name. */
export const AUTHENTICATOR_ERRORS = {
  notMapped: 'identity is not mapped',
  /** FormatError: `X-Amz-Date parameter is expired (%.f minute expiration) %s` with Go's time.Time String(). */
  expired: (signedAt: Date): string =>
    `input token was not properly formatted: X-Amz-Date parameter is expired (15 minute expiration) ${goTimeString(signedAt)}`,
  wrongStsHost: (host: string): string =>
    `input token was not properly formatted: unexpected hostname ${JSON.stringify(host)} in pre-signed URL`,
  clusterIdNotSigned:
    'input token was not properly formatted: client did not sign the x-k8s-aws-id header in the pre-signed URL',
  stsThrottled: (requestId: string): string =>
    `sts getCallerIdentity was throttled: {"Error":{"Code":"Throttling","Message":"Rate exceeded","Type":"Sender"},"RequestId":"${requestId}"}`,
  stsFailed: (status: number, region: string, body: string): string =>
    `sts getCallerIdentity failed: error from AWS (expected 200, got ${status}) on ${region} endpoint. Body: ${body}`,
} as const;

/** Go's `time.Time.String()` of a UTC time: `2006-01-02 15:04:05 +0000 UTC`. */
export const goTimeString = (time: Date): string =>
  `${time
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} +0000 UTC`;
