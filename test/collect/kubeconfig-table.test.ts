import { execFile } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { collectKubeconfig } from '../../src/collect/kubeconfig.js';
import { mintBearerToken } from '../../src/collect/token.js';
import type { KubeconfigFacts } from '../../src/model/evidence.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { generateClusterTls } from '../../src/sandbox/tls.js';

/**
 * Real-world kubeconfigs, each resolved by doctor's kubeconfig step (collectKubeconfig, given what
 * DescribeCluster reports) and by the real kubectl, against the sandbox's HTTPS API server:
 * `kubectl config view --minify --raw` for the server, CA, user and exec command, and
 * `kubectl auth whoami` for who the cluster says the context's user is.
 */

const CLUSTER = 'demo';
const REGION = 'us-east-1';
const ARN = `arn:aws:eks:${REGION}:111122223333:cluster/${CLUSTER}`;
const EXEC_API = 'client.authentication.k8s.io/v1beta1';

let sandbox: Sandbox;
let root: string;
let endpoint: string;
let adminToken: string;
let proxy: Server;
let proxyUrl: string;
/** Hosts the CONNECT proxy was asked for: what went through it. */
const proxied: string[] = [];
const run = (command: string, args: string[], env: Record<string, string>, cwd: string) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((done) =>
    execFile(command, args, { env, cwd, timeout: 120_000 }, (error, stdout, stderr) =>
      done({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: loadScenario('healthy') });
  root = mkdtempSync(join(tmpdir(), 'eksauth-kubeconfig-table-'));
  endpoint = sandbox.endpoints.clusters[CLUSTER] ?? '';
  const admin = sandbox.credentialsFor('admin');
  adminToken = await mintBearerToken(async () => admin, CLUSTER, REGION, {}, new Date());
  // An HTTP CONNECT proxy, as corporate networks have: kubectl and doctor must both go through it.
  proxy = createServer((client) => {
    client.once('data', (head: Buffer) => {
      const target = /^CONNECT (\S+):(\d+) HTTP/.exec(head.toString('latin1'));
      if (!target) return client.destroy();
      proxied.push(`${target[1]}:${target[2]}`);
      const upstream = connect(Number(target[2]), target[1], () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((listening) => proxy.listen(0, '127.0.0.1', listening));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  proxy?.close();
  await sandbox?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/**
 * A script that prints the admin's ExecCredential, as a plugin would; like client-go plugins that
 * read their spec, it refuses to run without KUBERNETES_EXEC_INFO (which the library's ExecAuth
 * does not set, and kubectl and eksauth do).
 */
function tokenPlugin(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const credential = JSON.stringify({ kind: 'ExecCredential', apiVersion: EXEC_API, status: { token: adminToken } });
  writeFileSync(
    path,
    `#!/bin/sh\n[ -n "$KUBERNETES_EXEC_INFO" ] || { echo 'no KUBERNETES_EXEC_INFO' >&2; exit 1; }\ncat <<'EOF'\n${credential}\nEOF\n`,
  );
  chmodSync(path, 0o755);
}

const eksCluster = (extra: Record<string, unknown> = {}) => ({
  server: endpoint,
  'certificate-authority-data': Buffer.from(sandbox.caPem).toString('base64'),
  ...extra,
});
const config = (parts: {
  clusters?: [string, Record<string, unknown>][];
  users?: [string, Record<string, unknown>][];
  contexts?: [string, string, string][];
  current?: string;
}) =>
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: (parts.clusters ?? []).map(([name, cluster]) => ({ name, cluster })),
    users: (parts.users ?? []).map(([name, user]) => ({ name, user })),
    contexts: (parts.contexts ?? []).map(([name, cluster, user]) => ({ name, context: { cluster, user } })),
    ...(parts.current ? { 'current-context': parts.current } : {}),
  });

interface Row {
  name: string;
  /** Writes the row's files under `dir` (and plugins under `bin`); returns KUBECONFIG's entries. */
  write(dir: string, bin: string): string[];
  /** The context doctor should pick; kubectl's current-context when `current` is true. */
  context: string;
  current: boolean;
  credential: KubeconfigFacts['credential'];
  /** False when the context names no CA to compare with the cluster's. */
  caCompared?: false;
  /** What must hold after doctor ran, and after kubectl did too (the proxy saw each). */
  afterDoctor?: () => void;
  after?: () => void;
  /** The status `kubectl auth whoami` gets (and doctor must get). */
  whoami: 200 | 401 | 403;
}

const ROWS: Row[] = [
  {
    name: 'aws eks update-kubeconfig (aws CLI exec)',
    write: (dir) => {
      writeFileSync(join(dir, 'config'), sandbox.kubeconfig({ principal: 'admin', auth: { kind: 'aws-cli' } }));
      return [join(dir, 'config')];
    },
    context: `${CLUSTER}-admin`,
    current: true,
    credential: 'exec',
    whoami: 200,
  },
  {
    name: 'eksctl-generated (exec, eksctl names, env on the process)',
    write: (dir, bin) => {
      tokenPlugin(join(bin, 'aws-iam-authenticator'));
      const name = `${CLUSTER}.${REGION}.eksctl.io`;
      writeFileSync(
        join(dir, 'config'),
        config({
          clusters: [[name, eksCluster()]],
          users: [
            [
              `admin@${name}`,
              {
                exec: {
                  apiVersion: EXEC_API,
                  command: 'aws-iam-authenticator',
                  args: ['token', '-i', CLUSTER],
                  env: [{ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' }],
                },
              },
            ],
          ],
          contexts: [[`admin@${name}`, name, `admin@${name}`]],
          current: `admin@${name}`,
        }),
      );
      return [join(dir, 'config')];
    },
    context: `admin@${CLUSTER}.${REGION}.eksctl.io`,
    current: true,
    credential: 'exec',
    whoami: 200,
  },
  {
    name: 'relative exec command ./bin/get-token, resolved against the kubeconfig folder',
    write: (dir) => {
      const folder = join(dir, 'kube');
      tokenPlugin(join(folder, 'bin', 'get-token'));
      writeFileSync(
        join(folder, 'config'),
        config({
          clusters: [[ARN, eksCluster()]],
          users: [['relative', { exec: { apiVersion: EXEC_API, command: './bin/get-token' } }]],
          contexts: [['relative', ARN, 'relative']],
          current: 'relative',
        }),
      );
      return [join(folder, 'config')];
    },
    context: 'relative',
    current: true,
    credential: 'exec',
    whoami: 200,
  },
  {
    name: 'CA file and tokenFile, both relative',
    write: (dir) => {
      writeFileSync(join(dir, 'ca.crt'), sandbox.caPem);
      writeFileSync(join(dir, 'token'), `${adminToken}\n`);
      writeFileSync(
        join(dir, 'config'),
        config({
          clusters: [[ARN, { server: endpoint, 'certificate-authority': 'ca.crt' }]],
          users: [['file-token', { tokenFile: 'token' }]],
          contexts: [['files', ARN, 'file-token']],
          current: 'files',
        }),
      );
      return [join(dir, 'config')];
    },
    context: 'files',
    current: true,
    credential: 'tokenFile',
    whoami: 200,
  },
  {
    // The sandbox, like EKS without a client-CA, never asks for the certificate: the request is
    // anonymous, and anonymous may not create a SelfSubjectReview.
    name: 'client certificate and key files (anonymous to an API server that does not ask for it)',
    write: (dir) => {
      const client = generateClusterTls(new Date());
      writeFileSync(join(dir, 'client.crt'), client.certPem);
      writeFileSync(join(dir, 'client.key'), client.keyPem);
      writeFileSync(
        join(dir, 'config'),
        config({
          clusters: [[ARN, eksCluster()]],
          users: [['cert', { 'client-certificate': 'client.crt', 'client-key': 'client.key' }]],
          contexts: [['cert', ARN, 'cert']],
          current: 'cert',
        }),
      );
      return [join(dir, 'config')];
    },
    context: 'cert',
    current: true,
    credential: 'client-certificate',
    whoami: 403,
  },
  {
    name: 'proxy-url: kubectl and doctor reach the API server through the proxy',
    write: (dir) => {
      proxied.length = 0;
      writeFileSync(
        join(dir, 'config'),
        config({
          clusters: [[ARN, eksCluster({ 'proxy-url': proxyUrl })]],
          users: [['admin', { token: adminToken }]],
          contexts: [['proxied', ARN, 'admin']],
          current: 'proxied',
        }),
      );
      return [join(dir, 'config')];
    },
    context: 'proxied',
    current: true,
    credential: 'token',
    whoami: 200,
    afterDoctor: () => {
      expect(proxied).toEqual([`127.0.0.1:${new URL(endpoint).port}`]);
      proxied.length = 0;
    },
    after: () => expect(proxied.length).toBeGreaterThan(0),
  },
  {
    name: 'tls-server-name: the certificate is checked for that name, not the address',
    write: (dir) => {
      writeFileSync(
        join(dir, 'config'),
        config({
          clusters: [[ARN, eksCluster({ 'tls-server-name': 'localhost' })]],
          users: [['admin', { token: adminToken }]],
          contexts: [['sni', ARN, 'admin']],
          current: 'sni',
        }),
      );
      return [join(dir, 'config')];
    },
    context: 'sni',
    current: true,
    credential: 'token',
    whoami: 200,
  },
  {
    name: 'insecure-skip-tls-verify without a CA',
    write: (dir) => {
      writeFileSync(
        join(dir, 'config'),
        config({
          clusters: [[ARN, { server: endpoint, 'insecure-skip-tls-verify': true }]],
          users: [['admin', { token: adminToken }]],
          contexts: [['insecure', ARN, 'admin']],
          current: 'insecure',
        }),
      );
      return [join(dir, 'config')];
    },
    context: 'insecure',
    current: true,
    credential: 'token',
    caCompared: false,
    whoami: 200,
  },
  {
    name: 'kubelogin (OIDC) is the current context; the EKS entry is another one',
    write: (dir) => {
      writeFileSync(
        join(dir, 'config'),
        config({
          clusters: [
            [
              'corp-oidc',
              {
                server: 'https://127.0.0.1:9',
                'certificate-authority-data': eksCluster()['certificate-authority-data'],
              },
            ],
            [ARN, eksCluster()],
          ],
          users: [
            [
              'oidc',
              {
                exec: {
                  apiVersion: EXEC_API,
                  command: 'kubectl',
                  args: [
                    'oidc-login',
                    'get-token',
                    '--oidc-issuer-url=https://login.example.com',
                    '--oidc-client-id=k8s',
                  ],
                },
              },
            ],
            ['eks-static', { token: adminToken }],
          ],
          contexts: [
            ['corp', 'corp-oidc', 'oidc'],
            ['eks', ARN, 'eks-static'],
          ],
          current: 'corp',
        }),
      );
      return [join(dir, 'config')];
    },
    context: 'eks',
    current: false,
    credential: 'token',
    whoami: 200,
  },
  {
    name: 'KUBECONFIG with two files whose names clash: the first file wins, and its current-context',
    write: (dir) => {
      writeFileSync(
        join(dir, 'first'),
        config({
          clusters: [[ARN, eksCluster()]],
          users: [['shared', { token: adminToken }]],
          contexts: [['shared', ARN, 'shared']],
          current: 'shared',
        }),
      );
      // Same names, a dead server and a refused token: taking these would be a different answer.
      writeFileSync(
        join(dir, 'second'),
        config({
          clusters: [[ARN, { server: 'https://127.0.0.1:9', 'insecure-skip-tls-verify': true }]],
          users: [['shared', { token: 'k8s-aws-v1.not-a-token' }]],
          contexts: [
            ['shared', ARN, 'shared'],
            ['other', ARN, 'shared'],
          ],
          current: 'other',
        }),
      );
      return [join(dir, 'first'), join(dir, 'second')];
    },
    context: 'shared',
    current: true,
    credential: 'token',
    whoami: 200,
  },
  {
    name: 'a missing file in KUBECONFIG is skipped',
    write: (dir) => {
      writeFileSync(
        join(dir, 'config'),
        config({
          clusters: [[ARN, eksCluster()]],
          users: [['admin', { token: adminToken }]],
          contexts: [['present', ARN, 'admin']],
          current: 'present',
        }),
      );
      return [join(dir, 'does-not-exist'), join(dir, 'config')];
    },
    context: 'present',
    current: true,
    credential: 'token',
    whoami: 200,
  },
  {
    name: 'two contexts for the cluster: current-context wins over file order',
    write: (dir) => {
      writeFileSync(
        join(dir, 'config'),
        config({
          clusters: [[ARN, eksCluster()]],
          users: [
            ['good', { token: adminToken }],
            ['refused', { token: 'k8s-aws-v1.not-a-token' }],
          ],
          contexts: [
            ['first', ARN, 'good'],
            ['chosen', ARN, 'refused'],
          ],
          current: 'chosen',
        }),
      );
      return [join(dir, 'config')];
    },
    context: 'chosen',
    current: true,
    credential: 'token',
    whoami: 401,
  },
];

interface KubectlView {
  'current-context'?: string;
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: { exec?: { command?: string } } }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
}

describe('kubeconfigs as users have them: doctor resolves what kubectl resolves', () => {
  test.each(ROWS.map((row) => [row.name, row] as const))(
    '%s',
    async (_, row) => {
      const dir = join(root, row.name.replace(/\W+/g, '-').slice(0, 40));
      const bin = join(dir, 'path-bin');
      const cwd = join(dir, 'elsewhere'); // neither kubectl nor doctor may resolve against the working directory
      mkdirSync(bin, { recursive: true });
      mkdirSync(cwd, { recursive: true });
      const files = row.write(dir, bin);
      const env = {
        PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
        HOME: dir,
        KUBECONFIG: files.join(delimiter),
      };

      const facts = await collectKubeconfig({
        cluster: CLUSTER,
        clusterArn: ARN,
        endpoint,
        caPem: sandbox.caPem,
        partition: 'aws',
        runExec: true,
        timeoutMs: 60_000,
        env,
        now: new Date(),
        stsEndpointOverride: sandbox.endpoints.sts,
      });
      row.afterDoctor?.();
      expect(facts?.context).toBe(row.context);
      expect(facts?.credential).toBe(row.credential);

      if (row.current) {
        const current = await run('kubectl', ['config', 'current-context'], env, cwd);
        expect(current.stdout.trim()).toBe(row.context);
      }
      const viewed = await run(
        'kubectl',
        ['config', 'view', '--minify', '--raw', '-o', 'json', '--context', row.context],
        env,
        cwd,
      );
      expect(viewed.status, viewed.stderr).toBe(0);
      const view = JSON.parse(viewed.stdout) as KubectlView;
      const cluster = view.clusters?.[0]?.cluster ?? {};
      const user = view.users?.[0];
      expect(facts?.server).toBe(cluster.server);
      expect(facts?.server).toBe(endpoint);
      expect(facts?.user).toBe(user?.name);
      expect(facts?.caMatchesCluster).toBe(row.caCompared === false ? undefined : true);
      // kubectl prints paths as written and resolves them against the file that holds them.
      const origin = files.find((file) => !file.includes('does-not-exist')) ?? '';
      const kubectlCommand = user?.user.exec?.command;
      if (kubectlCommand === undefined) expect(facts?.exec).toBeUndefined();
      else
        expect(facts?.exec?.command).toBe(
          kubectlCommand.includes('/') && !isAbsolute(kubectlCommand)
            ? resolve(dirname(origin), kubectlCommand)
            : kubectlCommand,
        );
      if (facts?.exec) expect(facts.exec.commandFound).toBe(true);

      const whoami = await run('kubectl', ['auth', 'whoami', '-o', 'json', '--context', row.context], env, cwd);
      // kubectl's words for 401, and for 403 (or 404) on selfsubjectreviews.
      const kubectlStatus =
        whoami.status === 0
          ? 200
          : /Unauthorized/.test(whoami.stderr)
            ? 401
            : /API is not enabled in the cluster or you do not have permission/.test(whoami.stderr)
              ? 403
              : `error: ${whoami.stderr}`;
      expect(kubectlStatus).toBe(row.whoami);
      if (kubectlStatus === 200) {
        const userInfo = (JSON.parse(whoami.stdout) as { status: { userInfo: { username: string; groups: string[] } } })
          .status.userInfo;
        expect(facts?.whoami).toEqual({ username: userInfo.username, groups: userInfo.groups });
      } else expect(facts?.whoami).toMatchObject({ status: kubectlStatus });
      row.after?.();
    },
    180_000,
  );
});

/** Files kubectl refuses to load (`error loading config file "F"`) beside a good one, in either order. */
const BROKEN: { name: string; text: string }[] = [
  { name: 'not YAML', text: 'clusters: [\n  bad' },
  { name: 'a tab where YAML allows none', text: '\t bad: [' },
  { name: 'a list, not a mapping', text: '- a\n- b\n' },
  { name: 'a plain string', text: 'just a string\n' },
  { name: 'another kind', text: 'apiVersion: v1\nkind: Pod\n' },
  { name: 'another apiVersion', text: 'apiVersion: v9\nkind: Config\n' },
  { name: 'clusters is a number', text: 'clusters: 5\n' },
  { name: 'a cluster entry that is a number', text: 'clusters:\n- name: a\n  cluster: 5\n' },
  { name: 'a name that is a number', text: 'clusters:\n- name: 5\n  cluster: {server: https://x}\n' },
  { name: 'current-context a number', text: 'current-context: 5\n' },
  {
    name: 'insecure-skip-tls-verify a string',
    text: 'clusters:\n- name: b\n  cluster: {server: https://x, insecure-skip-tls-verify: "yes"}\n',
  },
  { name: 'exec args a string', text: 'users:\n- name: x\n  user: {exec: {command: aws, args: eks}}\n' },
  { name: 'exec command a number', text: 'users:\n- name: x\n  user: {exec: {command: 5}}\n' },
];
/** Files kubectl loads although they look odd: they must not be reported. */
const LOADS: { name: string; text: string }[] = [
  { name: 'an empty file', text: '' },
  { name: 'unknown keys only', text: 'foo: bar\n' },
  { name: 'apiVersion without kind', text: 'apiVersion: v1\n' },
  { name: 'clusters: null', text: 'clusters:\n' },
];

describe('a kubeconfig file kubectl refuses is reported, naming the file; a missing one is skipped', () => {
  const good = () =>
    config({
      clusters: [[ARN, eksCluster()]],
      users: [[ARN, { token: adminToken }]],
      contexts: [[ARN, ARN, ARN]],
      current: ARN,
    });
  const lookup = (env: Record<string, string>) =>
    collectKubeconfig({
      cluster: CLUSTER,
      clusterArn: ARN,
      endpoint,
      caPem: sandbox.caPem,
      partition: 'aws',
      runExec: false,
      timeoutMs: 60_000,
      env,
      now: new Date(),
    });

  test.each([
    ...BROKEN.map((row) => [row.name, row, true] as const),
    ...LOADS.map((row) => [row.name, row, false] as const),
  ])(
    '%s',
    async (name, row, broken) => {
      const dir = join(root, `broken-${name.replace(/\W+/g, '-')}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'good'), good());
      const odd = join(dir, 'odd\u001b[31m');
      writeFileSync(odd, row.text);
      for (const files of [
        [join(dir, 'good'), odd],
        [odd, join(dir, 'good')],
      ]) {
        const env = { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG: files.join(delimiter) };
        const kubectl = await run('kubectl', ['config', 'view', '--minify', '-o', 'json'], env, dir);
        expect(kubectl.status !== 0, kubectl.stderr).toBe(broken);
        if (broken) {
          expect(kubectl.stderr).toContain('error loading config file');
          const error = (await lookup(env).then(
            () => new Error('loaded'),
            (e: unknown) => e as Error,
          )) as Error;
          // One line naming the file, its control characters escaped, never a stack trace.
          expect(error.message).toMatch(
            /^kubeconfig file "[^"\n]*" does not load \(kubectl refuses to run with it\): .+$/,
          );
          expect(error.message).toContain(JSON.stringify(odd));
          expect(error.message).not.toContain('\u001b');
        } else expect((await lookup(env))?.context).toBe(ARN);
      }
    },
    120_000,
  );

  test('a missing file is skipped, as kubectl skips it', async () => {
    const dir = join(root, 'broken-missing');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'good'), good());
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      KUBECONFIG: [join(dir, 'nope'), join(dir, 'good')].join(delimiter),
    };
    expect((await run('kubectl', ['config', 'view', '--minify', '-o', 'json'], env, dir)).status).toBe(0);
    expect((await lookup(env))?.context).toBe(ARN);
  });
});
