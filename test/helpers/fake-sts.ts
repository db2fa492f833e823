import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { presignGetCallerIdentity } from '../../src/token/presign.js';

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
 * A GetCallerIdentity endpoint that verifies presigned requests as STS does: it recomputes the
 * SigV4 signature from the query, the `x-k8s-aws-id` header it received and the secret it knows,
 * so a token replayed with another cluster name fails with SignatureDoesNotMatch.
 */
export async function startFakeSts(secrets: Record<string, string>, tokenHost: string, arn: string): Promise<FakeSts> {
  const state: FakeSts = { url: '', requests: [], respond: undefined, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    state.requests.push(request);
    const answer: StsAnswer = state.respond?.(request) ?? verify(request, secrets, tokenHost, arn);
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
  tokenHost: string,
  arn: string,
): { status: number; body: string } {
  const query = new URL(request.url, 'http://x').searchParams;
  const [accessKeyId = '', date = '', region = ''] = (query.get('X-Amz-Credential') ?? '').split('/');
  const secretAccessKey = secrets[accessKeyId];
  if (!secretAccessKey)
    return stsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  const amzDate = query.get('X-Amz-Date') ?? '';
  const now = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const sessionToken = query.get('X-Amz-Security-Token') ?? undefined;
  const expected = presignGetCallerIdentity({
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    host: tokenHost,
    signingRegion: region,
    clusterId: String(request.headers['x-k8s-aws-id'] ?? ''),
    now,
  });
  if (
    date !== amzDate.slice(0, 8) ||
    new URL(expected).searchParams.get('X-Amz-Signature') !== query.get('X-Amz-Signature')
  ) {
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
