import type { Agent } from 'node:http';
import type { AgentOptions } from 'node:https';
import type * as Kube from '@kubernetes/client-node';
import type { Env } from '../token/aws-config.js';
import { clusterAgent } from './proxy-agent.js';

/** Where the API server is and how to trust it: DescribeCluster's endpoint and CA. */
export interface KubeTarget {
  /** `https://host[:port]` from DescribeCluster (or a kubeconfig). */
  server: string;
  /** PEM of the cluster CA (DescribeCluster's certificateAuthority.data, decoded). */
  caPem: string;
  timeoutMs: number;
  /** The environment whose HTTPS_PROXY / NO_PROXY apply to this cluster, as kubectl reads them. */
  env?: Env | undefined;
  /** The kubeconfig's `proxy-url` for this cluster, which wins over the environment as in kubectl. */
  proxyUrl?: string | undefined;
}

/** One answer of the API server: its status, its body as sent (parsed JSON, else text), its Date. */
export interface KubeResponse {
  status: number;
  body: unknown;
  date?: string;
}

/** A cluster, user and context in the library's own shape, ready for `KubeConfig.loadFromOptions`. */
export interface KubeOptions {
  clusters: Kube.Cluster[];
  users: Kube.User[];
  contexts: Kube.Context[];
  currentContext: string;
  /** The environment whose HTTPS_PROXY / NO_PROXY apply when the cluster has no `proxy-url`. */
  proxyEnv?: Env | undefined;
}

type Library = typeof Kube;
let library: Promise<Library> | undefined;

/**
 * @kubernetes/client-node costs about half a second to load on an idle machine (its index pulls
 * in every generated model, watch, exec, ws and openid-client), so it is imported on first use
 * only: `token`, which kubectl runs on every call, never loads it. doctor and verify load it before
 * their first step (loadKubeLibrary in collectLive / verifyCluster): its evaluation is synchronous,
 * and overlapped with the AWS calls it would hold the event loop past their deadlines (measured:
 * ListNodegroups "timed out after 1000 ms" with --timeout 1000 when loaded in parallel).
 */
export const loadKubeLibrary = (): Promise<Library> => (library ??= import('@kubernetes/client-node'));

/**
 * The one place that decides how eksauth reaches the API server. A kubeconfig `proxy-url` goes to
 * the library's agent (http, https and socks), which also applies `tls-server-name`,
 * `insecure-skip-tls-verify`, the CA and client certificates. Without one, kubectl takes
 * HTTPS_PROXY / NO_PROXY under Go's rules: the shared decision in proxy-agent.ts, with the same
 * TLS options, so a proxied cluster is trusted exactly as a direct one.
 */
export function chooseKubeAgent(
  cluster: Kube.Cluster | null,
  tlsOptions: AgentOptions,
  libraryAgent: (cluster: Kube.Cluster | null, tlsOptions: AgentOptions) => Agent,
  proxyEnv?: Env,
): Agent {
  if (cluster && !cluster.proxyUrl && proxyEnv) {
    const viaEnvironment = clusterAgent(cluster.server, proxyEnv, undefined, tlsOptions);
    if (viaEnvironment) return viaEnvironment;
  }
  return libraryAgent(cluster, tlsOptions);
}

/** The API server calls doctor, whoami and verify make, each through the library's typed clients. */
export interface KubeClient {
  version(signal: AbortSignal): Promise<KubeResponse>;
  selfSubjectReview(signal: AbortSignal): Promise<KubeResponse>;
  accessReview(attributes: Kube.V1ResourceAttributes, signal: AbortSignal): Promise<KubeResponse>;
  configMap(namespace: string, name: string, signal: AbortSignal): Promise<KubeResponse>;
  clusterRoleBindings(signal: AbortSignal): Promise<KubeResponse>;
  roleBindings(signal: AbortSignal): Promise<KubeResponse>;
}

const tokenClients = new Map<string, Promise<KubeClient>>();

/**
 * A client for DescribeCluster's endpoint and CA, authenticating with a bearer token; the same
 * one for every step that uses this token, so the reads and the probe share connections.
 */
export function kubeClientForToken(target: KubeTarget, token: string): Promise<KubeClient> {
  const key = JSON.stringify([target.server, target.caPem, target.proxyUrl ?? null, token]);
  let client = tokenClients.get(key);
  if (!client) tokenClients.set(key, (client = newTokenClient(target, token)));
  return client;
}

function newTokenClient(target: KubeTarget, token: string): Promise<KubeClient> {
  const cluster: Kube.Cluster = {
    name: 'eks',
    server: target.server,
    // An empty CA means "the system's roots", as for an https URL anywhere else.
    ...(target.caPem ? { caData: Buffer.from(target.caPem, 'utf8').toString('base64') } : {}),
    skipTLSVerify: false,
    ...(target.proxyUrl ? { proxyUrl: target.proxyUrl } : {}),
  };
  return kubeClient({
    clusters: [cluster],
    users: [{ name: 'eksauth', token }],
    contexts: [{ name: 'eksauth', cluster: 'eks', user: 'eksauth' }],
    currentContext: 'eksauth',
    proxyEnv: target.env,
  });
}

