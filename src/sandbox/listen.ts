import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';

/** Only loopback: the sandbox never listens on another interface. */
export const HOST = '127.0.0.1';

export interface Listener {
  port: number;
  close(): Promise<void>;
}

/** A request handler; whatever it throws or rejects with stays with that one request. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The error boundary every request runs in: a handler's failure becomes a 500 for that request
 * (or a closed connection, once the answer has begun), never the end of the sandbox.
 */
function guarded(handler: RequestHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // A client that leaves mid-request errors both streams; nobody is left to tell.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        if (res.headersSent || res.destroyed) return res.destroy();
        const text = `sandbox internal error: ${error instanceof Error ? error.message : String(error)}\n`;
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      })
      .catch(() => res.destroy());
  };
}

/**
 * Test-only: accept connections from `onlyFrom` alone and drop every other at once. With a proxy
 * that binds its outgoing connections to that address (tinyproxy `Bind 127.0.0.2`), a service is
 * reachable only through the proxy, so a test proves a client took the proxy path.
 */
export interface ListenOptions {
  port?: number | undefined;
  onlyFrom?: string | undefined;
}

function listen(server: Server, sockets: Set<Socket>, options: ListenOptions = {}): Promise<Listener> {
  const { port = 0, onlyFrom } = options;
  server.on('connection', (socket: Socket) => {
    if (onlyFrom !== undefined && socket.remoteAddress?.replace(/^::ffff:/, '') !== onlyFrom) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      // From now on an error is one connection's (EMFILE on accept under load), not the server's.
      server.off('error', reject);
      server.on('error', () => undefined);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port: actual,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export function listenHttp(handler: RequestHandler, port?: number, onlyFrom?: string): Promise<Listener> {
  const server = createHttpServer({ keepAliveTimeout: 5000 }, guarded(handler));
  return listen(server, new Set(), { port, onlyFrom });
}

export function listenHttps(
  handler: RequestHandler,
  tls: { certPem: string; keyPem: string },
  port?: number,
  onlyFrom?: string,
): Promise<Listener> {
  const server = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, guarded(handler));
  return listen(server, new Set(), { port, onlyFrom });
}

/** Accepts TCP connections and never says a word: what a client outside a private endpoint's network sees. */
export function listenSilent(port?: number): Promise<Listener> {
  const server = createNetServer(() => undefined);
  return listen(server, new Set(), { port });
}

/**
 * A port on which nothing listens, so connecting is refused: bind to get a free port from the
 * kernel, then close. (Another process could take it meanwhile; on loopback in a test run that
 * is unlikely enough.)
 */
export async function refusedPort(): Promise<Listener> {
  const probe = await listenSilent();
  await probe.close();
  return { port: probe.port, close: () => Promise.resolve() };
}
