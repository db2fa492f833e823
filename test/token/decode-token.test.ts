import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { presignGetCallerIdentity, tokenFromPresignedUrl } from '../../src/token/presign.js';
import { BIN, ROOT, type CliResult } from '../helpers/cli.js';
import { startFakeSts, stsError, type FakeSts } from '../helpers/fake-sts.js';
import { schemaErrors } from '../helpers/schema.js';

// Runs the built CLI (npm test builds first) without blocking this process, whose fake STS must answer.
function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

const SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEJrSESSIONTOKENEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+abc/def=';
const CREDS = { accessKeyId: 'ASIAQWERTYUIOPEXAMPL', secretAccessKey: SECRET, sessionToken: SESSION_TOKEN };
const HOST = 'sts.us-west-2.amazonaws.com';
const ARN = 'arn:aws:sts::111122223333:assumed-role/Deployer/alice';

function mint(overrides: { now?: Date; clusterId?: string; host?: string; signingRegion?: string } = {}): {
  token: string;
  url: string;
  signature: string;
} {
  const url = presignGetCallerIdentity({
    credentials: CREDS,
    host: overrides.host ?? HOST,
    signingRegion: overrides.signingRegion ?? 'us-west-2',
    clusterId: overrides.clusterId ?? 'demo',
    now: overrides.now ?? new Date(),
  });
  return { token: tokenFromPresignedUrl(url), url, signature: new URL(url).searchParams.get('X-Amz-Signature') ?? '' };
}
const encodeUrl = (url: string): string => tokenFromPresignedUrl(url);

interface Json {
  rootCause: string | null;
  findings: { checkId: string; messageId: string; severity: string; message: string }[];
  token: {
    valid: boolean;
    stsHost: string | null;
    accessKeyId: string | null;
    expired: boolean | null;
    partition: string | null;
  };
  facts: Record<string, string>;
}
const json = (result: CliResult): Json => JSON.parse(result.stdout) as Json;
const ids = (result: CliResult): string[] => json(result).findings.map((f) => `${f.checkId}:${f.messageId}`);