/**
 * A client for a kubeconfig context already merged and resolved with kubectl's rules (see
 * kubeconfig.ts): the library only connects and authenticates; it never reads files itself.
 */
export async function kubeClient(options: KubeOptions): Promise<KubeClient> {
  const k8s = await loadKubeLibrary();
  const config = new k8s.KubeConfig();
  config.loadFromOptions(options);
  // createAgent is private in the typings; replacing it on this instance is the library's only
  // seam for the agent that carries every request (see chooseKubeAgent).
  const withAgent = config as unknown as {
    createAgent: (cluster: Kube.Cluster | null, tlsOptions: AgentOptions) => Agent;
  };
  const libraryAgent = withAgent.createAgent.bind(config);
  // The library makes a new agent for every request; one kept-alive agent per client lets the
  // probe's seven requests share a TLS session instead of making seven handshakes.
  let agent: Agent | undefined;
  withAgent.createAgent = (cluster, tlsOptions) =>
    (agent ??= chooseKubeAgent(cluster, { ...tlsOptions, keepAlive: true }, libraryAgent, options.proxyEnv));

  const core = config.makeApiClient(k8s.CoreV1Api);
  const rbac = config.makeApiClient(k8s.RbacAuthorizationV1Api);
  const authn = config.makeApiClient(k8s.AuthenticationV1Api);
  const authz = config.makeApiClient(k8s.AuthorizationV1Api);
  const version = config.makeApiClient(k8s.VersionApi);
  const call = (signal: AbortSignal, send: (options: Kube.ConfigurationOptions) => Promise<unknown>) =>
    answerAsSent(k8s, signal, send);
  return {
    version: (signal) => call(signal, (options) => version.getCode({}, options)),
    selfSubjectReview: (signal) =>
      call(signal, (options) =>
        authn.createSelfSubjectReview(
          { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
          options,
        ),
      ),
    accessReview: (resourceAttributes, signal) =>
      call(signal, (options) =>
        authz.createSelfSubjectAccessReview(
          {
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: { resourceAttributes },
            },
          },
          options,
        ),
      ),
    configMap: (namespace, name, signal) =>
      call(signal, (options) => core.readNamespacedConfigMap({ namespace, name }, options)),
    clusterRoleBindings: (signal) => call(signal, (options) => rbac.listClusterRoleBinding({}, options)),
    roleBindings: (signal) => call(signal, (options) => rbac.listRoleBindingForAllNamespaces({}, options)),
  };
}

/** More than any list eksauth reads; a server sending more is refused, not kept. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * Sends one typed call and returns the answer as the server sent it. The typed result is not what
 * eksauth keeps: it turns timestamps into Dates and drops fields its model does not know, and the
 * evidence must be the server's own (aws-auth is shown with kubectl's line numbers). The status is
 * kept whatever it is, so callers tell 401 from 403 from 404 as before; only a request that got no
 * answer (refused, reset, TLS, the deadline's abort) rejects.
 */
async function answerAsSent(
  k8s: Library,
  signal: AbortSignal,
  send: (options: Kube.ConfigurationOptions) => Promise<unknown>,
): Promise<KubeResponse> {
  let answer: KubeResponse | undefined;
  // The object API passes per-call middleware to its Observable layer unwrapped, so it must be the
  // Observable kind (the exported `Middleware` is the promise kind, which only the Promise API wraps).
  const middleware: Kube.ObservableMiddleware = {
    pre: (request) => {
      request.setSignal(signal);
      return new k8s.Observable(Promise.resolve(request));
    },
    post: (response) => new k8s.Observable(keepAnswer(response)),
  };
  const keepAnswer = async (response: Kube.ResponseContext): Promise<Kube.ResponseContext> => {
    const bytes = await response.body.binary();
    if (bytes.length > MAX_ANSWER_BYTES)
      throw new Error(`the API server answered more than ${MAX_ANSWER_BYTES / (1024 * 1024)} MiB`);
    const text = bytes.toString('utf8');
    answer = {
      status: response.httpStatusCode,
      body: parseJson(text),
      ...(response.headers.date ? { date: response.headers.date } : {}),
    };
    return new k8s.ResponseContext(response.httpStatusCode, response.headers, {
      text: () => Promise.resolve(text),
      binary: () => Promise.resolve(bytes),
    });
  };
  try {
    await send({ middleware: [middleware] });
  } catch (error) {
    // ApiException (any non-2xx) and the library's own parse errors come after the answer arrived.
    if (!answer) throw error;
  }
  if (!answer) throw new Error('the API server sent no answer');
  return answer;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Non-JSON bodies (a proxy's HTML) are kept as text.
    return text;
  }
}

export const decodeCa = (certificateAuthorityData: string): string =>
  Buffer.from(certificateAuthorityData, 'base64').toString('utf8');

/** `message` of a Kubernetes Status body, if it is one. */
export function statusMessage(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string'
    ? body.message
    : undefined;
}
