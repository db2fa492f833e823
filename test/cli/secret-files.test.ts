import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFromSource, spawnSandbox } from '../sandbox/spawned.js';

/**
 * Files that hold credentials or evidence are 0600 even when a 0644 file was there before, and a
 * path that cannot be written is one line and exit 2, with the finished report still on stdout.
 */
let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'eksauth-secret-files-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** The failed write left nothing beside its target (`home/sub`, or `home` when the target is `home/sub`). */
function expectNoTemporaryFile(): void {
  expect(readdirSync(home)).toEqual(['sub']);
  expect(readdirSync(join(home, 'sub'))).toEqual([]);
}

const modeOf = (path: string): number => statSync(path).mode & 0o777;

/** A file someone made readable by everyone. */
function looseFile(name: string): string {
  const path = join(home, name);
  writeFileSync(path, 'old\n', { mode: 0o644 });
  chmodSync(path, 0o644);
  return path;
}

describe.each(['doctor', 'whoami'])('%s --save-evidence', (command) => {
  it('replaces a 0644 file with a 0600 one and leaves no temporary file', async () => {
    const path = looseFile('evidence.json');
    const result = await runFromSource([command, '--sandbox', 'healthy', '--output', 'json', '--save-evidence', path]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(modeOf(path)).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toHaveProperty('evidence');
    expect(readdirSync(home)).toEqual(['evidence.json']);
  });

  it.each([
    ['a directory', (dir: string) => dir, 'is a directory'],
    ['a path in a missing directory', (dir: string) => join(dir, 'missing', 'evidence.json'), 'no such directory'],
  ])('to %s: one line, exit 2, and the report still on stdout', async (_, pathIn, reason) => {
    mkdirSync(join(home, 'sub'));
    const target = pathIn(join(home, 'sub'));
    const result = await runFromSource([
      command,
      '--sandbox',
      'healthy',
      '--output',
      'json',
      '--save-evidence',
      target,
    ]);
    expect(result.stderr).toBe(`eksauth: cannot write --save-evidence '${target}': ${reason}\n`);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ command, rootCause: null });
    expectNoTemporaryFile();
  });
});

describe('eksauth sandbox --env-out and --kubeconfig', () => {
  it('replace 0644 files with 0600 ones holding the env and the kubeconfig', async () => {
    const envFile = looseFile('env');
    const kubeconfig = looseFile('kubeconfig');
    const sandbox = await spawnSandbox(['--scenario', 'healthy', '--env-out', envFile, '--kubeconfig', kubeconfig]);
    try {
      expect(modeOf(envFile)).toBe(0o600);
      expect(modeOf(kubeconfig)).toBe(0o600);
      expect(readFileSync(envFile, 'utf8')).toContain('export AWS_SECRET_ACCESS_KEY=');
      expect(readFileSync(kubeconfig, 'utf8')).toContain('kind: Config');
      expect(readdirSync(home).sort()).toEqual(['env', 'kubeconfig']);
    } finally {
      await sandbox.stop();
    }
  });

  it.each([
    ['--kubeconfig', 'a directory', (dir: string) => dir, 'is a directory'],
    ['--env-out', 'a directory', (dir: string) => dir, 'is a directory'],
    ['--kubeconfig', 'a path in a missing directory', (dir: string) => join(dir, 'missing', 'kc'), 'no such directory'],
  ])('%s to %s exits 2 with one line, instead of serving on', async (option, _, pathIn, reason) => {
    mkdirSync(join(home, 'sub'));
    const target = pathIn(join(home, 'sub'));
    // Waits for the process to end by itself: before, it kept serving with the error printed.
    const result = await runFromSource(['sandbox', '--scenario', 'healthy', option, target]);
    expect(result.stderr).toBe(`eksauth: cannot write ${option} '${target}': ${reason}\n`);
    expect(result.code).toBe(2);
    expectNoTemporaryFile();
  });
});
