import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';

/** Only loopback: the sandbox never listens on another interface. */
export const HOST = '127.0.0.1';

export interface Listener {
  port: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function listen(server: Server, sockets: Set<Socket>, port = 0): Promise<Listener> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
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

export function listenHttp(handler: Handler, port?: number): Promise<Listener> {
  const server = createHttpServer({ keepAliveTimeout: 5000 }, handler);
  return listen(server, new Set(), port);
}

export function listenHttps(
  handler: Handler,
  tls: { certPem: string; keyPem: string },
  port?: number,
): Promise<Listener> {
  const server = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler);
  return listen(server, new Set(), port);
}

/** Accepts TCP connections and never says a word: what a client outside a private endpoint's network sees. */
export function listenSilent(port?: number): Promise<Listener> {
  const server = createNetServer(() => undefined);
  return listen(server, new Set(), port);
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