describe('decode-token offline', () => {
  it("accepts a fresh token and prints the contract's token object", async () => {
    const result = await run(['decode-token', mint().token, '--output', 'json']);
    expect(result.status, result.stderr).toBe(0);
    expect(schemaErrors(json(result))).toBe('');
    expect(json(result)).toMatchObject({
      rootCause: null,
      findings: [],
      token: {
        valid: true,
        stsHost: HOST,
        region: 'us-west-2',
        partition: 'aws',
        accessKeyId: 'ASIA…XAMPL'.replace('XAMPL', 'AMPL'),
        expired: false,
        signedHeaders: ['host', 'x-k8s-aws-id'],
      },
    });
  });

  it('reads standard input, an ExecCredential, a Bearer header and a kubeconfig user', async () => {
    const { token } = mint();
    const credential = JSON.stringify({ kind: 'ExecCredential', status: { token } });
    for (const input of [token, `${token}\n`, credential, `Authorization: Bearer ${token}`]) {
      const result = await run(['decode-token', '-'], { input });
      expect(result.status, `${input.slice(0, 30)}: ${result.stderr}`).toBe(0);
    }
    const dir = mkdtempSync(join(tmpdir(), 'eksauth-kubeconfig-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nusers:\n- name: static\n  user:\n    token: ${token}\n- name: plugin\n  user:\n    exec:\n      command: aws\n`,
    );
    expect((await run(['decode-token', '--kubeconfig-user', 'static', '--kubeconfig', kubeconfig])).status).toBe(0);
    expect(
      (await run(['decode-token', '--kubeconfig-user', 'static'], { env: { KUBECONFIG: kubeconfig } })).status,
    ).toBe(0);
    const plugin = await run(['decode-token', '--kubeconfig-user', 'plugin', '--kubeconfig', kubeconfig]);
    expect(plugin.status).toBe(2);
    expect(plugin.stderr).toContain("it runs 'aws' to get one");
    expect((await run(['decode-token', '--kubeconfig-user', 'nobody', '--kubeconfig', kubeconfig])).stderr).toContain(
      "no user named 'nobody'",
    );
    // kubectl's rules: a tokenFile relative to its kubeconfig; a missing file among several skipped.
    mkdirSync(join(dir, 'kube'));
    writeFileSync(join(dir, 'kube', 'token'), `${token}\n`);
    writeFileSync(join(dir, 'kube', 'config'), `users:\n- name: file\n  user:\n    tokenFile: token\n`);
    const fromFile = await run(['decode-token', '--kubeconfig-user', 'file'], {
      env: { KUBECONFIG: [join(dir, 'missing'), join(dir, 'kube', 'config')].join(delimiter) },
    });
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect((await run(['decode-token'], { input: '' })).status).toBe(2);
  });

  const now = new Date();
  const fresh = mint({ now }).url;
  it.each([
    ['padding', `${mint().token}==`, 'token/malformed:rejected'],
    ['another prefix', mint().token.replace('k8s-aws-v1.', 'k8s-aws-v2.'), 'token/malformed:rejected'],
    ['an extra parameter', encodeUrl(`${fresh}&x-id=GetCallerIdentity`), 'token/malformed:rejected'],
    [
      'a foreign host',
      encodeUrl(fresh.replace(HOST, 'sts.us-west-2.amazonaws.com.evil.example')),
      'token/wrong-sts-host:wrongHost',
    ],
    [
      'an unsigned cluster header',
      encodeUrl(fresh.replace('host%3Bx-k8s-aws-id', 'host')),
      'token/cluster-id-not-signed:notSigned',
    ],
    ['an old date', mint({ now: new Date(now.getTime() - 20 * 60_000) }).token, 'token/expired:expired'],
    ['a scope for another region', mint({ signingRegion: 'us-east-1' }).token, 'token/sts-endpoint:scopeMismatch'],
    [
      'a date far in the future',
      mint({ now: new Date(now.getTime() + 60 * 60_000) }).token,
      'token/clock-skew:futureDated',
    ],
  ])('finds %s', async (_, token, expected) => {
    const result = await run(['decode-token', token, '-o', 'json']);
    expect(ids(result)).toEqual([expected]);
    expect(result.status).toBe(expected.startsWith('token/clock-skew') ? 0 : 1);
    expect(schemaErrors(json(result))).toBe('');
  });

  it("judges against the cluster's partition when told", async () => {
    const result = await run(['decode-token', mint().token, '--partition', 'aws-cn', '-o', 'json']);
    expect(json(result).findings[0]?.message).toContain('partition aws-cn refuses');
    expect((await run(['decode-token', mint().token, '--partition', 'aws-moon'])).status).toBe(2);
  });

  it('judges a China token as aws-cn by default', async () => {
    const result = await run([
      'decode-token',
      mint({ host: 'sts.cn-north-1.amazonaws.com.cn', signingRegion: 'cn-north-1' }).token,
      '-o',
      'json',
    ]);
    expect(json(result)).toMatchObject({ findings: [], token: { partition: 'aws-cn' } });
  });
});

describe('decode-token --verify', () => {
  let sts: FakeSts;
  beforeAll(async () => {
    sts = await startFakeSts({ [CREDS.accessKeyId]: SECRET }, ARN);
  });
  afterAll(() => sts.close());
  beforeEach(() => {
    sts.requests.length = 0;
    sts.respond = undefined;
  });
  const verify = (token: string, cluster = 'demo', extra: string[] = []) =>
    run(['decode-token', token, '--verify', '--cluster', cluster, '-o', 'json', ...extra], {
      env: { EKSAUTH_STS_ENDPOINT_OVERRIDE: sts.url },
    });

  it('replays as the authenticator does and reports the identity', async () => {
    const { token, url } = mint();
    const result = await verify(token);
    expect(result.status, result.stderr).toBe(0);
    expect(json(result).facts).toMatchObject({
      'STS identity': ARN,
      'Canonical ARN': 'arn:aws:iam::111122223333:role/Deployer',
    });
    expect(sts.requests).toHaveLength(1);
    const [request] = sts.requests;
    expect(request?.method).toBe('GET');
    expect(request?.headers['x-k8s-aws-id']).toBe('demo');
    // Sent to the override's address, with the Host the token was signed for (issue 13, item 6).
    expect(request?.headers.host).toBe(HOST);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.url).toBe(url.slice(`https://${HOST}`.length));
  });

  it('names token/cluster-id-mismatch when STS rejects the signature for this cluster', async () => {
    const result = await verify(mint({ clusterId: 'demo' }).token, 'Demo');
    expect(ids(result)).toEqual(['token/cluster-id-mismatch:signatureMismatch']);
    expect(json(result).rootCause).toBe('token/cluster-id-mismatch');
    expect(result.status).toBe(1);
  });

  it.each([
    [
      'expired signing credentials',
      stsError(403, 'ExpiredToken', 'The security token included in the request is expired'),
      ['token/expired:credentialsExpired'],
      1,
    ],
    [
      'a future-dated token',
      stsError(
        403,
        'SignatureDoesNotMatch',
        'Signature not yet current: 20261123T090000Z is still later than 20261123T084500Z (20261123T083000Z + 15 min.)',
      ),
      ['token/clock-skew:notYetValid'],
      1,
    ],
    ['throttling', stsError(400, 'Throttling', 'Rate exceeded'), ['token/sts-endpoint:throttled'], 0],
    [
      'a disabled region',
      stsError(403, 'RegionDisabledException', 'STS is not activated in this region for account:111122223333.'),
      ['token/sts-endpoint:regionDisabled'],
      1,
    ],
    [
      'an unknown key',
      stsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'),
      ['token/sts-endpoint:stsRefused'],
      1,
    ],
  ] as const)('reports %s', async (_, answer, expected, status) => {
    sts.respond = () => answer;
    const result = await verify(mint().token, 'other-cluster');
    expect(ids(result)).toEqual(expected);
    expect(result.status).toBe(status);
  });

  it("warns when STS's clock and ours disagree", async () => {
    sts.respond = (request) => ({
      ...verifyOk(request),
      headers: { date: new Date(Date.now() + 30 * 60_000).toUTCString() },
    });
    const result = await verify(mint().token);
    expect(ids(result)).toEqual(['token/clock-skew:stsClockDiffers']);
  });

  it('says when STS cannot be reached', async () => {
    const result = await run(['decode-token', mint().token, '--verify', '--cluster', 'demo', '-o', 'json'], {
      env: { EKSAUTH_STS_ENDPOINT_OVERRIDE: 'http://127.0.0.1:9' },
    });
    expect(ids(result)).toEqual(['token/sts-endpoint:unreachable']);
  });

  it('does not replay a token the authenticator would refuse, and needs --cluster', async () => {
    expect(ids(await verify(`${mint().token}==`))).toEqual(['token/malformed:rejected']);
    expect(sts.requests).toHaveLength(0);
    const noCluster = await run(['decode-token', mint().token, '--verify']);
    expect(noCluster.status).toBe(2);
    expect(noCluster.stderr).toContain('--verify needs --cluster');
  });

  function verifyOk(_request: unknown): { status: number; body: string } {
    return {
      status: 200,
      body: JSON.stringify({
        GetCallerIdentityResponse: {
          GetCallerIdentityResult: { Arn: ARN, Account: '111122223333', UserId: 'AROAEXAMPLE:alice' },
        },
      }),
    };
  }
});

