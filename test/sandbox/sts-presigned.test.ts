import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { presignGetCallerIdentity } from '../../src/token/presign.js';
import { sandboxFor } from './helpers.js';

/** The presigned GetCallerIdentity the authenticator replays, sent straight to the sandbox STS. */
describe('STS presigned GetCallerIdentity', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await sandboxFor('healthy');
  });
  afterAll(() => sandbox.close());

  const presigned = (signedAt: Date, clusterId = 'demo', principal = 'alice') => {
    const c = sandbox.credentialsFor(principal);
    const url = new URL(
      presignGetCallerIdentity({
        credentials: {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
        },
        host: 'sts.us-east-1.amazonaws.com',
        signingRegion: 'us-east-1',
        clusterId,
        now: signedAt,
      }),
    );
    return `${sandbox.endpoints.sts}/${url.search}`;
  };
  // The URL is signed for the real STS host and sent with that Host header, as the authenticator
  // does; fetch cannot override Host, hence node:http.
  const get = (url: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
      const req = request(url, { headers: { host: 'sts.us-east-1.amazonaws.com', ...headers } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('answers in JSON when asked, as the authenticator asks', async () => {
    const res = await get(presigned(new Date()), { 'x-k8s-aws-id': 'demo', accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    const body = JSON.parse(res.body) as {
      GetCallerIdentityResponse: {
        GetCallerIdentityResult: Record<string, string>;
        ResponseMetadata: { RequestId: string };
      };
    };
    expect(body.GetCallerIdentityResponse.GetCallerIdentityResult).toEqual({
      Arn: 'arn:aws:iam::111122223333:user/alice',
      UserId: expect.stringMatching(/^AIDA/) as unknown,
      Account: '111122223333',
    });
    expect(body.GetCallerIdentityResponse.ResponseMetadata.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers in XML otherwise', async () => {
    const res = await get(presigned(new Date()), { 'x-k8s-aws-id': 'demo' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(res.body).toContain('<Arn>arn:aws:iam::111122223333:user/alice</Arn>');
  });

  it('refuses a URL signed more than 15 minutes ago, whatever X-Amz-Expires says', async () => {
    const res = await get(presigned(new Date(Date.now() - 16 * 60_000)), { 'x-k8s-aws-id': 'demo' });
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(res.body).toMatch(/Signature expired: \d{8}T\d{6}Z is now earlier than/);
    expect((await get(presigned(new Date(Date.now() - 14 * 60_000)), { 'x-k8s-aws-id': 'demo' })).status).toBe(200);
  });

  it('refuses the URL replayed with another x-k8s-aws-id, or without it', async () => {
    const url = presigned(new Date());
    for (const headers of [{ 'x-k8s-aws-id': 'other' }, {}] as Record<string, string>[]) {
      const res = await get(url, headers);
      expect(res.status).toBe(403);
      expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
  });
});
