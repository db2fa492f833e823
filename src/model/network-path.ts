import type { NetworkProbe } from './evidence.js';

/** The first failure on the path, worded for a step line; the proxy's own answer names the proxy. */
export function networkError(network: NetworkProbe): string {
  const connect = network.proxy?.connect;
  if (network.proxy && connect && !connect.ok)
    return `proxy ${network.proxy.url} (${network.proxy.source}) answered CONNECT ${network.host}:${network.port} with ${connect.error ?? 'nothing'}`;
  return network.tls?.error ?? network.tcp?.error ?? network.dns.error ?? 'unreachable';
}
