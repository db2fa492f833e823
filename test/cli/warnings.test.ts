import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { sandboxEnv } from '../../src/doctor/sandbox-run.js';
import { BIN, ROOT, eksauth } from '../helpers/cli.js';
import { sandboxFor } from '../sandbox/helpers.js';

/** Node's own warnings on stderr, which kubectl shows on every exec and a user cannot act on. */
const NODE_WARNING = /NodeVersionSupportWarning|MaxListenersExceededWarning|\(node:\d+\) \w*Warning/;

describe('the AWS SDK Node-version warning', () => {
  it('is dropped once dropSdkNodeVersionWarning ran, whatever Node this is', () => {
    // The SDK's own check, told it runs on Node 18, so the test means the same on Node 20, 22 and 24.
    const script = `
      const { dropSdkNodeVersionWarning } = await import('./dist/src/cli/quiet-warnings.js');
      if (process.argv[1] === 'quiet') dropSdkNodeVersionWarning();
      const { emitWarningIfUnsupportedVersion } = await import('@aws-sdk/core/client');
      emitWarningIfUnsupportedVersion('v18.0.0');
      process.emitWarning('an unrelated warning');`;
    const run = (mode: string) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script, mode], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      }).stderr;
    expect(run('loud')).toContain('NodeVersionSupportWarning');
    const quiet = run('quiet');
    expect(quiet).not.toContain('NodeVersionSupportWarning');
    expect(quiet).toContain('an unrelated warning');
  });
});

describe('no Node warning reaches stderr', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await sandboxFor('healthy');
  });
  afterAll(() => sandbox.close());

  /** Runs the CLI without blocking the event loop, which serves the sandbox. */
  function run(args: string[], env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.resume();
      child.on('close', (status) => resolve({ status, stderr }));
    });
  }

  it('from token when --role-arn loads the SDK lazily (the direct path kubectl runs)', async () => {
    const result = await run(
      ['token', '--cluster', 'demo', '--role-arn', 'arn:aws:iam::111122223333:role/ci', '--no-cache'],
      { PATH: process.env.PATH ?? '', ...sandboxEnv(sandbox, 'admin') },
    );
    // Whether the sandbox lets admin assume the role is not the point: the SDK was loaded and ran.
    expect(result.stderr).not.toMatch(NODE_WARNING);
  });

  it('from doctor and whoami against the live sandbox', async () => {
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...sandboxEnv(sandbox, 'admin') };
    for (const args of [
      ['doctor', '--cluster', 'demo'],
      ['whoami', '--cluster', 'demo'],
    ]) {
      const result = await run(args, env);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr, args.join(' ')).not.toMatch(NODE_WARNING);
    }
  });

  it('from doctor on a cluster that is not found (one deadline shared by every region searched)', () => {
    const result = eksauth(['doctor', '--sandbox', 'cluster--not-found']);
    expect(result.stdout).toContain('cluster/not-found');
    expect(result.stderr).not.toMatch(NODE_WARNING);
  });
});
