/**
 * Which proxy, if any, a request to a URL goes through, read from the environment the way the
 * client eksauth stands in for reads it:
 *
 * - AWS calls (SDK clients, the STS replay) follow the aws CLI, i.e. botocore over Python's urllib
 *   (`getproxies_environment` + `proxy_bypass_environment`): a lower-case variable beats its
 *   upper-case twin, an empty lower-case one switches the proxy off, `NO_PROXY` entries are host
 *   suffixes with or without a leading dot, `host:port` entries match that port only, `*` alone
 *   bypasses everything, there are no CIDRs, and loopback is proxied like any other host.
 * - The cluster (the network probe, the API server) follows kubectl, i.e. Go's
 *   `golang.org/x/net/http/httpproxy`: the upper-case variable wins, `localhost` and loopback
 *   addresses never use a proxy, a leading-dot entry matches subdomains only, `*.` is a leading
 *   dot, IPs and CIDRs match addresses, and an https URL uses HTTPS_PROXY only.
 *
 * curl differs from both (documented in docs/proxies.md, not followed: neither client is curl):
 * it reads only lower-case `http_proxy`, falls back to ALL_PROXY, and ignores ports in NO_PROXY.
 * Imports nothing, so the lean `token` path can ask without loading an agent.
 */
import type { Env } from '../token/aws-config.js';

/** The `code` of an error the proxy caused (refused CONNECT, unreachable proxy, broken tunnel). */
export const PROXY_ERROR_CODE = 'EKSAUTH_PROXY';

/** Whose rules decide: `aws` (botocore/urllib, the aws CLI) or `kubectl` (Go's httpproxy). */
export type ProxyRules = 'aws' | 'kubectl';

export interface ProxyChoice {
  /** The proxy, with credentials if it has them: never print it, print `redactProxyUrl(url)`. */
  url: URL;
  /** The variable it came from (`https_proxy`, `HTTPS_PROXY`, …) or `proxy-url` (kubeconfig). */
  source: string;
}

/** The proxy for `target` under `rules`, or undefined for a direct connection. */
export function proxyFor(target: string | URL, env: Env, rules: ProxyRules): ProxyChoice | undefined {
  const url = typeof target === 'string' ? new URL(target) : target;
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  return rules === 'aws' ? botocoreProxy(url, scheme, env) : goProxy(url, scheme, env);
}

/**
 * The cluster's proxy as kubectl picks it: the kubeconfig's `proxy-url` for every host (client-go
 * sets it as the transport's proxy, so NO_PROXY and the loopback exemption do not apply), else
 * the environment under Go's rules. The one function the Kubernetes client asks.
 */
export function clusterProxyFor(server: string | URL, env: Env, kubeconfigProxyUrl?: string): ProxyChoice | undefined {
  if (kubeconfigProxyUrl) {
    const url = withScheme(kubeconfigProxyUrl);
    return url ? { url, source: 'proxy-url' } : undefined;
  }
  return proxyFor(server, env, 'kubectl');
}

/** Whether any proxy variable is set at all: without one, no agent (and no hpagent) is needed. */
export function proxyConfigured(env: Env): boolean {
  return Object.entries(env).some(([name, value]) => /^https?_proxy$/i.test(name) && value);
}

/** `http://user:pass@proxy:3128` → `http://<redacted>@proxy:3128`; the form every message uses. */
export function redactProxyUrl(url: URL): string {
  if (!url.username && !url.password) return `${url.protocol}//${url.host}`;
  return `${url.protocol}//<redacted>@${url.host}`;
}

// ---- botocore (urllib) -------------------------------------------------------------------------

/** urllib's getproxies_environment for one key: lower case wins, an empty lower-case value unsets. */
function urllibVariable(env: Env, key: 'http' | 'https' | 'no'): { value: string; name: string } | undefined {
  const lower = `${key}_proxy`;
  if (lower in env) {
    const value = env[lower];
    return value ? { value, name: lower } : undefined;
  }
  // urllib's first pass takes any spelling (HTTPS_PROXY, Https_Proxy); a CGI request forgets HTTP_PROXY.
  if (key === 'http' && env.REQUEST_METHOD !== undefined) return undefined;
  for (const [name, value] of Object.entries(env)) {
    if (name.toLowerCase() === lower && value) return { value, name };
  }
  return undefined;
}

function botocoreProxy(url: URL, scheme: 'http' | 'https', env: Env): ProxyChoice | undefined {
  const proxy = urllibVariable(env, scheme);
  if (!proxy) return undefined;
  const noProxy = urllibVariable(env, 'no')?.value;
  if (noProxy !== undefined && urllibBypass(url.host.toLowerCase(), noProxy)) return undefined;
  // botocore's _fix_proxy_url: a bare `host:port` means http.
  const fixed = /^https?:/i.test(proxy.value)
    ? proxy.value
    : proxy.value.startsWith('//')
      ? `http:${proxy.value}`
      : `http://${proxy.value}`;
  const parsed = parseUrl(fixed);
  return parsed ? { url: parsed, source: proxy.name } : undefined;
}

