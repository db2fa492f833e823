import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSandbox } from './spawned.js';

/** The temp dir holds the env file and kubeconfig with credentials: however the process ends, it goes. */
describe('the sandbox temp dir', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('is removed when eksauth sandbox gets %s', async (signal) => {
    const sandbox = await spawnSandbox(['--scenario', 'healthy']);
    try {
      expect(readdirSync(sandbox.dir)).toEqual(expect.arrayContaining(['env', 'kubeconfig']));
      sandbox.child.kill(signal);
      await sandbox.exited;
      expect(existsSync(sandbox.dir)).toBe(false);
    } finally {
      await sandbox.stop();
    }
  });

  it('is removed when the process dies of an uncaught exception', async () => {
    const { dir, exit, stderr } = await runFixture('crash');
    expect(stderr).toContain('crash after start');
    expect(exit.code).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'is removed on %s in a process with no handler of its own, which then ends by that signal',
    async (signal) => {
      const { dir, exit } = await runFixture('wait', signal);
      expect(exit.signal).toBe(signal);
      expect(existsSync(dir)).toBe(false);
    },
  );
});

/** Runs fixtures/sandbox-then.ts; with `signal`, sends it once the sandbox is up. */
async function runFixture(
  mode: 'crash' | 'wait',
  signal?: NodeJS.Signals,
): Promise<{ dir: string; exit: { code: number | null; signal: NodeJS.Signals | null }; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'sandbox-then.ts'), mode],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig })),
  );
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (signal && stdout.endsWith('\n')) child.kill(signal);
  });
  const exit = await exited;
  const dir = stdout.trim();
  expect(dir).toMatch(/eksauth-sandbox-/);
  return { dir, exit, stderr };
}
