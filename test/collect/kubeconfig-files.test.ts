import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { collectKubeconfig } from '../../src/collect/kubeconfig.js';
import { credentialKind, libraryOptions, loadKubeconfig } from '../../src/collect/kubeconfig-files.js';

const dir = mkdtempSync(join(tmpdir(), 'eksauth-kubeconfig-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(path: string, content: Record<string, unknown>): string {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, stringify({ apiVersion: 'v1', kind: 'Config', ...content }));
  return full;
}

describe("kubectl's loading rules, where @kubernetes/client-node's loadFromDefault differs", () => {
  const first = file('a/config', {
    'current-context': 'one',
    clusters: [{ name: 'c', cluster: { server: 'https://first', 'certificate-authority': 'ca.pem' } }],
    users: [
      {
        name: 'u',
        user: {
          'client-certificate': 'certs/me.crt',
          'client-key': '/abs/me.key',
          tokenFile: 'token',
          exec: { command: './bin/get-token' },
        },
      },
      { name: 'on-path', user: { exec: { command: 'aws' } } },
    ],
    contexts: [{ name: 'one', context: { cluster: 'c', user: 'u' } }],
  });
  const second = file('b/config', {
    'current-context': 'two',
    clusters: [
      { name: 'c', cluster: { server: 'https://second' } },
      { name: 'd', cluster: { server: 'https://d', 'certificate-authority': 'd-ca.pem' } },
    ],
    users: [{ name: 'u', user: { token: 'second' } }],
    contexts: [
      { name: 'one', context: { cluster: 'd', user: 'u' } },
      { name: 'two', context: { cluster: 'd', user: 'u' } },
    ],
  });
  const merged = loadKubeconfig({ KUBECONFIG: [join(dir, 'missing'), first, second].join(delimiter) });

  test('a missing file is skipped (the library throws)', () => {
    expect(merged.paths).toHaveLength(3);
    expect(merged.clusters.size).toBe(2);
  });

  test('the first file to name an entry wins, and the first current-context (the library keeps the last)', () => {
    expect(merged.currentContext).toBe('one');
    expect(merged.clusters.get('c')?.server).toBe('https://first');
    expect(merged.users.get('u')?.token).toBeUndefined();
    expect(merged.contexts.get('one')).toEqual({ cluster: 'c', user: 'u' });
    expect(merged.contexts.get('two')).toEqual({ cluster: 'd', user: 'u' });
  });

  test("relative paths resolve against their own file's folder; absolute paths and PATH commands stay", () => {
    expect(merged.clusters.get('c')?.['certificate-authority']).toBe(join(dir, 'a/ca.pem'));
    expect(merged.clusters.get('d')?.['certificate-authority']).toBe(join(dir, 'b/d-ca.pem'));
    const user = merged.users.get('u');
    expect(user?.['client-certificate']).toBe(join(dir, 'a/certs/me.crt'));
    expect(user?.['client-key']).toBe('/abs/me.key');
    expect(user?.tokenFile).toBe(join(dir, 'a/token'));
    expect(user?.exec?.command).toBe(join(dir, 'a/bin/get-token'));
    expect(merged.users.get('on-path')?.exec?.command).toBe('aws');
  });

  test('no KUBECONFIG: ~/.kube/config', () => {
    expect(loadKubeconfig({ HOME: '/home/x' }).paths).toEqual(['/home/x/.kube/config']);
    expect(loadKubeconfig({ HOME: '/home/x', KUBECONFIG: '' }).paths).toEqual(['/home/x/.kube/config']);
  });

  test('the library gets one resolved context, with the token eksauth obtained instead of the exec entry', () => {
    const options = libraryOptions(merged, 'one', 'minted');
    expect(options?.clusters).toEqual([
      { name: 'cluster', server: 'https://first', caFile: join(dir, 'a/ca.pem'), skipTLSVerify: false },
    ]);
    expect(options?.users).toEqual([
      {
        name: 'user',
        certFile: join(dir, 'a/certs/me.crt'),
        keyFile: '/abs/me.key',
        token: 'minted',
      },
    ]);
    expect(options?.users[0]).not.toHaveProperty('exec');
    expect(libraryOptions(merged, 'absent', undefined)).toBeUndefined();
  });

  test('proxy-url, tls-server-name and insecure-skip-tls-verify reach the library', () => {
    const proxied = loadKubeconfig({
      KUBECONFIG: file('p/config', {
        clusters: [
          {
            name: 'p',
            cluster: {
              server: 'https://p',
              'proxy-url': 'http://proxy:3128',
              'tls-server-name': 'api.internal',
              'insecure-skip-tls-verify': true,
            },
          },
        ],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'p', context: { cluster: 'p', user: 'u' } }],
      }),
    });
    expect(libraryOptions(proxied, 'p', undefined)?.clusters[0]).toEqual({
      name: 'cluster',
      server: 'https://p',
      proxyUrl: 'http://proxy:3128',
      tlsServerName: 'api.internal',
      skipTLSVerify: true,
    });
  });

  test('credential kinds, in the order kubectl prefers them', () => {
    expect(credentialKind({ exec: { command: 'aws' }, token: 't' })).toBe('exec');
    expect(credentialKind({ token: 't', tokenFile: 'f' })).toBe('token');
    expect(credentialKind({ tokenFile: 'f' })).toBe('tokenFile');
    expect(credentialKind({ 'client-certificate-data': 'x' })).toBe('client-certificate');
    expect(credentialKind({ 'auth-provider': { name: 'oidc' } })).toBe('auth-provider');
    expect(credentialKind({ username: 'u', password: 'p' })).toBe('basic');
    expect(credentialKind(undefined)).toBe('none');
  });
});

describe('collectKubeconfig without running anything (--no-exec)', () => {
  test('a relative exec command is found next to its kubeconfig, not in the working directory', async () => {
    const path = file('rel/config', {
      'current-context': 'x',
      clusters: [{ name: 'arn:aws:eks:us-east-1:111122223333:cluster/demo', cluster: { server: 'https://demo' } }],
      users: [{ name: 'u', user: { exec: { command: './bin/get-token', apiVersion: 'v1beta1' } } }],
      contexts: [{ name: 'x', context: { cluster: 'arn:aws:eks:us-east-1:111122223333:cluster/demo', user: 'u' } }],
    });
    mkdirSync(join(dir, 'rel/bin'), { recursive: true });
    writeFileSync(join(dir, 'rel/bin/get-token'), '#!/bin/sh\n', { mode: 0o755 });
    const facts = await collectKubeconfig({
      cluster: 'demo',
      clusterArn: 'arn:aws:eks:us-east-1:111122223333:cluster/demo',
      partition: 'aws',
      runExec: false,
      timeoutMs: 1000,
      env: { KUBECONFIG: path, PATH: '' },
      now: new Date(),
    });
    expect(facts).toMatchObject({
      context: 'x',
      user: 'u',
      credential: 'exec',
      server: 'https://demo',
      exec: { command: join(dir, 'rel/bin/get-token'), commandFound: true },
    });
    // --no-exec: neither the plugin nor a review as the kubeconfig's user.
    expect(facts?.execIdentity).toBeUndefined();
    expect(facts?.whoami).toBeUndefined();
  });
});