/** urllib's proxy_bypass_environment: `host` is the URL's netloc (`name` or `name:port`). */
function urllibBypass(host: string, noProxy: string): boolean {
  if (noProxy === '*') return true;
  const colon = /^(.*):(\d*)$/.exec(host);
  const hostOnly = colon ? (colon[1] ?? host) : host;
  for (const raw of noProxy.split(',')) {
    const name = raw.trim().replace(/^\.+/, '').toLowerCase();
    if (!name) continue;
    if (hostOnly === name || host === name) return true;
    if (hostOnly.endsWith(`.${name}`) || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

// ---- Go (kubectl) ------------------------------------------------------------------------------

/** Go's getEnvAny: the upper-case name first, then the lower-case one; empty counts as unset. */
function goVariable(env: Env, upper: string): { value: string; name: string } | undefined {
  const lower = upper.toLowerCase();
  if (env[upper]) return { value: env[upper], name: upper };
  if (env[lower]) return { value: env[lower], name: lower };
  return undefined;
}

function goProxy(url: URL, scheme: 'http' | 'https', env: Env): ProxyChoice | undefined {
  const proxy = goVariable(env, scheme === 'https' ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  if (!proxy) return undefined;
  // Go refuses HTTP_PROXY under CGI (httpoxy) and then connects directly.
  if (scheme === 'http' && env.REQUEST_METHOD !== undefined) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (scheme === 'https' ? '443' : '80');
  if (host === 'localhost' || isLoopback(host)) return undefined;
  const noProxy = goVariable(env, 'NO_PROXY')?.value ?? '';
  if (goBypass(host, port, noProxy)) return undefined;
  const parsed = /^(https?|socks5):\/\/[^/]/i.test(proxy.value)
    ? parseUrl(proxy.value)
    : parseUrl(`http://${proxy.value}`);
  return parsed ? { url: parsed, source: proxy.name } : undefined;
}

function goBypass(host: string, port: string, noProxy: string): boolean {
  const ip = parseIp(host);
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (ip && inCidr(ip, entry)) return true;
      continue;
    }
    const { name, entryPort } = splitEntry(entry);
    if (!name) continue;
    if (entryPort && entryPort !== port) continue;
    const entryIp = parseIp(name);
    if (entryIp) {
      if (ip && sameIp(ip, entryIp)) return true;
      continue;
    }
    const domain = name.startsWith('*.') ? name.slice(1) : name;
    if (domain.startsWith('.') ? host.endsWith(domain) : host === domain || host.endsWith(`.${domain}`)) return true;
  }
  return false;
}

/** `name`, `name:port`, `[v6]:port` or a bare IPv6 address. */
function splitEntry(entry: string): { name: string; entryPort?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? '', ...(bracketed[2] ? { entryPort: bracketed[2] } : {}) };
  if ((entry.match(/:/g) ?? []).length > 1) return { name: entry };
  const withPort = /^(.*):(\d+)$/.exec(entry);
  return withPort ? { name: withPort[1] ?? '', entryPort: withPort[2] ?? '' } : { name: entry };
}

// ---- addresses ---------------------------------------------------------------------------------

/** An IPv4 or IPv6 address as 16 bytes (IPv4 mapped into IPv6, as Go's net.IP holds it), else undefined. */
function parseIp(text: string): number[] | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...bytes] : undefined;
  }
  if (!text.includes(':') || !/^[0-9a-f:.]+$/.test(text)) return undefined;
  const [head = '', tail, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (!part) return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      const embedded = parseIp(group);
      if (embedded) out.push(...embedded.slice(12));
      else if (/^[0-9a-f]{1,4}$/.test(group)) out.push(parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff);
      else return undefined;
    }
    return out;
  };
  const left = groups(head);
  const right = groups(tail ?? '');
  if (!left || !right) return undefined;
  const fill = 16 - left.length - right.length;
  if (tail === undefined ? fill !== 0 : fill < 2) return undefined;
  return [...left, ...new Array<number>(fill).fill(0), ...right];
}

function isLoopback(host: string): boolean {
  const ip = parseIp(host);
  if (!ip) return false;
  const v4 = ip.slice(0, 12).join(',') === '0,0,0,0,0,0,0,0,0,0,255,255';
  return v4 ? ip[12] === 127 : ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
}

const sameIp = (a: number[], b: number[]): boolean => a.every((byte, i) => byte === b[i]);

function inCidr(ip: number[], cidr: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/');
  const network = parseIp(base);
  if (!network || !/^\d+$/.test(bitsText)) return false;
  const isV4 = !base.includes(':');
  const bits = Number(bitsText) + (isV4 ? 96 : 0);
  if (bits > 128) return false;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i % 8);
    if (((ip[i >> 3] ?? 0) & mask) !== ((network[i >> 3] ?? 0) & mask)) return false;
  }
  return true;
}

function parseUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

function withScheme(text: string): URL | undefined {
  return parseUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
}
