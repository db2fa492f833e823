import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSigV4, signatureMatches, type SignedRequestParts } from '../../src/sandbox/sigv4.js';

export interface FakeStsRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface StsAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface FakeSts {
  url: string;
  requests: FakeStsRequest[];
  /** Replaces the answer; by default the request's signature is checked for real. */
  respond:
    ((request: FakeStsRequest) => { status: number; body: string; headers?: Record<string, string> }) | undefined;
  close(): Promise<void>;
}

/**
 * A GetCallerIdentity endpoint that verifies presigned requests as STS does, with the sandbox's
 * verifier (aws4 re-signing the request as received), never with eksauth's own token code: the
 * `Host` and `x-k8s-aws-id` headers that arrived are what is checked, so a token replayed with
 * another cluster name, or sent with the wrong Host, fails with SignatureDoesNotMatch.
 */
export async function startFakeSts(secrets: Record<string, string>, arn: string): Promise<FakeSts> {
  const state: FakeSts = { url: '', requests: [], respond: undefined, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    state.requests.push(request);
    const answer: StsAnswer = state.respond?.(request) ?? verify(request, secrets, arn);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

export const stsError = (status: number, code: string, message: string) => ({
  status,
  body: JSON.stringify({ Error: { Code: code, Message: message, Type: 'Sender' }, RequestId: 'test' }),
});

function verify(
  request: FakeStsRequest,
  secrets: Record<string, string>,
  arn: string,
): { status: number; body: string } {
  const queryAt = request.url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const parts: SignedRequestParts = {
    method: request.method,
    rawPath: queryAt < 0 ? request.url : request.url.slice(0, queryAt),
    rawQuery: queryAt < 0 ? '' : request.url.slice(queryAt + 1),
    headers,
    body: Buffer.alloc(0),
  };
  const parsed = parseSigV4(parts);
  if (!parsed.ok) return stsError(403, 'IncompleteSignature', parsed.message);
  const secretAccessKey = secrets[parsed.auth.accessKeyId];
  if (!secretAccessKey)
    return stsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  if (!signatureMatches(parts, parsed.auth, secretAccessKey)) {
    return stsError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  const userId = arn.includes(':assumed-role/')
    ? `AROAEXAMPLEROLEID:${arn.split('/').pop() ?? ''}`
    : 'AIDAEXAMPLEUSERID';
  return {
    status: 200,
    body: JSON.stringify({
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: { Arn: arn, Account: arn.split(':')[4], UserId: userId },
        ResponseMetadata: { RequestId: 'test' },
      },
    }),
  };
}
