import type { SourceFailure } from '../model/evidence.js';
import { PROXY_ERROR_CODE } from './proxy.js';

const CODES: [SourceFailure['code'], RegExp][] = [
  ['access-denied', /^(AccessDenied(Exception)?|UnauthorizedOperation|AuthorizationError)$/],
  ['not-found', /^(ResourceNotFoundException|NoSuchEntity(Exception)?|NotFound)$/],
  ['throttled', /^(Throttling(Exception)?|TooManyRequestsException|RequestLimitExceeded|ThrottledException|SlowDown)$/],
  ['expired-credentials', /^(ExpiredToken(Exception)?|TokenRefreshRequired)$/],
  ['invalid', /^(InvalidRequestException|InvalidParameterException|ValidationError|ValidationException)$/],
];

/**
 * AWS refusing the credentials themselves, before any policy is read: a secret key that does not
 * belong to its key id, an unknown or deleted key id, a session token that is not that key's.
 */
export const REJECTED_CREDENTIAL_CODES =
  /^(SignatureDoesNotMatch|InvalidClientTokenId|UnrecognizedClientException|InvalidAccessKeyId|IncompleteSignature(Exception)?|InvalidSignatureException|MissingAuthenticationToken)$/;

const CLOCK_CODES = /^(RequestExpired|RequestTimeTooSkewed|RequestInTheFuture)$/;
/** What STS, EKS and IAM say when the signature's date is outside the window. */
const CLOCK_TEXT = /Signature expired|Signature not yet current|Request has expired/i;

/**
 * Turns any SDK, network or Kubernetes failure into data a check can branch on, worded as the
 * second half of "could not check, because …". Never includes a credential.
 */
export function classifyFailure(error: unknown, action: string, who?: string): SourceFailure {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? '';
  const message = (e.message ?? String(error)).split('\n')[0] ?? '';
  const network =
    e.code ??
    /(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)/.exec(message)?.[1] ??
    '';
  if (name === 'CredentialsProviderError' || /Could not load credentials|Unable to locate credentials/i.test(message)) {
    return { code: 'no-credentials', action, message: `no AWS credentials were found (${message})` };
  }
  // Refused for the request's date, not its credentials: SigV4 allows 5 minutes either way. The SDK
  // corrects its clock from the answer and retries, so this surfaces only when that could not help.
  if (CLOCK_CODES.test(name) || CLOCK_TEXT.test(message))
    return {
      code: 'clock-skew',
      action,
      message: `AWS refused ${action} for its date, so this machine's clock is off (${name ? `${name}: ` : ''}${message})`,
    };
  if (/sso.*(expired|refresh)|token has expired|Token is expired/i.test(message))
    return { code: 'expired-credentials', action, message: `the credentials have expired: ${message}` };
  if (REJECTED_CREDENTIAL_CODES.test(name))
    return {
      code: 'bad-credentials',
      action,
      awsCode: name,
      message: `AWS rejected the credentials on ${action} (${name}: ${message})`,
    };
  if (name === 'TimeoutError' || name === 'AbortError' || network === 'ETIMEDOUT' || /timed? ?out/i.test(message)) {
    return { code: 'timeout', action, message: `${action} did not answer in time (${message})` };
  }
  // The proxy, not the endpoint: the message names it (without its credentials) and what it answered.
  if (network === PROXY_ERROR_CODE)
    return { code: 'unreachable', action, message: `${action} could not be reached: ${message}` };
  if (/^E[A-Z]+$/.test(network) && network !== '')
    return { code: 'unreachable', action, message: `${action} could not be reached: ${network}` };
  for (const [code, pattern] of CODES) {
    if (pattern.test(name)) {
      if (code === 'access-denied')
        return { code, action, message: `${who ?? 'the caller'} lacks ${action}${message ? ` (${message})` : ''}` };
      return { code, action, message: `${action} failed: ${name}: ${message}` };
    }
  }
  if (e.$metadata?.httpStatusCode === 403)
    return { code: 'access-denied', action, message: `${who ?? 'the caller'} lacks ${action} (${message})` };
  return { code: 'error', action, message: `${action} failed: ${name ? `${name}: ` : ''}${message}` };
}

/** Failures no diagnosis gets past: the caller's credentials or clock, not the cluster (exit code 3). */
export const isEnvironmentFailure = (failure: SourceFailure): boolean =>
  failure.code === 'no-credentials' ||
  failure.code === 'expired-credentials' ||
  failure.code === 'bad-credentials' ||
  failure.code === 'clock-skew';
