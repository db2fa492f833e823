/**
 * A real HTTP proxy for the tests: Debian's tinyproxy on a free loopback port with a temporary
 * config, its outgoing connections bound to `bind` (so a sandbox started with `onlyFrom` is
 * reachable through it alone), and its log read back to prove which requests took the proxy.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The address tinyproxy's outgoing connections come from. */
export const PROXY_SOURCE_ADDRESS = '127.0.0.2';

export interface TinyProxy {
  url: string;
  port: number;
  /** Every `CONNECT host:port` and absolute-form request tinyproxy logged, in order. */
  requests(): string[];
  close(): Promise<void>;
}

export interface TinyProxyOptions {
  /** Only CONNECT to these ports (tinyproxy answers 403 to others); default: every port. */
  connectPorts?: number[];
  /** Admit no client at all (tinyproxy answers 403 Access denied). */
  denyAll?: boolean;
}

export function tinyproxyInstalled(): boolean {
  return spawnSync('tinyproxy', ['-v'], { stdio: 'ignore' }).status === 0;
}

export async function startTinyproxy(options: TinyProxyOptions = {}): Promise<TinyProxy> {
  if (!tinyproxyInstalled()) throw new Error('tinyproxy is required for the proxy tests (apt-get install tinyproxy)');
  const dir = mkdtempSync(join(tmpdir(), 'eksauth-tinyproxy-'));
  const port = await freePort();
  const log = join(dir, 'tinyproxy.log');
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    `Bind ${PROXY_SOURCE_ADDRESS}`,
    'Timeout 30',
    'MaxClients 50',
    'LogLevel Connect',
    `LogFile "${log}"`,
    `PidFile "${join(dir, 'tinyproxy.pid')}"`,
    options.denyAll ? 'Allow 192.0.2.1' : 'Allow 127.0.0.1',
    ...(options.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
  ];
  writeFileSync(join(dir, 'tinyproxy.conf'), `${config.join('\n')}\n`);
  // -d: stay in the foreground, so the process we hold is the proxy and killing it ends it.
  const child: ChildProcess = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => {
      let text = '';
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        return [];
      }
      return [...text.matchAll(/Request \(file descriptor \d+\): (\S+ \S+)/g)].map((m) => m[1] ?? '');
    },
    close,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`tinyproxy exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`tinyproxy did not listen on ${port}`);
}
