import { lookup } from 'node:dns/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { NetworkProbe } from '../model/evidence.js';

/**
 * DNS, TCP and TLS to the endpoint, each timed and bounded, so "Unauthorized" is never confused
 * with a private endpoint, a CIDR allow-list or a stale CA. Read-only: no HTTP request is sent.
 * `timeoutMs` bounds the whole probe, not each phase or the silence between bytes: a server that
 * drips its TLS handshake a byte at a time still ends the step on time.
 */
export async function probeNetwork(server: string, caPem: string, timeoutMs: number): Promise<NetworkProbe> {
  const url = new URL(server);
  const port = Number(url.port || 443);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const probe: NetworkProbe = { host, port, dns: { ok: false } };
  const deadline = performance.now() + timeoutMs;
  const remaining = (): number => Math.max(1, Math.round(deadline - performance.now()));
  try {
    const addresses = await withTimeout(lookup(host, { all: true }), timeoutMs, `DNS lookup of ${host}`);
    probe.dns = { ok: true, addresses: addresses.map((a) => a.address) };
  } catch (error) {
    probe.dns = { ok: false, error: describe(error) };
    return probe;
  }
  const started = performance.now();
  const tcp = await settleSocket(
    netConnect({ host, port }),
    'connect',
    remaining(),
    `no TCP connection to ${host}:${port} within ${timeoutMs} ms (i/o timeout)`,
    started,
  );
  probe.tcp = tcp;
  if (!tcp.ok) return probe;
  const tlsStarted = performance.now();
  probe.tls = await settleSocket(
    tlsConnect({ host, port, ca: caPem, servername: /^[\d.:]+$/.test(host) ? undefined : host }),
    'secureConnect',
    remaining(),
    `no TLS handshake with ${host}:${port} within ${timeoutMs} ms`,
    tlsStarted,
  );
  return probe;
}

/** Waits for `event` on a fresh socket, at most `ms` in all, then closes it either way. */
function settleSocket(
  socket: Socket,
  event: 'connect' | 'secureConnect',
  ms: number,
  timeoutMessage: string,
  started: number,
): Promise<{ ok: boolean; ms?: number; error?: string }> {
  return new Promise((resolve) => {
    const finish = (outcome: { ok: boolean; ms?: number; error?: string }): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, error: timeoutMessage }), ms);
    socket.once(event, () => finish({ ok: true, ms: Math.round(performance.now() - started) }));
    socket.once('error', (error) => finish({ ok: false, error: describe(error) }));
  });
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message ?? ''}` : (e.message ?? String(error));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
