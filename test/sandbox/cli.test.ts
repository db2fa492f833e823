import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import { hasTool, run } from './helpers.js';
import { spawnSandbox } from './spawned.js';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const CLI = join(process.cwd(), 'test', 'sandbox', 'fixtures', 'cli.ts');

describe('startSandbox', () => {
  // Start-up time is a benchmark's business (bench/), not an assertion here.
  it('starts on loopback and leaves nothing behind after close', async () => {
    const scenario = loadScenario('seed-debug-eks-unauthenticated');
    const sandbox = await startSandbox({ scenario });
    expect(existsSync(sandbox.dir)).toBe(true);
    const { clusters, ...aws } = sandbox.endpoints;
    expect(Object.values(aws).every((u) => u.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(Object.values(clusters).every((u) => u.startsWith('https://127.0.0.1:'))).toBe(true);
    await sandbox.close();
    expect(existsSync(sandbox.dir)).toBe(false);
  });
});

const TOOLS = hasTool('kubectl', ['version', '--client']) && hasTool('aws');

describe.skipIf(!TOOLS)(
  `eksauth sandbox (the command)${TOOLS ? '' : ': skipped, kubectl or the aws CLI is not installed'}`,
  // Real clients start slowly (python, kubectl retries); two CI cores run files in parallel.
  { timeout: 120_000 },
  () => {
    it('reproduces seed 2 with kubectl alone, and points the aws CLI at the sandbox through the env file', async () => {
      const home = mkdtempSync(join(tmpdir(), 'eksauth-cli-'));
      // --env-out, not its alias --env-file: Node 20 claims `--env-file` anywhere on its command line.
      const child = spawn(
        TSX,
        [
          CLI,
          'sandbox',
          '--scenario',
          'seed-debug-eks-unauthenticated',
          '--principal',
          'tfc-agent',
          '--kubeconfig',
          join(home, 'agent.kubeconfig'),
          '--env-out',
          join(home, 'env'),
          '--output',
          'json',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        const info = await new Promise<{ kubeconfig: string; envFile: string; endpoints: { sts: string } }>(
          (resolve, reject) => {
            let out = '';
            child.stdout.on('data', (c: Buffer) => {
              out += c.toString();
              try {
                resolve(JSON.parse(out) as { kubeconfig: string; envFile: string; endpoints: { sts: string } });
              } catch {
                // wait for the rest
              }
            });
            child.on('exit', (code) => reject(new Error(`eksauth sandbox exited with ${code ?? 'signal'}`)));
          },
        );
        expect(info.kubeconfig).toBe(join(home, 'agent.kubeconfig'));
        const agent = await run('kubectl', ['--kubeconfig', info.kubeconfig, 'auth', 'whoami'], { HOME: home });
        expect(agent.stderr.trim()).toBe('error: You must be logged in to the server (Unauthorized)');
        const creator = await run(
          'kubectl',
          [
            '--kubeconfig',
            info.kubeconfig,
            '--context',
            'my-cluster-local',
            'get',
            'configmap',
            'aws-auth',
            '-n',
            'kube-system',
          ],
          { HOME: home },
        );
        expect(creator.code, creator.stderr).toBe(0);
        expect(creator.stdout).toMatch(/^aws-auth\s+1\s+30d$/m);

        const env = await run(
          'bash',
          ['-c', `source ${info.envFile} && aws sts get-caller-identity --output text --query Arn`],
          { HOME: home },
        );
        expect(env.stdout.trim()).toBe('arn:aws:sts::111122223333:assumed-role/tfc-agent-role/terraform-run-4mYtQ8');
      } finally {
        child.kill('SIGTERM');
        const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
        expect(code).toBe(0);
        rmSync(home, { recursive: true, force: true });
      }
    });

    it('--auth eksauth: an IAM user context works from a fresh shell that sourced a role session env (issue 13, item 6)', async () => {
      const home = mkdtempSync(join(tmpdir(), 'eksauth-cli-'));
      const kubeconfig = join(home, 'kubeconfig');
      const envFile = join(home, 'env');
      const sandbox = await spawnSandbox([
        '--scenario',
        'healthy',
        '--principal',
        'developer',
        '--auth',
        'eksauth',
        '--kubeconfig',
        kubeconfig,
        '--env-out',
        envFile,
      ]);
      try {
        // The env file is a role session's (with AWS_SESSION_TOKEN); eksauth is not on PATH and
        // the shell is elsewhere, as after a fresh clone.
        const whoami = await run(
          'bash',
          [
            '-c',
            `source '${envFile}' && test -n "$AWS_SESSION_TOKEN" && cd / && kubectl --kubeconfig '${kubeconfig}' --context demo-ci auth whoami -o 'jsonpath={.status.userInfo.username}'`,
          ],
          { HOME: home },
        );
        expect(whoami.stderr).toBe('');
        expect(whoami.stdout).toBe('ci-deployer');
      } finally {
        await sandbox.stop();
        rmSync(home, { recursive: true, force: true });
      }
    });

    it('rejects an unknown scenario with exit 2 and one line', async () => {
      const res = await run(TSX, [CLI, 'sandbox', '--scenario', 'no-such-scenario'], {});
      expect(res.code).toBe(2);
      expect(res.stderr.trim()).toMatch(
        /^eksauth: no scenario 'no-such-scenario': not a file, and not one of the \d+ shipped scenarios \(eksauth sandbox --list names them\)$/,
      );
    });
  },
);
