import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseProfileSettings } from '../../src/token/aws-config.js';
import { cacheDirectory } from '../../src/token/cache.js';
import { stsEndpointFor } from '../../src/token/endpoint.js';
import { mintToken, type TokenOptions } from '../../src/token/mint.js';
import { validateToken } from '../../src/token/validate.js';

const KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const T0 = new Date('2026-11-23T08:00:00Z');
const at = (ms: number) => () => new Date(T0.getTime() + ms);
const MIN = 60_000;

let home: string;
let env: Record<string, string>;
const options: TokenOptions = { cluster: 'demo', cache: true };

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'eksauth-mint-'));
  env = {
    HOME: home,
    XDG_CACHE_HOME: join(home, 'xdg'),
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_DEFAULT_REGION: 'us-west-2',
    ...KEYS,
  };
});

const tokenOf = (stdout: string): { token: string; expirationTimestamp: string } =>
  (JSON.parse(stdout) as { status: { token: string; expirationTimestamp: string } }).status;
const cacheFiles = (): string[] => readdirSync(cacheDirectory(env)).filter((f) => !f.startsWith('.'));

describe('minting', () => {
  it('signs a token the authenticator accepts, for the regional endpoint', async () => {
    const { stdout, warnings } = await mintToken({ ...options, cache: false }, env, at(0));
    expect(warnings).toEqual([]);
    const { token, expirationTimestamp } = tokenOf(stdout);
    expect(expirationTimestamp).toBe('2026-11-23T08:14:00Z');
    expect(validateToken(token, { partition: 'aws', now: T0 })).toMatchObject({
      ok: true,
      token: { stsHost: 'sts.us-west-2.amazonaws.com', accessKeyId: KEYS.AWS_ACCESS_KEY_ID },
    });
  });

  it('takes the region from the flag, then AWS_REGION, AWS_DEFAULT_REGION, the profile', async () => {
    writeFileSync(
      env.AWS_CONFIG_FILE ?? '',
      '[default]\nregion = eu-west-1\n[profile other]\nregion = ap-south-1\nsts_regional_endpoints = legacy\n',
    );
    const host = async (opts: Partial<TokenOptions>, extra: Record<string, string | undefined>) => {
      const { stdout } = await mintToken({ ...options, cache: false, ...opts }, { ...env, ...extra }, at(0));
      const result = validateToken(tokenOf(stdout).token, { partition: 'aws', now: T0 });
      return result.ok ? result.token.stsHost : result.message;
    };
    expect(await host({ region: 'ca-central-1' }, { AWS_REGION: 'us-east-2' })).toBe('sts.ca-central-1.amazonaws.com');
    expect(await host({}, { AWS_REGION: 'us-east-2' })).toBe('sts.us-east-2.amazonaws.com');
    expect(await host({}, {})).toBe('sts.us-west-2.amazonaws.com');
    expect(await host({}, { AWS_DEFAULT_REGION: undefined })).toBe('sts.eu-west-1.amazonaws.com');
    // The profile's sts_regional_endpoints counts too.
    writeFileSync(env.AWS_CONFIG_FILE ?? '', '[default]\nregion = eu-west-1\nsts_regional_endpoints = legacy\n');
    expect(await host({}, { AWS_DEFAULT_REGION: undefined })).toBe('sts.amazonaws.com');
    expect(await host({}, { AWS_DEFAULT_REGION: undefined, AWS_STS_REGIONAL_ENDPOINTS: 'regional' })).toBe(
      'sts.eu-west-1.amazonaws.com',
    );
  });

  it('reads the region from ~/.aws/credentials over ~/.aws/config, as the aws CLI does', async () => {
    writeFileSync(env.AWS_CONFIG_FILE ?? '', '[default]\nregion = eu-west-1\n');
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'credentials'), '[default]\nregion: us-east-2\n');
    const { stdout } = await mintToken({ ...options, cache: false }, { ...env, AWS_DEFAULT_REGION: undefined }, at(0));
    expect(validateToken(tokenOf(stdout).token, { partition: 'aws', now: T0 })).toMatchObject({
      ok: true,
      token: { stsHost: 'sts.us-east-2.amazonaws.com' },
    });
  });

  it('warns on stderr as the CLI does for KUBERNETES_EXEC_INFO', async () => {
    const { stdout, warnings } = await mintToken(
      { ...options, cache: false },
      { ...env, KUBERNETES_EXEC_INFO: '{"apiVersion":"client.authentication.k8s.io/v1alpha1"}' },
      at(0),
    );
    expect((JSON.parse(stdout) as { apiVersion: string }).apiVersion).toBe('client.authentication.k8s.io/v1alpha1');
    expect(warnings).toEqual([
      "Kubeconfig user entry is using deprecated API version client.authentication.k8s.io/v1alpha1. Run 'aws eks update-kubeconfig' to update.",
    ]);
  });

  it("advertises the credentials' expiry when they die before 14 minutes", async () => {
    const { stdout } = await mintToken(
      { ...options, cache: false },
      { ...env, AWS_SESSION_TOKEN: 'FwoG', AWS_CREDENTIAL_EXPIRATION: '2026-11-23T08:05:30Z' },
      at(0),
    );
    expect(tokenOf(stdout).expirationTimestamp).toBe('2026-11-23T08:05:30Z');
  });
});

