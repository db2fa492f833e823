import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateToken } from '../../src/token/validate.js';
import { BIN, type CliResult } from '../helpers/cli.js';

/**
 * kubectl (installed) with `eksauth token` as its exec plugin sends our token as its bearer token
 * to an API server: here a local HTTPS server with a certificate made for the test.
 */
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });

describe.skipIf(kubectl.status !== 0 || openssl.status !== 0)(
  `kubectl with eksauth token as exec plugin (${kubectl.status === 0 ? kubectl.stdout.split('\n')[0] : 'kubectl or openssl not found: skipped'})`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'eksauth-kubectl-'));
    const authorizations: string[] = [];
    let server: Server;
    let kubeconfig: string;
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_CONFIG_FILE: join(dir, 'none'),
      XDG_CACHE_HOME: join(dir, 'cache'),
    };

    beforeAll(async () => {
      const made = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { encoding: 'utf8' },
      );
      if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
      const cert = readFileSync(join(dir, 'cert.pem'));
      server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
        authorizations.push(req.headers.authorization ?? '');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0-eks-test' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      kubeconfig = join(dir, 'kubeconfig');
      const exec = {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: process.execPath,
        args: [BIN, 'token', '--cluster', 'demo', '--region', 'eu-west-1'],
        interactiveMode: 'Never',
      };
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'demo',
              cluster: {
                server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
                'certificate-authority-data': cert.toString('base64'),
              },
            },
          ],
          users: [{ name: 'eksauth', user: { exec } }],
          contexts: [{ name: 'demo', context: { cluster: 'demo', user: 'eksauth' } }],
          'current-context': 'demo',
        }),
      );
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    // Async: the HTTPS server lives in this process and must keep answering.
    const runKubectl = (args: string[]): Promise<CliResult> =>
      new Promise((resolve) => {
        const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });

    it('sends the token eksauth minted as Authorization: Bearer', async () => {
      const result = await runKubectl(['get', '--raw', '/version']);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('v1.32.0-eks-test');
      expect(authorizations.length).toBeGreaterThan(0);
      const header = authorizations[0] ?? '';
      expect(header).toMatch(/^Bearer k8s-aws-v1\./);
      const token = header.slice('Bearer '.length);
      expect(validateToken(token, { partition: 'aws', now: new Date() })).toMatchObject({
        ok: true,
        token: { stsHost: 'sts.eu-west-1.amazonaws.com', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
      });
      // The same token eksauth hands out from its cache for this cluster right now.
      const again = spawnSync(process.execPath, [BIN, 'token', '--cluster', 'demo', '--region', 'eu-west-1'], {
        env,
        encoding: 'utf8',
      });
      expect((JSON.parse(again.stdout) as { status: { token: string } }).status.token).toBe(token);
    });
  },
);
