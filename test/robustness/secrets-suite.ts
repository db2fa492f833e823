import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { sandboxEnv, sandboxTarget, type SandboxTarget } from '../../src/doctor/sandbox-run.js';
import { CredentialStore, type IssuedCredentials } from '../../src/sandbox/credentials.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { listShippedScenarios, loadScenario } from '../../src/sandbox/scenario/load.js';
import { tokenFromPresignedUrl } from '../../src/token/presign.js';
import { eksauthInProcess } from '../helpers/cli-in-process.js';
import { leaksIn, sandboxSecrets, type Secret } from '../helpers/secrets.js';
import { tokenFor } from '../sandbox/helpers.js';

/*
 * Every command, in every output format, plus the files it saves, for every shipped scenario, run
 * with a kubeconfig that carries secrets the way real ones do (credentials in the exec env, a
 * static `token:`, client keys, passwords, an exec plugin that echoes what it was given) and with
 * hostile tokens (percent-encoded parameter names, URLs Go cannot parse). Nothing secret the
 * scenario holds may appear on stdout, stderr or in a saved file.
 */

const FORMATS = ['human', 'json', 'markdown'] as const;
const dir = mkdtempSync(join(tmpdir(), 'eksauth-secrets-'));

// Sessions the sandbox's STS hands out during a run (doctor's AssumeRole) are secrets too.
const issued: IssuedCredentials[] = [];
beforeAll(() => {
  const issueSession = CredentialStore.prototype.issueSession;
  vi.spyOn(CredentialStore.prototype, 'issueSession').mockImplementation(function (
    this: CredentialStore,
    ...args: Parameters<typeof issueSession>
  ) {
    const credentials = issueSession.apply(this, args);
    issued.push(credentials);
    return credentials;
  });
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** An exec plugin that misbehaves on purpose: echoes its secrets in an error, or returns a hostile token. */
const PLUGIN = join(dir, 'exec-plugin.sh');
writeFileSync(
  PLUGIN,
  [
    '#!/bin/sh',
    'if [ "$PLUGIN_MODE" = token ]; then cat "$PLUGIN_OUTPUT"; exit 0; fi',
    'echo "plugin: rejected key $AWS_ACCESS_KEY_ID secret $AWS_SECRET_ACCESS_KEY token $AWS_SESSION_TOKEN api $VENDOR_API_TOKEN" >&2',
    'exit 1',
    '',
  ].join('\n'),
);
chmodSync(PLUGIN, 0o755);

const canary = (what: string): string => `canary-${what}-${randomBytes(12).toString('hex')}`;

/**
 * Tokens that the authenticator refuses with a message quoting the URL, with parameter names
 * percent-encoded (once, twice, in another case) so a redaction that only reads the text as
 * written misses the signature and the session token.
 */
function hostileTokens(token: string): string[] {
  const url = Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8');
  const unparsable = (u: string) => u.replace('https://', 'https://[::1');
  return [
    unparsable(
      url.replace('X-Amz-Signature', 'X-Amz-%53ignature').replace('X-Amz-Security-Token', 'X-Amz-Security-%54oken'),
    ),
    unparsable(
      url.replace('X-Amz-Signature', 'x-amz-%2553IGNATURE').replace('X-Amz-Security-Token', 'x-AMZ-security%2dtoken'),
    ),
    unparsable(url.replace(/X-Amz-Signature=/, 'X-Amz-Signature%3D').replace('X-Amz-Credential', 'X-Amz-%43redential')),
    url.replace('X-Amz-Signature', 'X-Amz-%53ignature') + '&Extra=%zz',
  ].map(tokenFromPresignedUrl);
}

/** The sandbox's own kubeconfig (every principal's keys in its exec env) plus the other ways kubeconfigs hold secrets. */
function craftedKubeconfig(sandbox: Sandbox, mode: 'fail' | 'token', pluginOutput: string, bearer: string) {
  const secrets: Secret[] = [];
  const secret = (label: string, value: string): string => {
    secrets.push({ label, value });
    return value;
  };
  const config = parse(sandbox.kubeconfig({ allPrincipals: true })) as {
    clusters: { name: string }[];
    users: { name: string; user: Record<string, unknown> }[];
    contexts: { name: string; context: { cluster: string; user: string } }[];
  };
  for (const { user } of config.users) {
    const exec = user.exec as { command: string; env: { name: string; value: string }[] } | undefined;
    if (!exec) continue;
    exec.command = PLUGIN;
    exec.env.push(
      { name: 'PLUGIN_MODE', value: mode },
      { name: 'PLUGIN_OUTPUT', value: pluginOutput },
      { name: 'VENDOR_API_TOKEN', value: secret('exec env VENDOR_API_TOKEN', canary('vendor')) },
      {
        name: 'HTTPS_PROXY',
        value: `http://proxy:${secret('exec env proxy password', canary('proxy'))}@proxy.internal:3128`,
      },
    );
  }
  const keyPem = secret(
    'client key',
    `-----BEGIN EC PRIVATE KEY-----\n${canary('key')}\n-----END EC PRIVATE KEY-----\n`,
  );
  const extraUsers = {
    'static-token': { token: secret('kubeconfig token: field', bearer) },
    'service-account': { token: secret('kubeconfig service account token', `eyJhbGciOiJSUzI1NiJ9.${canary('jwt')}`) },
    'client-cert': {
      'client-certificate-data': Buffer.from('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n').toString(
        'base64',
      ),
      'client-key-data': secret('client-key-data', Buffer.from(keyPem).toString('base64')),
    },
    basic: { username: 'admin', password: secret('basic auth password', canary('password')) },
    oidc: {
      'auth-provider': {
        name: 'oidc',
        config: {
          'id-token': secret('oidc id-token', canary('idtoken')),
          'refresh-token': secret('oidc refresh-token', canary('refresh')),
        },
      },
    },
  };
  const cluster = config.clusters[0]?.name ?? '';
  for (const [name, user] of Object.entries(extraUsers)) {
    config.users.push({ name, user });
    config.contexts.push({ name: `ctx-${name}`, context: { cluster, user: name } });
  }
  return { text: stringify(config), secrets };
}

interface Output {
  what: string;
  text: string;
}

/** The arguments that point doctor and whoami at the scenario's principal, as a user would type them. */
function principalArgs(target: SandboxTarget): string[] {
  if (target.roleArn)
    return ['--role-arn', target.roleArn, ...(target.sessionName ? ['--session-name', target.sessionName] : [])];
  return target.targetPrincipal ? ['--target-profile', 'story'] : [];
}

/** A shared credentials file holding the story principal's own keys, for --target-profile. */
function credentialsFile(sandbox: Sandbox, target: SandboxTarget, path: string): void {
  if (!target.targetPrincipal) return writeFileSync(path, '');
  const c = sandbox.credentialsFor(target.targetPrincipal);
  writeFileSync(
    path,
    `[story]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n${
      c.sessionToken ? `aws_session_token = ${c.sessionToken}\n` : ''
    }`,
  );
}

async function runEverything(name: string, index: number): Promise<{ outputs: Output[]; secrets: Secret[] }> {
  const scenario = loadScenario(name);
  const target = sandboxTarget(scenario, {});
  if (typeof target === 'string') throw new Error(target);
  const sandbox = await startSandbox({ scenario });
  const work = mkdtempSync(join(dir, `${name}-`));
  const outputs: Output[] = [];
  try {
    const bearer = tokenFor(sandbox, target.operator);
    const hostile = hostileTokens(bearer);
    const pluginOutput = join(work, 'exec-credential.json');
    writeFileSync(
      pluginOutput,
      JSON.stringify({
        kind: 'ExecCredential',
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        status: { token: hostile[0] },
      }),
    );
    const kubeconfig = craftedKubeconfig(sandbox, index % 2 === 0 ? 'fail' : 'token', pluginOutput, bearer);
    writeFileSync(join(work, 'kubeconfig'), kubeconfig.text);
    credentialsFile(sandbox, target, join(work, 'credentials'));
    const env = {
      ...sandboxEnv(sandbox, target.operator),
      AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'),
      KUBECONFIG: join(work, 'kubeconfig'),
      HOME: work,
      PATH: process.env.PATH ?? '',
      EKSAUTH_STS_ENDPOINT_OVERRIDE: sandbox.endpoints.sts,
    };
    const cluster = target.cluster;
    const run = async (what: string, argv: string[]) => {
      const result = await eksauthInProcess(argv, env);
      outputs.push({ what: `${what} stdout`, text: result.stdout }, { what: `${what} stderr`, text: result.stderr });
      return result;
    };
    const saved = (what: string, path: string) => {
      if (existsSync(path)) outputs.push({ what, text: readFileSync(path, 'utf8') });
      return existsSync(path);
    };
    const who = [...principalArgs(target), '--cluster', cluster, '--timeout', '2'];

    // One live run of each (progress on stderr, the evidence file); the other formats replay that
    // evidence, which renders the same report (test/e2e/doctor.test.ts) without a second live run.
    for (const [command, format] of [
      ['doctor', 'human'],
      ['whoami', 'json'],
    ] as const) {
      const evidence = join(work, `${command}.json`);
      const result = await run(`${command} -o ${format}`, [command, ...who, '-o', format, '--save-evidence', evidence]);
      expect(saved(`${command} --save-evidence`, evidence), `${name} ${command}: ${result.stderr}`).toBe(true);
      for (const replayed of FORMATS.filter((f) => f !== format))
        await run(`${command} --evidence -o ${replayed}`, [command, '--evidence', evidence, '-o', replayed]);
    }
    // An evidence file from before this redaction: secrets in the exec env and the full key id in
    // the SelfSubjectReview, with an exec identity that makes identity/exec-identity-differs print its fix.
    const old = JSON.parse(readFileSync(join(work, 'doctor.json'), 'utf8')) as {
      evidence: { kubeconfig?: Record<string, unknown>; probe?: { selfSubjectReview?: Record<string, unknown> } };
    };
    const operatorKeys = sandbox.credentialsFor(target.operator);
    old.evidence.kubeconfig = {
      path: 'kubeconfig',
      context: 'ctx',
      exec: {
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', cluster],
        env: {
          AWS_PROFILE: 'dev',
          AWS_ACCESS_KEY_ID: operatorKeys.accessKeyId,
          AWS_SECRET_ACCESS_KEY: operatorKeys.secretAccessKey,
          AWS_SESSION_TOKEN: operatorKeys.sessionToken ?? '',
        },
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        commandFound: true,
      },
      execIdentity: { arn: `arn:aws:iam::${scenario.accounts[0]?.id ?? '111122223333'}:role/someone-else` },
    };
    if (old.evidence.probe?.selfSubjectReview)
      old.evidence.probe.selfSubjectReview.extra = { accessKeyId: [operatorKeys.accessKeyId] };
    writeFileSync(join(work, 'old-evidence.json'), JSON.stringify(old));
    for (const format of FORMATS)
      for (const command of ['doctor', 'whoami']) {
        const replay = await run(`${command} --evidence (old file) -o ${format}`, [
          command,
          '--evidence',
          join(work, 'old-evidence.json'),
          '-o',
          format,
        ]);
        // The fix's follow-up runs the regenerated exec entry as kubectl would: the harmless part of
        // its env (and only that), and the role the diagnosis names.
        if (name === 'healthy' && command === 'doctor' && format === 'human')
          expect(replay.stdout).toContain(
            "env 'AWS_PROFILE=dev' aws --region us-east-1 eks get-token --cluster-name demo --role-arn arn:aws:iam::111122223333:role/platform-admin",
          );
      }

    // The token command prints a bearer token by design; that token is not searched for in its own stdout.
    const minted = await run('token', ['token', '--cluster', cluster, '--no-cache']);
    outputs.pop();
    outputs.pop();
    outputs.push({ what: 'token stderr', text: minted.stderr });
    const mintedToken = (JSON.parse(minted.stdout || '{}') as { status?: { token?: string } }).status?.token ?? '';
    expect(mintedToken, `${name} token: ${minted.stderr}`).toMatch(/^k8s-aws-v1\./);
    const tokens = [mintedToken, bearer, ...hostile];
    for (const format of FORMATS) {
      for (const [i, token] of tokens.entries())
        await run(`decode-token #${i} -o ${format}`, [
          'decode-token',
          token,
          '--cluster',
          cluster,
          '--verify',
          '-o',
          format,
        ]);
      for (const user of ['static-token', 'service-account'])
        await run(`decode-token --kubeconfig-user ${user} -o ${format}`, [
          'decode-token',
          '--kubeconfig-user',
          user,
          '-o',
          format,
        ]);
    }

    const awsAuthData = scenario.clusters.find((c) => c.name === cluster)?.awsAuthData;
    if (awsAuthData) {
      const file = join(work, 'aws-auth.yaml');
      writeFileSync(
        file,
        stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'aws-auth', namespace: 'kube-system' },
          data: awsAuthData,
        }),
      );
      const story = scenario.principals.find((p) => p.id === (scenario.expect.principal ?? scenario.defaultPrincipal));
      for (const format of FORMATS) {
        await run(`lint -o ${format}`, ['lint', file, '-o', format]);
        if (story)
          await run(`explain -o ${format}`, ['explain', '--principal', story.arn, '--aws-auth', file, '-o', format]);
      }
    }

    const expectations = join(work, 'expect.yaml');
    await run('verify --generate', [
      'verify',
      '--generate',
      '--cluster',
      cluster,
      '--expect',
      expectations,
      '--timeout',
      '2',
    ]);
    if (saved('verify --generate file', expectations))
      for (const format of [...FORMATS, 'junit'])
        await run(`verify -o ${format}`, [
          'verify',
          '--cluster',
          cluster,
          '--expect',
          expectations,
          '--timeout',
          '2',
          '-o',
          format,
        ]);

    return {
      outputs,
      secrets: [
        ...sandboxSecrets(sandbox, issued),
        ...kubeconfig.secrets,
        { label: 'minted token', value: mintedToken },
        { label: 'bearer token', value: bearer },
      ],
    };
  } finally {
    await sandbox.close();
  }
}