describe('the cache', () => {
  it('--no-cache writes nothing and mints anew', async () => {
    const a = tokenOf((await mintToken({ ...options, cache: false }, env, at(0))).stdout);
    const b = tokenOf((await mintToken({ ...options, cache: false }, env, at(1000))).stdout);
    expect(a.token).not.toBe(b.token);
    expect(() => readdirSync(cacheDirectory(env))).toThrow();
  });

  it('reuses a token until 60 s before it expires, in a 0700 directory of 0600 files', async () => {
    const first = (await mintToken(options, env, at(0))).stdout;
    expect((await mintToken(options, env, at(5 * MIN))).stdout).toBe(first);
    expect((await mintToken(options, env, at(13 * MIN - 1))).stdout).toBe(first);
    const renewed = (await mintToken(options, env, at(13 * MIN))).stdout;
    expect(tokenOf(renewed).token).not.toBe(tokenOf(first).token);
    expect(tokenOf(renewed).expirationTimestamp).toBe('2026-11-23T08:27:00Z');
    expect(statSync(cacheDirectory(env)).mode & 0o777).toBe(0o700);
    expect(cacheFiles()).toHaveLength(1);
    for (const file of readdirSync(cacheDirectory(env)))
      expect(statSync(join(cacheDirectory(env), file)).mode & 0o777).toBe(0o600);
  });

  it('keeps tokens apart per cluster, region and profile', async () => {
    const a = tokenOf((await mintToken(options, env, at(0))).stdout).token;
    expect(tokenOf((await mintToken({ ...options, cluster: 'other' }, env, at(1000))).stdout).token).not.toBe(a);
    expect(tokenOf((await mintToken({ ...options, region: 'eu-west-1' }, env, at(1000))).stdout).token).not.toBe(a);
    expect(cacheFiles()).toHaveLength(3);
  });

  it('never hands a token to other credentials', async () => {
    const a = tokenOf((await mintToken(options, env, at(0))).stdout).token;
    const other = {
      ...env,
      AWS_ACCESS_KEY_ID: 'AKIAI44QH8DHBEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
    };
    const b = tokenOf((await mintToken(options, other, at(1000))).stdout).token;
    expect(b).not.toBe(a);
    expect(validateToken(b, { partition: 'aws', now: T0 })).toMatchObject({
      ok: true,
      token: { accessKeyId: 'AKIAI44QH8DHBEXAMPLE' },
    });
    // And the first identity still gets its own.
    expect(tokenOf((await mintToken(options, env, at(2000))).stdout).token).toBe(a);
  });

  /** Plants `content` in place of the cache file that `options` use, then mints. */
  /**
   * Mints once, then lets `prepare` replace the entry with `planted`: the genuine entry with another
   * token, which the cache would hand out if it trusted the file.
   */
  async function withPlanted(
    prepare: (file: string, planted: string) => void,
  ): Promise<{ token: string; file: string }> {
    await mintToken(options, env, at(0));
    const [name] = cacheFiles();
    const file = join(cacheDirectory(env), name ?? '');
    const planted = JSON.stringify({
      ...(JSON.parse(readFileSync(file, 'utf8')) as object),
      token: 'k8s-aws-v1.planted',
    });
    prepare(file, planted);
    return { token: tokenOf((await mintToken(options, env, at(1000))).stdout).token, file };
  }

  it('hands out a planted entry when nothing is wrong with it (so the tests below can fail)', async () => {
    const { token } = await withPlanted((f, planted) => writeFileSync(f, planted));
    expect(token).toBe('k8s-aws-v1.planted');
  });

  it('ignores an entry written for another key', async () => {
    const { token } = await withPlanted((f, planted) => writeFileSync(f, planted.replace('demo', 'prod')));
    expect(token).not.toBe('k8s-aws-v1.planted');
  });

  it('ignores and replaces a corrupt file', async () => {
    const { token, file } = await withPlanted((f) => writeFileSync(f, '{"token": "k8s-aws-v1.trunc'));
    expect(validateToken(token, { partition: 'aws', now: T0 }).ok).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ token });
  });

  it('ignores and replaces a file others can read', async () => {
    const { token, file } = await withPlanted((f, planted) => {
      writeFileSync(f, planted);
      chmodSync(f, 0o644);
    });
    expect(token).not.toBe('k8s-aws-v1.planted');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('does not follow a symlink', async () => {
    const { token } = await withPlanted((f, planted) => {
      const elsewhere = join(home, 'elsewhere.json');
      writeFileSync(elsewhere, planted, { mode: 0o600 });
      unlinkSync(f);
      symlinkSync(elsewhere, f);
    });
    expect(token).not.toBe('k8s-aws-v1.planted');
  });

  // chown to another user needs root; without it there is no foreign-owned file to plant.
  it.skipIf(process.getuid?.() !== 0)('ignores a file owned by someone else', async () => {
    const { token } = await withPlanted((f, planted) => {
      writeFileSync(f, planted, { mode: 0o600 });
      chownSync(f, 12345, 12345);
    });
    expect(token).not.toBe('k8s-aws-v1.planted');
  });

  it('tightens a directory that is too open', async () => {
    mkdirSync(cacheDirectory(env), { recursive: true, mode: 0o755 });
    chmodSync(cacheDirectory(env), 0o755);
    await mintToken(options, env, at(0));
    expect(statSync(cacheDirectory(env)).mode & 0o777).toBe(0o700);
  });

  it('refuses a far-future or out-of-range expiry, and replaces the entry', async () => {
    for (const expiresAt of [T0.getTime() + 16 * MIN, T0.getTime() + 365 * 24 * 60 * MIN, 1e300, 8.64e15 + 1]) {
      const { token, file } = await withPlanted((f, planted) =>
        writeFileSync(f, JSON.stringify({ ...(JSON.parse(planted) as object), expiresAt }), { mode: 0o600 }),
      );
      expect(token).not.toBe('k8s-aws-v1.planted');
      expect(validateToken(token, { partition: 'aws', now: T0 }).ok).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
        token,
        expiresAt: T0.getTime() + 1000 + 14 * MIN,
      });
      unlinkSync(file);
    }
  });

  it('recovers from a directory squatting on the name of an entry', async () => {
    const { token, file } = await withPlanted((f) => {
      unlinkSync(f);
      mkdirSync(join(f, 'inside'), { recursive: true });
      writeFileSync(join(f, 'inside', 'x'), 'x');
    });
    expect(validateToken(token, { partition: 'aws', now: T0 }).ok).toBe(true);
    expect(statSync(file).isFile()).toBe(true);
    // The cache works again: the next call is a hit.
    expect(tokenOf((await mintToken(options, env, at(2000))).stdout).token).toBe(token);
  });

  it('keys tokens by everything that signs them: secret key, session token and expiry too', async () => {
    const first = tokenOf((await mintToken(options, env, at(0))).stdout).token;
    const variants: Record<string, string>[] = [
      // The same key id with another (say, corrected) secret key.
      { AWS_SECRET_ACCESS_KEY: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY' },
      { AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN' },
      { AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN', AWS_CREDENTIAL_EXPIRATION: '2026-11-23T08:05:00Z' },
    ];
    const seen = new Set([first]);
    for (const [i, variant] of variants.entries()) {
      const { stdout } = await mintToken(options, { ...env, ...variant }, at(1000 * (i + 1)));
      const { token } = tokenOf(stdout);
      expect(seen.has(token), JSON.stringify(variant)).toBe(false);
      seen.add(token);
    }
    // The shorter-lived session's token dies with it, and is what a later call gets.
    const short = { ...env, ...variants[2] };
    expect(tokenOf((await mintToken(options, short, at(5000))).stdout).expirationTimestamp).toBe(
      '2026-11-23T08:05:00Z',
    );
    // No entry holds a secret in clear.
    for (const name of readdirSync(cacheDirectory(env))) {
      const text = readFileSync(join(cacheDirectory(env), name), 'utf8');
      for (const secret of [KEYS.AWS_SECRET_ACCESS_KEY, 'je7MtGbClwBF/2Zp9Utk', 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN'])
        expect(text).not.toContain(secret);
    }
  });

  it('mints without caching when the cache cannot be written', async () => {
    writeFileSync(join(home, 'xdg'), 'not a directory');
    const { stdout } = await mintToken(options, env, at(0));
    expect(validateToken(tokenOf(stdout).token, { partition: 'aws', now: T0 }).ok).toBe(true);
  });
});

describe('--role-arn', () => {
  let server: Server;
  const requests: URLSearchParams[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const params = new URLSearchParams(body);
        requests.push(params);
        const expiration = params.get('RoleArn')?.endsWith('/Short') ? '2026-11-23T08:04:00Z' : '2026-11-23T09:00:00Z';
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>` +
            `<AccessKeyId>ASIAROLEEXAMPLE00001</AccessKeyId><SecretAccessKey>roleSecretKeyEXAMPLE</SecretAccessKey>` +
            `<SessionToken>roleSessionTokenEXAMPLE+/=</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
            `<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/Deployer/${params.get('RoleSessionName') ?? ''}</Arn><AssumedRoleId>AROAEXAMPLE:x</AssumedRoleId></AssumedRoleUser>` +
            `</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests.length = 0;
    env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  const role = { ...options, roleArn: 'arn:aws:iam::111122223333:role/Deployer' };

  it('assumes the role as EKSGetTokenAuth and signs with the session', async () => {
    const { stdout } = await mintToken({ ...role, cache: false, externalId: 'ext-1' }, env, at(0));
    expect(requests).toHaveLength(1);
    expect(Object.fromEntries(requests[0] ?? [])).toMatchObject({
      Action: 'AssumeRole',
      RoleArn: role.roleArn,
      RoleSessionName: 'EKSGetTokenAuth',
      ExternalId: 'ext-1',
    });
    const result = validateToken(tokenOf(stdout).token, { partition: 'aws', now: T0 });
    expect(result).toMatchObject({ ok: true, token: { accessKeyId: 'ASIAROLEEXAMPLE00001', hasSessionToken: true } });
    if (result.ok) expect(result.token.query['X-Amz-Security-Token']).toBe('roleSessionTokenEXAMPLE+/=');
  });

  it('honours --session-name', async () => {
    await mintToken({ ...role, cache: false, sessionName: 'alice' }, env, at(0));
    expect(requests[0]?.get('RoleSessionName')).toBe('alice');
  });

  it('caches the role session across clusters, and the token per cluster', async () => {
    await mintToken(role, env, at(0));
    await mintToken(role, env, at(1000));
    await mintToken({ ...role, cluster: 'other' }, env, at(2000));
    expect(requests).toHaveLength(1);
    expect(cacheFiles().filter((f) => f.startsWith('role-'))).toHaveLength(1);
    // A different session name is a different session.
    await mintToken({ ...role, sessionName: 'bob' }, env, at(3000));
    expect(requests).toHaveLength(2);
  });

  it('does not trust a role session claiming to outlive the 12 hours of AssumeRole', async () => {
    await mintToken({ ...role, cluster: 'a' }, env, at(0));
    expect(requests).toHaveLength(1);
    const roleFile = cacheFiles().find((f) => f.startsWith('role-')) ?? '';
    const path = join(cacheDirectory(env), roleFile);
    const entry = JSON.parse(readFileSync(path, 'utf8')) as object;
    writeFileSync(path, JSON.stringify({ ...entry, expiresAt: T0.getTime() + 13 * 60 * MIN }), { mode: 0o600 });
    await mintToken({ ...role, cluster: 'b' }, env, at(1000));
    expect(requests).toHaveLength(2);
  });

  it("advertises the role session's expiry when it is sooner", async () => {
    const { stdout } = await mintToken(
      { ...role, roleArn: 'arn:aws:iam::111122223333:role/Short', cache: false },
      env,
      at(0),
    );
    expect(tokenOf(stdout).expirationTimestamp).toBe('2026-11-23T08:04:00Z');
  });

  it('gives up on an STS that accepts the connection and never answers, as an environment error', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { assumeRole } = await import('../../src/token/assume-role.js');
      await expect(
        assumeRole({
          roleArn: role.roleArn,
          sessionName: 'EKSGetTokenAuth',
          region: 'us-west-2',
          source: { accessKeyId: KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY },
          env: { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` },
          timeoutMs: 500,
        }),
      ).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('timed out after 500 ms') as string });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reports a refused AssumeRole as an environment error', async () => {
    env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9';
    await expect(mintToken({ ...role, cache: false }, env, at(0))).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('cannot assume role arn:aws:iam::111122223333:role/Deployer'),
    });
  });
});

