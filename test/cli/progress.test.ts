import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { forTerminal } from '../../src/report/sanitise.js';
import { probeApi } from '../../src/collect/probe.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import type { StepEvent } from '../../src/doctor/step-runner.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { eksauth } from '../helpers/cli.js';

const ESC = String.fromCharCode(27);
const SGR_COLOUR = new RegExp(`${ESC}\\[\\d+m`);
const hasEscape = (text: string) => text.includes(ESC);

function recorder(tty: boolean, color: boolean) {
  let text = '';
  // What reaches the terminal: the text after the one sanitiser (src/cli/io.ts writeStderr).
  const progress = createProgress({ write: (chunk) => (text += forTerminal(chunk)), tty, color, waitAfterMs: 1000 });
  return { progress, text: () => text };
}
const step = (name: string, status: StepEvent['status'], detail?: string): StepEvent => ({
  name,
  status,
  ms: 5,
  ...(detail ? { detail } : {}),
});

describe('progress marks', () => {
  afterEach(() => vi.useRealTimers());

  test.each([
    ['a terminal with colour', true, true],
    ['a terminal with NO_COLOR or --no-color', true, false],
    ['a log', false, false],
  ])('on %s', (_, tty, color) => {
    const { progress, text } = recorder(tty, color);
    for (const name of ['caller identity', 'access entries', 'network path']) progress.onStart?.(name);
    progress.onStep?.(step('caller identity', 'done'));
    progress.onStep?.(step('access entries', 'skipped', 'the cluster is in CONFIG_MAP mode'));
    progress.onStep?.(step('network path', 'failed', 'no TLS handshake'));
    progress.finish();
    expect(SGR_COLOUR.test(text())).toBe(color);
    expect(text()).toContain(
      tty ? '- access entries (5 ms): the cluster is in CONFIG_MAP mode' : 'skip access entries',
    );
    expect(text()).toContain(tty ? 'network path (5 ms): no TLS handshake' : 'FAIL network path (5 ms)');
    if (!tty) expect(hasEscape(text())).toBe(false);
  });

  test('a terminal names what a run has waited for more than a second, and erases it before the next step', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const { progress, text } = recorder(true, false);
    progress.onStart?.('network path');
    progress.onStart?.('probe API server');
    vi.advanceTimersByTime(900);
    expect(text()).toBe('');
    vi.advanceTimersByTime(2200);
    expect(text()).toContain('\r\x1b[K  … waiting for network path, probe API server (2 s)');
    expect(text()).toContain('(3 s)');
    progress.onStep?.(step('network path', 'failed', 'no TLS handshake'));
    expect(text().endsWith('\r\x1b[K  ✗ network path (5 ms): no TLS handshake\n')).toBe(true);
    progress.finish();
  });

  test('a log gets one plain line per set of steps waited for, never a rewritten line', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const { progress, text } = recorder(false, false);
    progress.onStart?.('network path');
    progress.onStart?.('probe API server');
    vi.advanceTimersByTime(5000);
    expect(text()).toBe('  wait network path, probe API server\n');
    progress.onStep?.(step('probe API server', 'failed', 'timeout'));
    vi.advanceTimersByTime(5000);
    expect(
      text()
        .split('\n')
        .filter((line) => line.includes('wait')),
    ).toEqual(['  wait network path, probe API server', '  wait network path']);
    expect(hasEscape(text()) || text().includes('\r')).toBe(false);
    progress.finish();
  });
});

describe('doctor progress on a real run', () => {
  test('access entries refused in CONFIG_MAP mode show as skipped with the reason, never FAIL', () => {
    const result = eksauth(['doctor', '--sandbox', 'seed-debug-eks-unauthenticated']);
    expect(result.stderr).toContain('skip access entries (');
    expect(result.stderr).toContain('the cluster is in CONFIG_MAP mode, where EKS reads aws-auth');
    expect(result.stderr).not.toMatch(/FAIL access entries/);
    expect(hasEscape(result.stderr)).toBe(false);
  });
});

describe('an unreachable endpoint costs one timeout, not two', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  const scenario = loadScenario('network--endpoint-unreachable');
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario });
  });
  afterAll(() => sandbox.close());

  test('the network probe, the aws-auth read and the API probe wait on the endpoint at the same time', async () => {
    const target = sandboxTarget(scenario, {});
    if (typeof target === 'string') throw new Error(target);
    const order: string[] = [];
    const events: StepEvent[] = [];
    await collectLive(sandboxRequest(sandbox, target, { timeoutMs: 1000, now: () => new Date() }), {
      onStart: (name) => order.push(`start ${name}`),
      onStep: (event) => {
        order.push(`end ${event.name}`);
        events.push(event);
      },
    });
    const firstEnd = Math.min(
      ...['network path', 'read aws-auth and RBAC', 'probe API server'].map((name) => order.indexOf(`end ${name}`)),
    );
    for (const name of ['network path', 'read aws-auth and RBAC', 'probe API server']) {
      expect(order.indexOf(`start ${name}`), name).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(`start ${name}`), `${name} starts before any of the three ends`).toBeLessThan(firstEnd);
      // A network path that ends before TLS is a failed step, not "ok".
      expect(events.find((e) => e.name === name)?.status, name).toBe('failed');
    }
  });
});

describe('a Kubernetes step has one deadline for connect, TLS and answer', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  const closed = new Set<Socket>();
  beforeAll(async () => {
    // Accepts TCP and never answers: the TLS handshake hangs, as behind a dropping proxy.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => closed.add(socket));
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => vi.useRealTimers());

  test('the deadline fires after timeoutMs from the start, whatever stage the request is in, and drops the connection', async () => {
    const { port } = server.address() as AddressInfo;
    // An hour: only the deadline timer (faked here) can end this request within the test.
    const target = { server: `https://127.0.0.1:${port}`, caPem: '', timeoutMs: 3_600_000 };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const outcome = probeApi(target, 'k8s-aws-v1.x').then(
      () => 'answered',
      (error: Error & { code?: string }) => `${error.code ?? ''}: ${error.message}`,
    );
    await vi.waitFor(() => expect(sockets.size).toBe(1), { timeout: 10_000, interval: 20 });
    vi.advanceTimersByTime(3_600_000);
    expect(await outcome).toBe('ETIMEDOUT: timed out after 3600000 ms');
    // The abort reached the request: the client hung up instead of leaving the socket open.
    await vi.waitFor(() => expect(closed.size).toBe(1), { timeout: 10_000, interval: 20 });
  });
});
