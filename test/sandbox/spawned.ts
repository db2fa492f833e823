import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
/** The CLI from source, in one process (no tsx wrapper in between), so signals reach it as sent. */
const FROM_SOURCE = ['--import', 'tsx', join(ROOT, 'test/sandbox/fixtures/cli.ts')];

export interface StartedInfo {
  endpoints: {
    sts: string;
    eks: string;
    iam: string;
    cloudtrail: string;
    logs: string;
    clusters: Record<string, string>;
  };
  envFile: string;
  kubeconfig: string;
}

export interface SpawnedSandbox {
  child: ChildProcess;
  info: StartedInfo;
  /** The sandbox's temp dir (where the default env file lives). */
  dir: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
  stop: () => Promise<void>;
}

/** Spawns the CLI with ARGS; resolves with what it printed once it exits. */
export function runFromSource(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...FROM_SOURCE, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Spawns `eksauth sandbox --output json ARGS` and waits until it has printed where everything is. */
export async function spawnSandbox(args: string[]): Promise<SpawnedSandbox> {
  const child = spawn(process.execPath, [...FROM_SOURCE, 'sandbox', '--output', 'json', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const info = await new Promise<StartedInfo>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      try {
        resolve(JSON.parse(out) as StartedInfo);
      } catch {
        // wait for the rest
      }
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`eksauth sandbox exited with ${code ?? signal}: ${stderr}`)),
    );
  });
  return {
    child,
    info,
    dir: dirname(info.envFile),
    exited,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
