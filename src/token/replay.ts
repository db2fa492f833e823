/**
 * `decode-token --verify`: replays the presigned GetCallerIdentity exactly as the authenticator
 * does (GET, `x-k8s-aws-id: <cluster>`, `Accept: application/json`, 10 s, no redirects) against
 * the STS host the token names, and reports STS's answer. Everything returned is redacted.
 * An endpoint override changes where the request goes, never what it says: the Host header stays
 * the host the token was signed for, or STS (and the sandbox) would see another canonical request.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { identityFromStsResponse } from '../model/principal.js';
import { CLUSTER_ID_HEADER } from './constants.js';
import type { TokenReplay } from './evidence.js';
import { redactSecrets } from '../core/redact.js';
import { proxyAwareAgent } from '../collect/proxy-agent.js';
import { proxyConfigured } from '../collect/proxy.js';
import type { Env } from './aws-config.js';

export interface ReplayOptions {
  /** Send the request here instead of the token's host (tests, the sandbox): `http://127.0.0.1:8443`. */
  endpointOverride?: string | undefined;
  timeoutMs?: number;
  /** Values to blank out of anything STS echoes back. */
  secrets?: readonly string[];
  clock?: () => Date;
  /** The environment whose HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply (botocore's rules, as for every AWS call). */
  env?: Env;
}

const MAX_BODY_CHARS = 2000;

export async function replayToken(url: string, clusterName: string, options: ReplayOptions = {}): Promise<TokenReplay> {
  const parsed = new URL(url);
  const target = options.endpointOverride
    ? `${options.endpointOverride.replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`
    : url;
  const clock = options.clock ?? (() => new Date());
  const redact = (text: string): string => redactSecrets(text, options.secrets);
  let response: { status: number; date: string | undefined; body: string };
  try {
    response = await getSigned(
      target,
      parsed.host,
      {
        [CLUSTER_ID_HEADER]: clusterName,
        accept: 'application/json',
      },
      options.timeoutMs ?? 10_000,
      options.env,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The URL is never part of the message: node:http errors do not include it, and we redact anyway.
    return { outcome: 'transport-error', message: redact(message) };
  }
  const { body } = response;
  const localDate = clock().toISOString();
  const stsDate = response.date;
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

/**
 * One GET to `target` carrying `Host: signedHost` (fetch cannot set Host), without following
 * redirects, as the authenticator's Go client is configured; rejects on a transport failure or
 * when the whole exchange takes longer than `timeoutMs`.
 */
function getSigned(
  target: string,
  signedHost: string,
  headers: Record<string, string>,
  timeoutMs: number,
  env: Env | undefined,
): Promise<{ status: number; date: string | undefined; body: string }> {
  const plain = target.startsWith('http:');
  const request = plain ? httpRequest : httpsRequest;
  const agent = env && proxyConfigured(env) ? proxyAwareAgent(plain ? 'http' : 'https', env, 'aws') : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method: 'GET', headers: { ...headers, host: signedHost }, ...(agent ? { agent } : {}) },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            date: res.headers.date,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('timed out')), timeoutMs);
    req.on('close', () => {
      clearTimeout(timer);
      agent?.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}
