import { readFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../src/sandbox/http-input.js';
import { spawnSandbox, type SpawnedSandbox } from './spawned.js';

/**
 * One request must never end the sandbox: a spawned `eksauth sandbox` gets each hostile request,
 * then must still be running and still answer ordinary requests.
 */
let sandbox: SpawnedSandbox;
let kubeEndpoint: string;
let sts: STSClient;

beforeAll(async () => {
  sandbox = await spawnSandbox(['--scenario', 'healthy']);
  kubeEndpoint = Object.values(sandbox.info.endpoints.clusters)[0] ?? '';
  const env = Object.fromEntries(
    [...readFileSync(sandbox.info.envFile, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]),
  );
  sts = new STSClient({
    endpoint: sandbox.info.endpoints.sts,
    region: env.AWS_REGION ?? 'us-east-1',
    maxAttempts: 1,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
  });
});

afterAll(async () => {
  sts?.destroy();
  await sandbox?.stop();
});

/** Opens a connection to an endpoint (TLS for the API servers; their identity is not under test here). */
function open(endpoint: string): Promise<Socket> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket =
      url.protocol === 'https:'
        ? connectTls({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false }, () => resolve(socket))
        : connectTcp({ host: url.hostname, port: Number(url.port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends raw bytes and returns everything the server said before it closed the connection. */
async function exchange(endpoint: string, ...parts: (string | Buffer)[]): Promise<string> {
  const socket = await open(endpoint);
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
    for (const part of parts) socket.write(part);
  });
}

/** Sends a request line, headers and part of the body, then disappears. */
async function disconnectMidBody(endpoint: string, method: string, path: string): Promise<void> {
  const socket = await open(endpoint);
  await new Promise<void>((resolve) => {
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"kind":`,
      () => socket.destroy(),
    );
  });
}

const statusOf = (response: string): number => Number(/^HTTP\/1\.1 (\d{3}) /.exec(response)?.[1] ?? 0);

/** The sandbox process is running and both an API server and STS answer as they should. */
async function stillServing(): Promise<void> {
  expect(sandbox.child.exitCode, sandbox.stderr()).toBeNull();
  const version = await exchange(kubeEndpoint, 'GET /version HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n');
  expect(statusOf(version)).toBe(200);
  expect(version).toContain('"gitVersion"');
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Arn).toMatch(/^arn:aws:/);
}

describe('the sandbox survives any single request', () => {
  it.each(['sts', 'eks', 'iam', 'cloudtrail', 'logs'] as const)(
    'a client that disconnects in the middle of its body (%s)',
    async (service) => {
      await disconnectMidBody(sandbox.info.endpoints[service], 'POST', '/');
      await stillServing();
    },
  );

  it('a client that disconnects in the middle of its body (Kubernetes API)', async () => {
    await disconnectMidBody(kubeEndpoint, 'POST', '/api/v1/namespaces/default/configmaps');
    await stillServing();
  });

  it('//x:99999/ is a path, not an authority', async () => {
    const kube = await exchange(kubeEndpoint, 'GET //x:99999/ HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n');
    // An anonymous request for a path nobody may read: refused, not a crash nor a 500.
    expect(statusOf(kube)).toBe(403);
    const aws = await exchange(
      sandbox.info.endpoints.sts,
      'GET //x:99999/ HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n',
    );
    // No Action: STS answers as it would for `/`.
    expect(statusOf(aws)).toBe(400);
    expect(aws).toContain('<Code>InvalidAction</Code>');
    await stillServing();
  });

  it('an absolute-form request target is served by its path', async () => {
    const kube = await exchange(
      kubeEndpoint,
      `GET ${kubeEndpoint}/version HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n`,
    );
    expect(statusOf(kube)).toBe(200);
    expect(kube).toContain('"gitVersion"');
    await stillServing();
  });

  it.each([
    ['an asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n', 400],
    [
      'an absolute URL with a bad port',
      'GET http://x:99999/ HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n',
      400,
    ],
    ['a garbage request line', '\x01\x02 garbage\r\n\r\n', 400],
  ])('%s is a 400', async (_, request, status) => {
    for (const endpoint of [kubeEndpoint, sandbox.info.endpoints.sts])
      expect(statusOf(await exchange(endpoint, request)), endpoint).toBe(status);
    await stillServing();
  });

  it('a path segment that is not valid percent-encoding is not a crash', async () => {
    const kube = await exchange(
      kubeEndpoint,
      'GET /api/v1/namespaces/%zz/configmaps HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n',
    );
    expect(statusOf(kube)).toBe(403);
    await stillServing();
  });

  it('a body declared larger than the cap is a 413 before it is read', async () => {
    const head = (path: string, length: number): string =>
      `POST ${path} HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
    const kube = await exchange(kubeEndpoint, head('/api/v1/namespaces/default/configmaps', BODY_LIMIT.kube + 1));
    expect(statusOf(kube)).toBe(413);
    expect(kube).toContain('"reason":"RequestEntityTooLarge"');
    expect(kube).toContain(`limit is ${BODY_LIMIT.kube}`);
    const stsReply = await exchange(sandbox.info.endpoints.sts, head('/', BODY_LIMIT.aws + 1));
    expect(statusOf(stsReply)).toBe(413);
    expect(stsReply).toContain('<Code>RequestEntityTooLarge</Code>');
    const eks = await exchange(sandbox.info.endpoints.eks, head('/clusters', BODY_LIMIT.aws + 1));
    expect(statusOf(eks)).toBe(413);
    await stillServing();
  });

  it('a chunked body that grows past the cap is a 413, and what follows is read and dropped', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const chunks = Math.ceil(BODY_LIMIT.kube / chunk.length) + 2;
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const reply = await exchange(
      kubeEndpoint,
      'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      ...Array.from({ length: chunks }, () => framed),
      '0\r\n\r\n',
    );
    expect(statusOf(reply)).toBe(413);
    await stillServing();
  });

  it('keeps serving ordinary requests while hostile ones arrive among them (load)', async () => {
    const hostile = [
      () => disconnectMidBody(kubeEndpoint, 'POST', '/api/v1/namespaces/default/configmaps'),
      () => disconnectMidBody(sandbox.info.endpoints.sts, 'POST', '/'),
      () => exchange(kubeEndpoint, 'GET //x:99999/ HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n'),
      () => exchange(sandbox.info.endpoints.eks, '\x01 garbage\r\n\r\n'),
    ];
    const ordinary = [
      async () =>
        statusOf(await exchange(kubeEndpoint, 'GET /version HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n')),
      async () => ((await sts.send(new GetCallerIdentityCommand({}))).Arn ? 200 : 0),
    ];
    const rounds = 20;
    const perRound = 25;
    let answered = 0;
    for (let round = 0; round < rounds; round++) {
      const statuses = await Promise.all(
        Array.from({ length: perRound }, async (_, i) => {
          if (i % 5 === 0) {
            await hostile[(round + i) % hostile.length]?.();
            return 'hostile';
          }
          return (ordinary[i % ordinary.length] as () => Promise<number>)();
        }),
      );
      for (const status of statuses) if (status !== 'hostile') expect(status).toBe(200);
      answered += statuses.filter((s) => s === 200).length;
    }
    expect(answered).toBe(rounds * perRound * (4 / 5));
    await stillServing();
  });
});
