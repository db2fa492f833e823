import type { NetworkProbe } from './evidence.js';

/** The first failure on the path, worded for a step line; the proxy's own answer names the proxy. */
export function networkError(network: NetworkProbe): string {
  const proxy = network.proxy;
  if (proxy && !proxy.connect.ok)
    return `proxy ${proxy.url} (${proxy.source}) answered CONNECT ${network.host}:${network.port} with ${proxy.connect.error ?? 'nothing'}`;
  return network.tls?.error ?? network.tcp?.error ?? network.dns.error ?? 'unreachable';
}
