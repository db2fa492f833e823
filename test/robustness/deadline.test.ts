import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { DeadlineExceeded } from '../../src/collect/deadline.js';
import { classifyFailure } from '../../src/collect/failures.js';
import { readAwsAuthText } from '../../src/collect/kube-reads.js';
import { probeNetwork } from '../../src/collect/network.js';
import { probeApi } from '../../src/collect/probe.js';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { generateClusterTls } from '../../src/sandbox/tls.js';

/**
 * `--timeout` is a deadline for each step, not an idle timeout: servers here answer at once and
 * then send their body a byte every 200 ms, so no socket is ever idle for the 1 s timeout.
 * Bounds are 3× the timeout, loose on purpose: the point is "ends near the deadline", not "in 20 s".
 */
const TIMEOUT_MS = 1_000;
const DRIP_EVERY_MS = 200;
/** Long enough that waiting for the whole body would blow the bound several times over. */
const DRIP_BYTES = 60;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    // HTTP servers keep dripping connections open; the TCP proxy closes its own when the client goes.
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
});

function drip(res: ServerResponse, contentType: string, last: string): void {
  res.writeHead(200, { 'content-type': contentType });
  let sent = 0;
  const timer = setInterval(() => {
    if (++sent < DRIP_BYTES) res.write(' ');
    else {
      clearInterval(timer);
      res.end(last);
    }
  }, DRIP_EVERY_MS);
  res.on('close', () => clearInterval(timer));
}

async function listening(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('--timeout bounds each step, however slowly a server answers', () => {
  test('an AWS API (SDK) dripping its answer: the step ends near the deadline, "could not check, because … timed out"', async () => {
    const port = await listening(
      createHttpServer((req, res) => {
        req.resume();
        drip(res, 'application/x-amz-json-1.1', '{"Events":[]}');
      }),
    );
    const scenario = loadScenario('seed-debug-eks-unauthenticated');
    const target = sandboxTarget(scenario, {});
    if (typeof target === 'string') throw new Error(target);
    const sandbox = await startSandbox({ scenario });
    try {
      const request = sandboxRequest(sandbox, target, { timeoutMs: TIMEOUT_MS, now: () => new Date() });
      request.env = { ...request.env, AWS_ENDPOINT_URL_CLOUDTRAIL: `http://127.0.0.1:${port}` };
      const collected = await collectLive(request);
      const step = collected.events.find((event) => event.name === 'cluster creator (CloudTrail)');
      expect(step?.status).toBe('failed');
      expect(step?.ms).toBeLessThan(3 * TIMEOUT_MS);
      expect(collected.evidence.failures?.creator).toMatchObject({ code: 'timeout' });
      expect(collected.evidence.unavailable?.creator).toContain(`timed out after ${TIMEOUT_MS} ms`);
      const report = buildDoctorReport(collected.evidence, request.cluster);
      const steps = (report.steps ?? []).map((s) => `${s.title}: ${s.detail}`).join('\n');
      expect(steps).toMatch(/could not check, because .*timed out after 1000 ms/);
      // The rest of the diagnosis went on.
      expect(report.observed?.status).toBe(401);
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  test('the API server (raw HTTPS) dripping its answer: reads and probes end at the deadline', async () => {
    const tls = generateClusterTls(new Date());
    const port = await listening(
      createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
        req.resume();
        drip(res, 'application/json', '{}');
      }),
    );
    const target = { server: `https://127.0.0.1:${port}`, caPem: tls.caPem, timeoutMs: TIMEOUT_MS };
    for (const step of [
      () => readAwsAuthText(target, 'k8s-aws-v1.x', 'the operator'),
      () => probeApi(target, 'k8s-aws-v1.x'),
    ]) {
      const started = performance.now();
      const error = await step().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(performance.now() - started).toBeLessThan(3 * TIMEOUT_MS);
      expect(error).toBeInstanceOf(DeadlineExceeded);
      expect(classifyFailure(error, 'GET /version')).toMatchObject({
        code: 'timeout',
        message: `GET /version did not answer in time (timed out after ${TIMEOUT_MS} ms)`,
      });
    }
  }, 60_000);

  test('a TLS handshake dripped a byte at a time: the network probe ends at the deadline', async () => {
    const tls = generateClusterTls(new Date());
    const tlsPort = await listening(
      createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (_req, res) => res.end('{}')),
    );
    // A proxy that passes the client's bytes on at once and the server's back one every 200 ms.
    const port = await listening(
      createTcpServer((client) => {
        const upstream = connect(tlsPort, '127.0.0.1');
        const pending: number[] = [];
        const timer = setInterval(() => {
          const byte = pending.shift();
          if (byte !== undefined) client.write(Buffer.from([byte]));
        }, DRIP_EVERY_MS);
        client.on('data', (chunk: Buffer) => upstream.write(chunk));
        upstream.on('data', (chunk: Buffer) => pending.push(...chunk));
        const close = (): void => {
          clearInterval(timer);
          client.destroy();
          upstream.destroy();
        };
        client.on('close', close);
        client.on('error', close);
        upstream.on('error', close);
      }),
    );
    const started = performance.now();
    const probe = await probeNetwork(`https://127.0.0.1:${port}`, tls.caPem, TIMEOUT_MS);
    expect(performance.now() - started).toBeLessThan(3 * TIMEOUT_MS);
    expect(probe.tcp?.ok).toBe(true);
    expect(probe.tls).toMatchObject({ ok: false, error: expect.stringContaining(`within ${TIMEOUT_MS} ms`) as string });
  }, 60_000);
});
