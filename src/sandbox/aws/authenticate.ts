import type { Caller, CredentialStore } from '../credentials.js';
import { amzDateToDate, parseSigV4, signatureMatches, type SigV4Auth } from '../sigv4.js';
import type { AwsRequest } from './http.js';
import type { FailureKind } from './protocols.js';

export type AwsAuthentication =
  { ok: true; caller: Caller; auth: SigV4Auth } | { ok: false; kind: FailureKind; message: string };

const FIVE_MINUTES = 5 * 60_000;
/** STS honours a presigned GetCallerIdentity for 15 minutes whatever X-Amz-Expires says (authenticator-facts §1.4). */
const PRESIGN_WINDOW = 15 * 60_000;

const stamp = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Verifies a request's SigV4 signature against the scenario's keys, as AWS front ends do. */
export function authenticateAws(
  req: AwsRequest,
  store: CredentialStore,
  signingName: string,
  now: Date,
): AwsAuthentication {
  const parsed = parseSigV4(req);
  if (!parsed.ok)
    return { ok: false, kind: parsed.reason === 'missing' ? 'missing-auth' : 'bad-signature', message: parsed.message };
  const { auth } = parsed;
  if (auth.service !== signingName) {
    return {
      ok: false,
      kind: 'bad-signature',
      message: `Credential should be scoped to correct service: '${signingName}'. `,
    };
  }
  const stored = store.lookup(auth.accessKeyId);
  // A session key is only valid with the token issued with it; a user's long-term key with none.
  if (!stored || (stored.sessionToken ?? '') !== (auth.sessionToken ?? '')) {
    return { ok: false, kind: 'unknown-key', message: 'The security token included in the request is invalid.' };
  }
  if (!auth.signedHeaders.includes('host')) {
    return { ok: false, kind: 'bad-signature', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };
  }
  const signedAt = amzDateToDate(auth.amzDate);
  // AWS allows 5 minutes of clock skew into the future for every request, presigned or not.
  if (signedAt.getTime() - now.getTime() > FIVE_MINUTES) {
    return {
      ok: false,
      kind: 'bad-signature',
      message: `Signature not yet current: ${auth.amzDate} is still later than ${stamp(new Date(now.getTime() + FIVE_MINUTES))} (${stamp(now)} + 5 min.)`,
    };
  }
  if (auth.presigned) {
    const expires = auth.expires ?? Number.NaN;
    if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) {
      return {
        ok: false,
        kind: 'bad-signature',
        message: 'X-Amz-Expires must be non-negative and at most 604800 seconds',
      };
    }
  }
  const window = auth.presigned ? PRESIGN_WINDOW : FIVE_MINUTES;
  if (now.getTime() - signedAt.getTime() > window) {
    return {
      ok: false,
      kind: 'bad-signature',
      message: `Signature expired: ${auth.amzDate} is now earlier than ${stamp(new Date(now.getTime() - window))} (${stamp(now)} - ${window / 60_000} min.)`,
    };
  }
  if (!signatureMatches(req, auth, stored.secretAccessKey))
    return { ok: false, kind: 'bad-signature', message: SIGNATURE_MISMATCH };
  if (stored.expiration && stored.expiration.getTime() <= now.getTime()) {
    return { ok: false, kind: 'expired-token', message: 'The security token included in the request is expired' };
  }
  return { ok: true, caller: stored.caller, auth };
}
