import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { validateToken } from '../../src/token/validate.js';
import { BIN, ROOT, type CliResult } from '../helpers/cli.js';

const KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
let home: string;
let env: Record<string, string>;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'eksauth-token-cli-'));
  // Nothing of the user's AWS setup, and no instance metadata lookups.
  env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_DEFAULT_REGION: 'us-west-2',
    ...KEYS,
  };
});

function eksauth(args: string[], extraEnv: Record<string, string> = {}, node: string[] = []): CliResult {
  const result = spawnSync(process.execPath, [...node, BIN, ...args], {
    cwd: ROOT,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const statusOf = (stdout: string) =>
  JSON.parse(stdout) as { apiVersion: string; status: { token: string; expirationTimestamp: string } };

describe('eksauth token', () => {
  it('prints an ExecCredential with a token the authenticator accepts', () => {
    const result = eksauth(['token', '--cluster', 'demo']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const credential = statusOf(result.stdout);
    expect(credential.apiVersion).toBe('client.authentication.k8s.io/v1beta1');
    expect(validateToken(credential.status.token, { partition: 'aws', now: new Date() })).toMatchObject({
      ok: true,
      token: { stsHost: 'sts.us-west-2.amazonaws.com' },
    });
  });

  it.each([
    [['token', '--cluster-name', 'demo']],
    [['token', '--cluster-name=demo', '--output', 'json']],
    [['token', '--cluster-id', 'demo', '--no-cache']],
    [['token', '-o', 'json', '--no-color', '--cluster', 'demo']],
    // Through the full CLI (yargs) rather than the direct path.
    [['--no-color', 'token', '--cluster', 'demo']],
  ])('accepts %j', (args) => {
    const result = eksauth(args);
    expect(result.status, result.stderr).toBe(0);
    expect(validateToken(statusOf(result.stdout).status.token, { partition: 'aws', now: new Date() }).ok).toBe(true);
  });

  it('explains usage errors in one line, exit 2', () => {
    for (const args of [
      ['token'],
      ['token', '--cluster'],
      ['token', '--cluster', 'x', '--bogus'],
      ['token', 'x'],
      ['token', '--cluster', 'x', '--output', 'yaml'],
    ]) {
      const result = eksauth(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^eksauth: /);
    }
  });

  it('hands --help to the full CLI', () => {
    const result = eksauth(['token', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--no-cache');
    expect(result.stdout).toContain('--role-arn');
  });

  it('says so when there are no credentials, exit 3', () => {
    const result = eksauth(['token', '--cluster', 'demo'], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/^eksauth: no usable AWS credentials/);
  });

  it('loads nothing but the token path: no yargs, no SDK, no other command, no checks', () => {
    const result = eksauth(['token', '--cluster', 'demo', '--no-cache'], {}, [
      '--import',
      join(ROOT, 'test/helpers/trace-imports.mjs'),
    ]);
    expect(result.status).toBe(0);
    const loaded = [
      ...new Set(
        result.stderr
          .split('\n')
          .filter((l) => l.startsWith('IMPORT '))
          .map((l) => l.slice(7)),
      ),
    ];
    expect(loaded).toContain(pathToFileURL(BIN).href);
    const foreign = loaded.filter(
      (url) =>
        !url.startsWith('node:') &&
        url !== pathToFileURL(BIN).href &&
        !url.endsWith('/dist/token.cjs') &&
        // Without the bundle the same modules load one by one.
        !/\/dist\/src\/(token|model)\/[\w-]+\.js$|\/dist\/src\/(cli\/errors|cli\/io|core\/report|core\/redact|report\/sanitise|inputs\/read-text)\.js$/.test(
          url,
        ),
    );
    expect(foreign).toEqual([]);
    // The full CLI does load yargs: the trace would show it.
    const full = eksauth(['--no-color', 'token', '--cluster', 'demo', '--no-cache'], {}, [
      '--import',
      join(ROOT, 'test/helpers/trace-imports.mjs'),
    ]);
    expect(full.stderr).toMatch(/IMPORT .*node_modules\/yargs\//);
    // @kubernetes/client-node costs ~0.5 s to load: never on the token path, lean or full.
    const kubeLibrary = /IMPORT .*node_modules\/@kubernetes\/client-node\//;
    expect(result.stderr).not.toMatch(kubeLibrary);
    expect(full.stderr).not.toMatch(kubeLibrary);
    // The trace would show it: doctor, which talks to the API server, loads it.
    const doctor = eksauth(['doctor', '--sandbox', 'seed-debug-eks-unauthenticated', '--output', 'json'], {}, [
      '--import',
      join(ROOT, 'test/helpers/trace-imports.mjs'),
    ]);
    expect(doctor.stderr).toMatch(kubeLibrary);
  });

  it('runs from dist/token.cjs, built from the current sources', async () => {
    // `npm run build` makes the bundle (scripts/bundle-token.mjs); bin/eksauth.js falls back to the
    // unbundled modules without it, correct but slower than the start-up budget allows.
    expect(
      existsSync(join(ROOT, 'dist/token.cjs')),
      'dist/token.cjs is missing: run node scripts/bundle-token.mjs',
    ).toBe(true);
    const { build } = await import('esbuild');
    const { bundleOptions } = (await import(pathToFileURL(join(ROOT, 'scripts/bundle-token.mjs')).href)) as {
      bundleOptions: (outfile: string) => Parameters<typeof build>[0];
    };
    const fresh = join(home, 'token.cjs');
    await build(bundleOptions(fresh));
    expect(
      readFileSync(join(ROOT, 'dist/token.cjs'), 'utf8') === readFileSync(fresh, 'utf8'),
      'dist/token.cjs is stale: rebuild it',
    ).toBe(true);
  });

  it('never waits on a FIFO (or anything but a regular file) planted at the cache entry', () => {
    expect(eksauth(['token', '--cluster', 'demo']).status).toBe(0);
    const dir = join(home, '.cache', 'eksauth');
    const [entry] = readdirSync(dir).filter((name) => name.startsWith('token-'));
    const file = join(dir, entry ?? '');
    unlinkSync(file);
    execFileSync('mkfifo', ['-m', '600', file]);
    // Before O_NONBLOCK, open(2) waited for a writer forever; the timeout turns that into a failure.
    const result = spawnSync(process.execPath, [BIN, 'token', '--cluster', 'demo'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.signal).toBeNull();
    expect(result.status, result.stderr).toBe(0);
    expect(validateToken(statusOf(result.stdout).status.token, { partition: 'aws', now: new Date() }).ok).toBe(true);
    expect(lstatSync(file).isFile()).toBe(true);
  });

  it('survives concurrent calls sharing one cache', async () => {
    const runs = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<CliResult>((resolve) => {
            const child = spawn(process.execPath, [BIN, 'token', '--cluster', 'demo'], { cwd: ROOT, env });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
            child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
            child.on('close', (status) => resolve({ status, stdout, stderr }));
          }),
      ),
    );
    for (const result of runs) {
      expect(result.status, result.stderr).toBe(0);
      expect(validateToken(statusOf(result.stdout).status.token, { partition: 'aws', now: new Date() }).ok).toBe(true);
    }
    const dir = join(home, '.cache', 'eksauth');
    const files = readdirSync(dir);
    // One entry, no temporary files left behind, and it parses.
    expect(files).toHaveLength(1);
    const entry = JSON.parse(readFileSync(join(dir, files[0] ?? ''), 'utf8')) as { token: string };
    expect(runs.map((r) => statusOf(r.stdout).status.token)).toContain(entry.token);
    // From now on everyone gets the cached token.
    expect(statusOf(eksauth(['token', '--cluster', 'demo']).stdout).status.token).toBe(entry.token);
  });
});

const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' });

// The reference is the installed CLI; without it there is nothing to compare with.
describe.skipIf(awsCli.status !== 0)('output identical to aws eks get-token', () => {
  it.each([
    ['no KUBERNETES_EXEC_INFO', undefined],
    ['v1', '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}'],
    ['v1alpha1', '{"apiVersion":"client.authentication.k8s.io/v1alpha1"}'],
    ['an unknown version', '{"apiVersion":"client.authentication.k8s.io/v9"}'],
    ['malformed JSON', '{oops'],
  ])('%s', (_, execInfo) => {
    const extra: Record<string, string> = execInfo === undefined ? {} : { KUBERNETES_EXEC_INFO: execInfo };
    const ours = eksauth(['token', '--cluster', 'demo', '--no-cache'], extra);
    expect(ours.status, ours.stderr).toBe(0);
    const theirs = spawnSync('aws', ['eks', 'get-token', '--cluster-name', 'demo'], {
      env: { ...env, ...extra },
      encoding: 'utf8',
    });
    const mask = (text: string) =>
      text.replace(/k8s-aws-v1\.[\w-]+/, 'TOKEN').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/, 'TIME');
    expect(mask(ours.stdout)).toBe(mask(theirs.stdout));
    expect(ours.stderr).toBe(theirs.stderr);
  });
});