describe('secrets never appear in decode-token output or errors', () => {
  let sts: FakeSts;
  beforeAll(async () => {
    sts = await startFakeSts({ [CREDS.accessKeyId]: SECRET }, ARN);
  });
  afterAll(() => sts.close());

  it.each(['human', 'json', 'markdown'])('in %s output, whatever the verdict', async (format) => {
    const { token, url, signature } = mint();
    const body = url.slice(url.indexOf('?'));
    const tokens = [
      token,
      `${token}==`,
      // Go's URL parser quotes the whole URL in its error: signature and session token included.
      encodeUrl(`https://sts.us-west-2.amazon aws.com/${body}`),
      encodeUrl(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=6000')),
      mint({ now: new Date(Date.now() - 3600_000) }).token,
    ];
    // The fake STS echoes the request back in its error, as a careless proxy might.
    sts.respond = (request) =>
      request.headers['x-k8s-aws-id'] === 'other'
        ? stsError(403, 'SignatureDoesNotMatch', `bad signature for ${request.url}`)
        : { status: 200, body: '{}' };
    const argSets = [[], ['--verify', '--cluster', 'demo'], ['--verify', '--cluster', 'other']];
    const results = await Promise.all(
      tokens.flatMap((candidate) =>
        argSets.map(async (args) => ({
          candidate,
          result: await run(['decode-token', candidate, '--output', format, ...args], {
            env: { EKSAUTH_STS_ENDPOINT_OVERRIDE: sts.url },
          }),
        })),
      ),
    );
    for (const { candidate, result } of results) {
      const printed = result.stdout + result.stderr;
      expect(printed).not.toContain(SECRET);
      expect(printed).not.toContain(SESSION_TOKEN);
      expect(printed).not.toContain(encodeURIComponent(SESSION_TOKEN));
      expect(printed).not.toContain(signature);
      expect(printed).not.toContain(candidate.slice(11, 80));
      expect(printed).not.toContain(CREDS.accessKeyId);
    }
    // The replays did happen, and one of them carried the secret-bearing URL back at us.
    expect(results.some(({ result }) => result.stdout.includes('SignatureDoesNotMatch'))).toBe(true);
  });
});
