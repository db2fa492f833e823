import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { NetworkProbe } from '../model/evidence.js';
import { redactProxyUrl, type ProxyChoice } from './proxy.js';

/**
 * DNS, TCP and TLS to the endpoint, each timed and bounded, so "Unauthorized" is never confused
 * with a private endpoint, a CIDR allow-list or a stale CA. Read-only: no HTTP request is sent.
 * `timeoutMs` bounds the whole probe, not each phase or the silence between bytes: a server that
 * drips its TLS handshake a byte at a time still ends the step on time.
 */
export async function probeNetwork(
  server: string,
  caPem: string,
  timeoutMs: number,
  proxy?: ProxyChoice,
): Promise<NetworkProbe> {
  const url = new URL(server);
  const port = Number(url.port || 443);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const probe: NetworkProbe = { host, port, dns: { ok: false } };
  const deadline = performance.now() + timeoutMs;
  const remaining = (): number => Math.max(1, Math.round(deadline - performance.now()));
  if (proxy) return probeThroughProxy(probe, url.host, caPem, proxy, remaining);
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

/**
 * kubectl's path through a proxy: the proxy resolves the name and opens the TCP connection
 * (CONNECT host:port), then TLS runs inside the tunnel. So there is no local DNS step, `tcp` is
 * the tunnel, and a proxy that is down or answers CONNECT with anything but 200 is recorded as
 * the proxy's failure, not the endpoint's.
 */
async function probeThroughProxy(
  probe: NetworkProbe,
  authority: string,
  caPem: string,
  proxy: ProxyChoice,
  remaining: () => number,
): Promise<NetworkProbe> {
  const { host, port } = probe;
  probe.dns = { ok: true, resolvedBy: 'proxy' };
  probe.proxy = { url: redactProxyUrl(proxy.url), source: proxy.source, connect: { ok: false } };
  const started = performance.now();
  const tunnel = await openTunnel(proxy.url, `${authority.replace(/:\d+$/, '')}:${port}`, remaining());
  const ms = Math.round(performance.now() - started);
  if (!tunnel.socket) {
    probe.proxy.connect = { ok: false, ms, ...(tunnel.status ? { status: tunnel.status } : {}), error: tunnel.error };
    return probe;
  }
  probe.proxy.connect = { ok: true, ms, status: 200 };
  probe.tcp = { ok: true, ms };
  const tlsStarted = performance.now();
  probe.tls = await settleSocket(
    tlsConnect({ socket: tunnel.socket, ca: caPem, servername: /^[\d.:]+$/.test(host) ? undefined : host }),
    'secureConnect',
    remaining(),
    `no TLS handshake with ${host}:${port} through the proxy within the probe's time`,
    tlsStarted,
  );
  tunnel.socket.destroy();
  return probe;
}

/** CONNECT `authority` through `proxy`: the open tunnel, or what the proxy answered instead. */
function openTunnel(
  proxy: URL,
  authority: string,
  ms: number,
): Promise<
  { socket: Socket; status?: undefined; error?: undefined } | { socket?: undefined; status?: number; error: string }
> {
  const secure = proxy.protocol === 'https:';
  const headers: Record<string, string> = { host: authority };
  if (proxy.username || proxy.password) {
    const basic = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  return new Promise((resolve) => {
    const req = (secure ? httpsRequest : httpRequest)({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.port || (secure ? 443 : 80)),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
      ...(secure ? { servername: proxy.hostname } : {}),
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`the proxy did not answer CONNECT ${authority} within ${ms} ms`)),
      ms,
    );
    req.once('connect', (res, socket) => {
      clearTimeout(timer);
      if (res.statusCode === 200) return resolve({ socket });
      socket.destroy();
      const status = res.statusCode ?? 0;
      resolve({ status, error: `HTTP ${status} ${res.statusMessage ?? ''}`.trim() });
    });
    req.once('error', (error) => {
      clearTimeout(timer);
      resolve({ error: describe(error) });
    });
    req.end();
  });
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
