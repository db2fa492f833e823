import { lookup } from 'node:dns/promises';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { NetworkProbe } from '../model/evidence.js';

/**
 * DNS, TCP and TLS to the endpoint, each timed and bounded, so "Unauthorized" is never confused
 * with a private endpoint, a CIDR allow-list or a stale CA. Read-only: no HTTP request is sent.
 */
export async function probeNetwork(server: string, caPem: string, timeoutMs: number): Promise<NetworkProbe> {
  const url = new URL(server);
  const port = Number(url.port || 443);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const probe: NetworkProbe = { host, port, dns: { ok: false } };
  try {
    const addresses = await withTimeout(lookup(host, { all: true }), timeoutMs, `DNS lookup of ${host}`);
    probe.dns = { ok: true, addresses: addresses.map((a) => a.address) };
  } catch (error) {
    probe.dns = { ok: false, error: describe(error) };
    return probe;
  }
  const started = performance.now();
  const tcp = await new Promise<NonNullable<NetworkProbe['tcp']>>((resolve) => {
    const socket = netConnect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, ms: Math.round(performance.now() - started) });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, error: `no TCP connection to ${host}:${port} within ${timeoutMs} ms (i/o timeout)` });
    });
    socket.once('error', (error) => resolve({ ok: false, error: describe(error) }));
  });
  probe.tcp = tcp;
  if (!tcp.ok) return probe;
  const tlsStarted = performance.now();
  probe.tls = await new Promise((resolve) => {
    const socket = tlsConnect({
      host,
      port,
      ca: caPem,
      servername: /^[\d.:]+$/.test(host) ? undefined : host,
      timeout: timeoutMs,
    });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve({ ok: true, ms: Math.round(performance.now() - tlsStarted) });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, error: `no TLS handshake with ${host}:${port} within ${timeoutMs} ms` });
    });
    socket.once('error', (error) => resolve({ ok: false, error: describe(error) }));
  });
  return probe;
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