describe('endpoint and config details', () => {
  it('picks hosts like botocore', () => {
    expect(stsEndpointFor({ region: undefined })).toEqual({ host: 'sts.amazonaws.com', signingRegion: 'us-east-1' });
    expect(stsEndpointFor({ region: 'us-west-2', regionalEndpoints: 'LEGACY' })).toEqual({
      host: 'sts.amazonaws.com',
      signingRegion: 'us-east-1',
    });
    expect(stsEndpointFor({ region: 'cn-northwest-1' })).toEqual({
      host: 'sts.cn-northwest-1.amazonaws.com.cn',
      signingRegion: 'cn-northwest-1',
    });
    expect(stsEndpointFor({ region: 'us-gov-west-1', useFips: true })).toEqual({
      host: 'sts.us-gov-west-1.amazonaws.com',
      signingRegion: 'us-gov-west-1',
    });
  });

  it('reads only the selected profile of the config file', () => {
    const text =
      '[default]\nregion = us-east-1\n[profile dev]\nregion = eu-north-1\ns3 =\n  region = nope\nsso_session = corp\n[dev]\nregion = wrong\n';
    expect(parseProfileSettings(text, 'dev')).toEqual({ exists: true, region: 'eu-north-1', ssoSession: 'corp' });
    expect(parseProfileSettings(text, 'default')).toEqual({ exists: true, region: 'us-east-1' });
    expect(parseProfileSettings(text, 'missing')).toEqual({ exists: false });
  });
});

describe('cluster names the aws CLI would sign differently', () => {
  it('refuses a U+FEFF in the cluster name as a usage error instead of minting a token botocore would not', async () => {
    // aws4 (JavaScript's \s) would fold the U+FEFF into a space; botocore (Python's split) keeps it.
    await expect(mintToken({ ...options, cluster: 'demo\ufeffx', cache: false }, env, at(0))).rejects.toThrow(
      /U\+FEFF/,
    );
  });
});
