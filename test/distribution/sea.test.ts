import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a build script in plain JavaScript, typed by its use here
import { buildSea } from '../../scripts/build-sea.mjs';
import { hasTool, run, sandboxFor } from '../sandbox/helpers.js';

/**
 * The single executable (npm run build:sea) as a user without Node would run it: from a folder
 * with no node_modules and no package, with PATH holding only kubectl's folder.
 */
const KUBECTL = hasTool('kubectl', ['version', '--client']);

describe('the single executable (SEA)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eksauth-sea-'));
  let binary = '';
  const bare = { HOME: dir, PATH: '/usr/bin:/bin', NO_COLOR: '1' };

  beforeAll(async () => {
    ({ binary } = (await buildSea(join(dir, 'build'))) as { binary: string });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its version and a check page from the embedded docs', async () => {
    const version = await run(binary, ['--version'], bare);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const page = await run(binary, ['checks', 'aws-auth/role-arn-has-path'], bare);
    expect(page.code, page.stderr).toBe(0);
    expect(page.stdout).toContain('id: aws-auth/role-arn-has-path');
  });

  it("runs the README's main job: doctor on the seed story in the embedded sandbox", async () => {
    const res = await run(
      binary,
      ['doctor', '--sandbox', 'seed-debug-eks-unauthenticated', '--output', 'json'],
      bare,
      60_000,
    );
    expect(res.code, res.stderr).toBe(1);
    const report = JSON.parse(res.stdout) as { rootCause: string | null };
    expect(report.rootCause).toBe('identity/principal-not-mapped');
    expect(res.stderr).not.toMatch(/ExperimentalWarning|single executable/i);
  });

  it.skipIf(!KUBECTL)('serves kubectl as its exec plugin (kubectl auth whoami against the sandbox)', async () => {
    const sandbox = await sandboxFor('healthy');
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, sandbox.kubeconfig({ principal: 'admin', auth: { kind: 'eksauth', command: binary } }));
      const res = await run('kubectl', ['--kubeconfig', kubeconfig, 'auth', 'whoami'], { HOME: dir }, 60_000);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/^Username\s+arn:aws:sts::111122223333:assumed-role\/platform-admin\/alice$/m);
    } finally {
      await sandbox.close();
    }
  });
});