/** "what: labels" for each output that leaks; the secrets themselves are never printed. */
function leaks(outputs: readonly Output[], secrets: readonly Secret[]): string[] {
  return outputs
    .map(({ what, text }) => ({ what, found: leaksIn(text, secrets) }))
    .filter(({ found }) => found.length > 0)
    .map(({ what, found }) => `${what}: ${found.join(', ')}`);
}

/**
 * The suite, one shard of the scenarios per test file (secrets-1..3.test.ts): a scenario's run
 * mostly waits on its sandbox and on --timeout, so three files let three workers wait at once.
 */
export function secretsSuite(shard: number, shards: number): void {
  describe.each(
    listShippedScenarios()
      .map((name, index) => [name, index] as const)
      .filter(([, index]) => index % shards === shard),
  )('no secret in any output: %s', (name, index) => {
    // An unreachable endpoint waits out --timeout in doctor, whoami and verify: minutes under load.
    test('every command, every format, every saved file', { timeout: 180_000 }, async () => {
      const { outputs, secrets } = await runEverything(name, index);
      expect(outputs.length).toBeGreaterThan(20);
      expect(leaks(outputs, secrets)).toEqual([]);
    });
  });

  if (shard === 0)
    describe('commands without a scenario', () => {
      test('checks and sandbox --list, in every format', async () => {
        const outputs: Output[] = [];
        for (const format of FORMATS) {
          for (const argv of [['checks'], ['checks', 'identity/exec-identity-differs'], ['sandbox', '--list']]) {
            const result = await eksauthInProcess([...argv, '-o', format], { PATH: process.env.PATH ?? '' });
            outputs.push({ what: `${argv.join(' ')} -o ${format}`, text: result.stdout + result.stderr });
          }
        }
        expect(leaks(outputs, [])).toEqual([]);
      });
    });
}
