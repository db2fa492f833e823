import { request, type Agent } from 'node:https';

export interface KubeTarget {
  /** `https://host[:port]` from DescribeCluster (or a kubeconfig). */
  server: string;
  /** PEM of the cluster CA (DescribeCluster's certificateAuthority.data, decoded). */
  caPem: string;
  timeoutMs: number;
  /** The proxy's agent when kubectl would take one (clusterAgent in proxy-agent.ts); else direct. */
  agent?: Agent | undefined;
}

export interface KubeAuth {
  /** Bearer token; never logged, never part of evidence. */
  token?: string;
  /** Extra TLS/header options from a kubeconfig (client certs, exec'd tokens). */
  headers?: Record<string, string>;
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface KubeResponse {
  status: number;
  body: unknown;
  date?: string;
}

/** More than any list eksauth reads; a server sending more is refused, not buffered. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * One HTTPS call to the API server, trusting only the cluster's CA. Network failures reject, and
 * so does `signal` (the step's deadline: see withinDeadline) by destroying the request.
 */
export function kubeRequest(
  target: KubeTarget,
  auth: KubeAuth,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; signal?: AbortSignal } = {},
): Promise<KubeResponse> {
  const { body, signal } = options;
  const url = new URL(path, target.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(deadline);
      reject(timedOut ?? error);
    };
    const req = request(
      url,
      {
        method,
        ca: target.caPem,
        ...(auth.cert ? { cert: auth.cert } : {}),
        ...(auth.key ? { key: auth.key } : {}),
        ...(signal ? { signal } : {}),
        ...(target.agent ? { agent: target.agent } : {}),
        headers: {
          accept: 'application/json',
          ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...auth.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_ANSWER_BYTES)
            req.destroy(new Error(`${url.host} answered more than ${MAX_ANSWER_BYTES / (1024 * 1024)} MiB`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(deadline);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Non-JSON bodies (a proxy's HTML) are kept as text.
          }
          resolve({
            status: res.statusCode ?? 0,
            body: parsed,
            ...(res.headers.date ? { date: res.headers.date } : {}),
          });
        });
        res.on('error', fail);
      },
    );
    // One deadline for connect, TLS, headers and body. The socket's idle `timeout` option starts
    // only once the TCP connection is up, so a handshake that hangs took two timeouts, not one.
    let timedOut: Error | undefined;
    const deadline = setTimeout(() => {
      timedOut = Object.assign(new Error(`no answer from ${url.host} within ${target.timeoutMs} ms`), {
        code: 'ETIMEDOUT',
      });
      req.destroy(timedOut);
    }, target.timeoutMs);
    req.on('error', fail);
    if (payload) req.write(payload);
    req.end();
  });
}

export const decodeCa = (certificateAuthorityData: string): string =>
  Buffer.from(certificateAuthorityData, 'base64').toString('utf8');

/** `message` of a Kubernetes Status body, if it is one. */
export function statusMessage(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string'
    ? body.message
    : undefined;
}
