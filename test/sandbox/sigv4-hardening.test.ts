import { request } from 'node:http';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { presignGetCallerIdentity } from '../../src/token/presign.js';
import { sandboxFor } from './helpers.js';

/**
 * Where the sandbox's SigV4 verification used to be lax: header values' whitespace, signatures
 * from the future, session tokens that do not belong to the key. Header-signed requests are signed
 * by the JS SDK (not by the sandbox's aws4 re-signing), presigned ones by eksauth's token code.
 */
describe('sandbox SigV4 verification', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await sandboxFor('healthy');
  });
  afterAll(() => sandbox.close());

  const MIN = 60_000;
  const sdkClient = (principal: string, options: { systemClockOffset?: number; note?: string } = {}) => {
    const c = sandbox.credentialsFor(principal);
    const client = new STSClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoints.sts,
      // One attempt: the SDK would otherwise correct its clock from the error and retry.
      maxAttempts: 1,
      credentials: c,
      ...(options.systemClockOffset === undefined ? {} : { systemClockOffset: options.systemClockOffset }),
    });
    const { note } = options;
    if (note !== undefined) {
      // Added before signing, so the SDK signs it (normalised) and sends it as written.
      client.middlewareStack.add(
        (next) => async (args) => {
          (args.request as { headers: Record<string, string> }).headers['x-amz-meta-note'] = note;
          return next(args);
        },
        { step: 'build', name: 'addNote' },
      );
    }
    return client;
  };

  it('accepts a signed header whose value has inner runs of spaces and tabs (canonicalised trimmed and collapsed)', async () => {
    const identity = await sdkClient('alice', { note: 'a   b \t c' }).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe('arn:aws:iam::111122223333:user/alice');
  });

  it('refuses a header-signed request dated more than 5 minutes ahead, and accepts one 4 minutes ahead', async () => {
    await expect(
      sdkClient('alice', { systemClockOffset: 10 * MIN }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      message: expect.stringMatching(
        /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/,
      ) as unknown,
      $metadata: { httpStatusCode: 403 },
    });
    const ok = await sdkClient('alice', { systemClockOffset: 4 * MIN }).send(new GetCallerIdentityCommand({}));
    expect(ok.Arn).toBe('arn:aws:iam::111122223333:user/alice');
  });

  const presigned = (principal: string, options: { signedAt?: Date; sessionToken?: string | null } = {}): string => {
    const c = sandbox.credentialsFor(principal);
    const sessionToken = options.sessionToken === null ? undefined : (options.sessionToken ?? c.sessionToken);
    const url = new URL(
      presignGetCallerIdentity({
        credentials: {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          ...(sessionToken ? { sessionToken } : {}),
        },
        host: 'sts.us-east-1.amazonaws.com',
        signingRegion: 'us-east-1',
        clusterId: 'demo',
        now: options.signedAt ?? new Date(),
      }),
    );
    return `${sandbox.endpoints.sts}/${url.search}`;
  };
  const get = (url: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        url,
        { headers: { host: 'sts.us-east-1.amazonaws.com', 'x-k8s-aws-id': 'demo', accept: 'application/json' } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const errorOf = (body: string) => (JSON.parse(body) as { Error: { Code: string; Message: string } }).Error;

  it('refuses a presigned URL dated more than 5 minutes ahead ("Signature not yet current")', async () => {
    const future = await get(presigned('alice', { signedAt: new Date(Date.now() + 10 * MIN) }));
    expect(future.status).toBe(403);
    expect(errorOf(future.body)).toMatchObject({
      Code: 'SignatureDoesNotMatch',
      Message: expect.stringMatching(/^Signature not yet current: /) as unknown,
    });
    expect((await get(presigned('alice', { signedAt: new Date(Date.now() + 4 * MIN) }))).status).toBe(200);
  });

  it('accepts a role session only with the session token issued with its key', async () => {
    expect(sandbox.credentialsFor('developer').sessionToken).toBeTruthy();
    expect((await get(presigned('developer'))).status).toBe(200);
    for (const sessionToken of [`${sandbox.credentialsFor('admin').sessionToken ?? ''}`, 'IQoJforged', null]) {
      const res = await get(presigned('developer', { sessionToken }));
      expect(res.status).toBe(403);
      expect(errorOf(res.body)).toMatchObject({
        Code: 'InvalidClientTokenId',
        Message: 'The security token included in the request is invalid.',
      });
    }
  });

  it('refuses a session token presented with an IAM user’s long-term key', async () => {
    const res = await get(presigned('alice', { sessionToken: sandbox.credentialsFor('developer').sessionToken ?? '' }));
    expect(res.status).toBe(403);
    expect(errorOf(res.body).Code).toBe('InvalidClientTokenId');
  });

  it('refuses a session key with another session’s token when the SDK signs the header', async () => {
    const c = sandbox.credentialsFor('developer');
    const client = new STSClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoints.sts,
      maxAttempts: 1,
      credentials: { ...c, sessionToken: sandbox.credentialsFor('admin').sessionToken ?? '' },
    });
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
  });
});
