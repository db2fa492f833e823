/**
 * `decode-token --verify`: replays the presigned GetCallerIdentity exactly as the authenticator
 * does (GET, `x-k8s-aws-id: <cluster>`, `Accept: application/json`, 10 s, no redirects) against
 * the STS host the token names, and reports STS's answer. Everything returned is redacted.
 */
import { identityFromStsResponse } from '../model/principal.js';
import { CLUSTER_ID_HEADER } from './constants.js';
import type { TokenReplay } from './evidence.js';
import { redactSecrets } from '../core/redact.js';

export interface ReplayOptions {
  /** Send the request here instead of the token's host (tests, the sandbox): `http://127.0.0.1:8443`. */
  endpointOverride?: string | undefined;
  timeoutMs?: number;
  /** Values to blank out of anything STS echoes back. */
  secrets?: readonly string[];
  clock?: () => Date;
}

const MAX_BODY_CHARS = 2000;

export async function replayToken(url: string, clusterName: string, options: ReplayOptions = {}): Promise<TokenReplay> {
  const parsed = new URL(url);
  const target = options.endpointOverride
    ? `${options.endpointOverride.replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`
    : url;
  const clock = options.clock ?? (() => new Date());
  const redact = (text: string): string => redactSecrets(text, options.secrets);
  let response: Response;
  let body: string;
  try {
    response = await fetch(target, {
      method: 'GET',
      headers: { [CLUSTER_ID_HEADER]: clusterName, accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    body = await response.text();
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const message =
      error instanceof Error ? `${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}` : String(error);
    // The URL is never part of the message: fetch errors do not include it, and we redact anyway.
    return { outcome: 'transport-error', message: redact(message) };
  }
  const localDate = clock().toISOString();
  const stsDate = response.headers.get('date') ?? undefined;
  const dates = { localDate, ...(stsDate ? { stsDate } : {}) };
  if (response.status !== 200) {
    const code = errorCodeOf(body);
    const message = errorMessageOf(body) ?? body.slice(0, MAX_BODY_CHARS);
    return {
      outcome: 'sts-error',
      status: response.status,
      ...(code ? { code } : {}),
      message: redact(message),
      throttled: body.includes('Throttling'),
      ...dates,
    };
  }
  const result = identityOf(body);
  if (!result)
    return {
      outcome: 'sts-error',
      status: 200,
      message: redact(`unreadable GetCallerIdentity answer: ${body.slice(0, 200)}`),
      throttled: false,
      ...dates,
    };
  return { outcome: 'identity', status: 200, ...result, ...dates };
}

/** The canonical identity the authenticator would derive, or its error (rows 21–22 of §2). */
export function canonicalIdentity(
  replay: TokenReplay & { outcome: 'identity' },
  accessKeyId: string,
): { canonicalArn?: string; error?: string } {
  const identity = identityFromStsResponse(
    { arn: replay.arn, account: replay.account, userId: replay.userId },
    accessKeyId,
  );
  return identity.ok ? { canonicalArn: identity.value.canonicalArn } : { error: identity.error };
}

function identityOf(body: string): { arn: string; account: string; userId: string } | undefined {
  try {
    const json = JSON.parse(body) as {
      GetCallerIdentityResponse?: { GetCallerIdentityResult?: { Arn?: unknown; Account?: unknown; UserId?: unknown } };
    };
    const r = json.GetCallerIdentityResponse?.GetCallerIdentityResult;
    if (typeof r?.Arn === 'string' && typeof r.Account === 'string' && typeof r.UserId === 'string')
      return { arn: r.Arn, account: r.Account, userId: r.UserId };
  } catch {
    // STS answered in XML after all: read the three fields from it.
  }
  const tag = (name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
  const arn = tag('Arn');
  const account = tag('Account');
  const userId = tag('UserId');
  return arn && account && userId ? { arn, account, userId } : undefined;
}

function errorCodeOf(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { Error?: { Code?: unknown } }).Error?.Code;
    if (typeof code === 'string') return code;
  } catch {
    // XML or text.
  }
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

function errorMessageOf(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { Error?: { Message?: unknown } }).Error?.Message;
    if (typeof message === 'string') return message;
  } catch {
    // XML or text.
  }
  return /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
}
