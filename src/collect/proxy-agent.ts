/**
 * Agents that send each connection through the proxy `proxyFor` picks for its host, or directly:
 * decided per connection, as botocore decides per request, so one SDK client reaching several
 * hosts honours NO_PROXY for each. The CONNECT tunnel is hpagent's (also what
 * @kubernetes/client-node uses for `proxy-url`); this module adds only the decision and errors
 * that name the proxy without its credentials.
 */
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import type { Env } from '../token/aws-config.js';
import {
  clusterProxyFor,
  proxyConfigured,
  proxyFor,
  redactProxyUrl,
  type ProxyChoice,
  type ProxyRules,
  PROXY_ERROR_CODE,
} from './proxy.js';

type ConnectionCallback = (error: Error | null, socket?: Duplex) => void;
interface ConnectOptions {
  host?: string | null;
  port?: number | string | null;
}
type CreateConnection = (options: ConnectOptions, callback: ConnectionCallback) => Duplex | undefined;

/** Which proxy a connection to `target` (`scheme://host:port`) takes, or undefined for direct. */
export type ProxyDecision = (target: string) => ProxyChoice | undefined;

/** An agent for `scheme` URLs that asks `rules` per connection; the caller keeps it for its client. */
export function proxyAwareAgent(
  scheme: 'http' | 'https',
  env: Env,
  rules: ProxyRules,
  options: HttpsAgentOptions = {},
): HttpAgent {
  return decidingAgent(scheme, (target) => proxyFor(target, env, rules), options);
}

/**
 * The agent for the API server at `server`, as kubectl would connect: through the kubeconfig's
 * `proxy-url` when it has one, else HTTPS_PROXY / NO_PROXY under Go's rules; undefined when the
 * connection is direct (then the client's default agent is right). The Kubernetes client's one call.
 */
export function clusterAgent(
  server: string,
  env: Env,
  kubeconfigProxyUrl?: string,
  options: HttpsAgentOptions = {},
): HttpsAgent | undefined {
  if (!clusterProxyFor(server, env, kubeconfigProxyUrl)) return undefined;
  return decidingAgent('https', (target) => clusterProxyFor(target, env, kubeconfigProxyUrl), options) as HttpsAgent;
}

function decidingAgent(scheme: 'http' | 'https', decideFor: ProxyDecision, options: HttpsAgentOptions): HttpAgent {
  const tunnels = new Map<string, HttpAgent>();
  const tunnelFor = (choice: ProxyChoice): HttpAgent => {
    const key = choice.url.href;
    let tunnel = tunnels.get(key);
    if (!tunnel) {
      tunnel =
        scheme === 'https'
          ? new HttpsProxyAgent({ ...options, proxy: choice.url })
          : new HttpProxyAgent({ ...(options as AgentOptions), proxy: choice.url });
      tunnels.set(key, tunnel);
    }
    return tunnel;
  };
  const decide = (base: CreateConnection): CreateConnection =>
    function (this: HttpAgent, connect, callback) {
      const hostname = String(connect.host ?? '');
      const host = hostname.includes(':') ? `[${hostname}]` : hostname;
      const target = `${scheme}://${host}:${String(connect.port ?? (scheme === 'https' ? 443 : 80))}`;
      const choice = decideFor(target);
      if (!choice) return base.call(this, connect, callback);
      const tunnel = tunnelFor(choice) as unknown as { createConnection: CreateConnection };
      return tunnel.createConnection(connect, (error, socket) =>
        error ? callback(proxyError(error, choice, `${host}:${String(connect.port)}`)) : callback(null, socket),
      );
    };
  if (scheme === 'https') {
    const agent = new HttpsAgent(options);
    const base = HttpsAgent.prototype.createConnection as unknown as CreateConnection;
    Object.assign(agent, { createConnection: decide(base) });
    return agent;
  }
  const agent = new HttpAgent(options as AgentOptions);
  const base = HttpAgent.prototype.createConnection as unknown as CreateConnection;
  Object.assign(agent, { createConnection: decide(base) });
  return agent;
}

/** The proxy's failure, worded so nobody mistakes it for the endpoint's: "proxy http://p:3128 refused CONNECT x:443 (HTTP 403)". */
export function proxyError(error: Error, choice: ProxyChoice, target: string): Error {
  const proxy = redactProxyUrl(choice.url);
  const status = /Bad response: (\d+)/.exec(error.message)?.[1];
  const code = (error as { code?: string }).code;
  const message = status
    ? `proxy ${proxy} (${choice.source}) refused CONNECT ${target} (HTTP ${status})`
    : `proxy ${proxy} (${choice.source}) failed for ${target}: ${code ? `${code}: ` : ''}${error.message}`;
  return Object.assign(new Error(message), {
    code: PROXY_ERROR_CODE,
    ...(status ? { proxyStatus: Number(status) } : {}),
  });
}

const agentsByEnv = new WeakMap<Env, { httpAgent: HttpAgent; httpsAgent: HttpAgent }>();

/**
 * The SDK's request-handler agents when HTTPS_PROXY / HTTP_PROXY are set (the SDK v3 does not read
 * them; the aws CLI does), deciding per connection under botocore's rules; one pair per environment.
 */
export function proxyHandlerOptions(env: Env): { httpAgent: HttpAgent; httpsAgent: HttpAgent } | undefined {
  if (!proxyConfigured(env)) return undefined;
  let agents = agentsByEnv.get(env);
  if (!agents) {
    // The SDK's own default agent settings.
    const options = { keepAlive: true, maxSockets: 50 };
    agents = {
      httpAgent: proxyAwareAgent('http', env, 'aws', options),
      httpsAgent: proxyAwareAgent('https', env, 'aws', options),
    };
    agentsByEnv.set(env, agents);
  }
  return agents;
}
