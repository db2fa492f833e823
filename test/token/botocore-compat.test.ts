import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stsEndpointFor } from '../../src/token/endpoint.js';
import { presignGetCallerIdentity, tokenFromPresignedUrl } from '../../src/token/presign.js';
import { validateToken } from '../../src/token/validate.js';
import { ROOT } from '../helpers/cli.js';

/**
 * Byte compatibility with the aws CLI's signer (issue 3, item 2). botocore is driven at a frozen
 * time by test/helpers/botocore_presign.py, which runs the CLI's own TokenGenerator. Where python3
 * with botocore, or the aws CLI, is missing these tests skip and say why; .ci/run refuses to run
 * without them, so CI always compares.
 */

const python = spawnSync('python3', ['-c', 'import botocore; print(botocore.__version__)'], { encoding: 'utf8' });
const BOTOCORE = python.status === 0 ? python.stdout.trim() : undefined;
const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const AWS_CLI = awsCli.status === 0 ? `${awsCli.stdout}${awsCli.stderr}`.trim() : undefined;

interface Case {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region?: string;
  clusterId: string;
  time: string;
  env?: Record<string, string>;
}

/** Fake keys in AWS's documented example format; presigning never leaves the machine. */
const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const SESSION = {
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+abc/def=+ghi==',
};

const CASES: [string, Case][] = [
  ['long-term keys, us-west-2', { ...KEYS, region: 'us-west-2', clusterId: 'demo', time: '2026-11-23T08:00:00Z' }],
  ['session token with + / =', { ...SESSION, region: 'us-west-2', clusterId: 'demo', time: '2026-11-23T08:00:59Z' }],
  ['us-east-1 stays regional', { ...KEYS, region: 'us-east-1', clusterId: 'prod', time: '2019-10-23T23:00:00Z' }],
  [
    'legacy STS endpoints',
    {
      ...KEYS,
      region: 'us-west-2',
      clusterId: 'demo',
      time: '2026-01-01T00:00:00Z',
      env: { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' },
    },
  ],
  [
    'legacy, but a region without a global mapping',
    {
      ...KEYS,
      region: 'af-south-1',
      clusterId: 'demo',
      time: '2026-01-01T00:00:00Z',
      env: { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' },
    },
  ],
  ['aws-cn', { ...KEYS, region: 'cn-north-1', clusterId: 'demo', time: '2026-02-28T12:34:56Z' }],
  ['aws-us-gov', { ...KEYS, region: 'us-gov-west-1', clusterId: 'demo', time: '2026-02-28T12:34:56Z' }],
  [
    'FIPS',
    {
      ...KEYS,
      region: 'us-east-2',
      clusterId: 'demo',
      time: '2026-02-28T12:34:56Z',
      env: { AWS_USE_FIPS_ENDPOINT: 'true' },
    },
  ],
  [
    'FIPS in us-gov',
    {
      ...KEYS,
      region: 'us-gov-east-1',
      clusterId: 'demo',
      time: '2026-02-28T12:34:56Z',
      env: { AWS_USE_FIPS_ENDPOINT: 'true' },
    },
  ],
  [
    'dual-stack',
    {
      ...KEYS,
      region: 'eu-west-1',
      clusterId: 'demo',
      time: '2026-02-28T12:34:56Z',
      env: { AWS_USE_DUALSTACK_ENDPOINT: 'true' },
    },
  ],
  ['no region: the global endpoint', { ...KEYS, clusterId: 'demo', time: '2026-02-28T12:34:56Z' }],
  [
    'cluster name with spaces, case and unicode',
    { ...SESSION, region: 'ap-southeast-2', clusterId: '  My  Clüster ', time: '2026-07-04T01:02:03Z' },
  ],
  [
    'cluster name with reserved characters',
    { ...KEYS, region: 'eu-central-1', clusterId: "a/b?c&d=e;f'g", time: '2026-07-04T01:02:03Z' },
  ],
  ['opt-in region', { ...KEYS, region: 'me-central-1', clusterId: 'x', time: '2026-07-04T01:02:03Z' }],
];

const alnum = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const base64ish = `${alnum}abcdefghijklmnopqrstuvwxyz+/=`;
const chars = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** Shapes AWS really uses, plus cluster names well beyond what EKS allows (the signer must not care). */
const caseArbitrary: fc.Arbitrary<Case> = fc.record(
  {
    accessKeyId: fc.tuple(fc.constantFrom('AKIA', 'ASIA'), chars(alnum, 16, 16)).map(([p, r]) => p + r),
    secretAccessKey: chars(base64ish, 40, 40),
    sessionToken: chars(base64ish, 20, 400),
    region: fc.constantFrom(
      'us-east-1',
      'us-west-2',
      'eu-central-2',
      'ap-southeast-7',
      'cn-northwest-1',
      'us-gov-east-1',
      'il-central-1',
      'mx-central-1',
    ),
    clusterId: fc.oneof(
      fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,99}$/),
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
        // U+FEFF: JavaScript whitespace but not Python's; eksauth refuses it (src/token/unsignable.ts).
        .filter((s) => s.trim() !== '' && [...s].every((c) => c >= ' ' && c !== '\u007f' && c !== '\ufeff')),
    ),
    time: fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z')),
  },
  { requiredKeys: ['accessKeyId', 'secretAccessKey', 'region', 'clusterId', 'time'] },
);

function botocoreMint(cases: Case[]): { url?: string; token?: string; error?: string }[] {
  const result = spawnSync('python3', [join(ROOT, 'test/helpers/botocore_presign.py')], {
    input: cases.map((c) => JSON.stringify(c)).join('\n'),
    encoding: 'utf8',
    // No real credentials or config may leak in: the helper sets its own.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: '/nonexistent',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    },
  });
  if (result.status !== 0) throw new Error(`botocore helper failed: ${result.stderr}`);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { url?: string; token?: string; error?: string });
}

function ours(c: Case): string {
  const env = c.env ?? {};
  const endpoint = stsEndpointFor({
    region: c.region,
    regionalEndpoints: env.AWS_STS_REGIONAL_ENDPOINTS,
    useFips: env.AWS_USE_FIPS_ENDPOINT === 'true',
    useDualStack: env.AWS_USE_DUALSTACK_ENDPOINT === 'true',
  });
  const credentials = {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
  };
  return presignGetCallerIdentity({
    credentials,
    host: endpoint.host,
    signingRegion: endpoint.signingRegion,
    clusterId: c.clusterId,
    now: new Date(c.time),
  });
}

describe.skipIf(BOTOCORE === undefined)(
  `tokens equal botocore's (${BOTOCORE ?? 'python3 with botocore not found: skipped'})`,
  () => {
    const expected = BOTOCORE === undefined ? [] : botocoreMint(CASES.map(([, c]) => c));

    it.each(CASES.map(([name, c], i) => [name, c, i] as const))('%s', (_, c, i) => {
      const reference = expected[i];
      expect(reference?.error).toBeUndefined();
      const url = ours(c);
      expect(url).toBe(reference?.url);
      expect(tokenFromPresignedUrl(url)).toBe(reference?.token);
    });

    it('agrees on 60 generated cases (credentials, session tokens, regions, names, times)', () => {
      const cases = fc.sample(caseArbitrary, { numRuns: 60, seed: 20261123 });
      const reference = botocoreMint(cases);
      cases.forEach((c, i) => {
        expect(reference[i]?.error, JSON.stringify(c)).toBeUndefined();
        expect(ours(c), JSON.stringify(c)).toBe(reference[i]?.url);
      });
      // One Python process signs all 60: seconds when idle, a minute on a loaded two-core machine.
    }, 180_000);

    it('catches a one-character difference (the comparison can fail)', () => {
      const [, c] = CASES[0] ?? ['', KEYS as Case];
      expect(ours({ ...c, clusterId: 'Demo' })).not.toBe(expected[0]?.url);
    });
  },
);

/** Fake keys and nothing from the user's setup: the aws CLI runs offline. */
const cleanEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
});

/** Runs the installed aws CLI offline with fake keys and nothing from the user's setup. */
function awsGetToken(extraEnv: Record<string, string>): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('aws', ['eks', 'get-token', '--cluster-name', 'demo'], {
    encoding: 'utf8',
    env: { ...cleanEnv(), ...extraEnv },
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** The same, without blocking: several CLI runs (about a second each) can overlap. */
function awsGetTokenAsync(extraEnv: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('aws', ['eks', 'get-token', '--cluster-name', 'demo'], { env: { ...cleanEnv(), ...extraEnv } });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (status) => (status === 0 ? resolve(stdout) : reject(new Error(`aws exited ${status}`))));
  });
}

describe.skipIf(AWS_CLI === undefined)(`the installed aws CLI (${AWS_CLI ?? 'aws not found: skipped'})`, () => {
  it.each([
    ['us-east-1', { AWS_DEFAULT_REGION: 'us-east-1' }, 'aws', 'sts.us-east-1.amazonaws.com'],
    ['cn-north-1', { AWS_DEFAULT_REGION: 'cn-north-1' }, 'aws-cn', 'sts.cn-north-1.amazonaws.com.cn'],
    [
      'us-gov-west-1 with a session token',
      { AWS_DEFAULT_REGION: 'us-gov-west-1', AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEJr//abc+def=' },
      'aws-us-gov',
      'sts.us-gov-west-1.amazonaws.com',
    ],
    ['legacy', { AWS_DEFAULT_REGION: 'us-west-2', AWS_STS_REGIONAL_ENDPOINTS: 'legacy' }, 'aws', 'sts.amazonaws.com'],
  ] as const)('mints tokens the authenticator accepts: %s', (_, env, partition, host) => {
    const run = awsGetToken(env);
    expect(run.status, run.stderr).toBe(0);
    const credential = JSON.parse(run.stdout) as { status: { token: string; expirationTimestamp: string } };
    const result = validateToken(credential.status.token, { partition, now: new Date() });
    expect(result).toMatchObject({
      ok: true,
      token: { stsHost: host, expiresParam: 60, signedHeaders: ['host', 'x-k8s-aws-id'] },
    });
    if (result.ok) {
      // The CLI advertises 14 of the 15 minutes.
      expect(Date.parse(credential.status.expirationTimestamp) - result.token.signedAt.getTime()).toBe(14 * 60_000);
      expect(result.token.hasSessionToken).toBe('AWS_SESSION_TOKEN' in env);
    }
  });

  it('chooses the same endpoint and scope as we do for every setting', async () => {
    const settings: Record<string, string>[] = [
      { AWS_DEFAULT_REGION: 'eu-west-3' },
      { AWS_DEFAULT_REGION: 'eu-west-3', AWS_STS_REGIONAL_ENDPOINTS: 'legacy' },
      { AWS_DEFAULT_REGION: 'ap-east-1', AWS_STS_REGIONAL_ENDPOINTS: 'legacy' },
      { AWS_DEFAULT_REGION: 'us-west-2', AWS_USE_FIPS_ENDPOINT: 'true' },
      { AWS_DEFAULT_REGION: 'us-west-2', AWS_USE_DUALSTACK_ENDPOINT: 'true' },
      { AWS_DEFAULT_REGION: 'us-west-2', AWS_USE_DUALSTACK_ENDPOINT: 'true', AWS_USE_FIPS_ENDPOINT: 'true' },
      {},
    ];
    const runs = await Promise.all(settings.map((env) => awsGetTokenAsync(env)));
    settings.forEach((env, i) => {
      const token = (JSON.parse(runs[i] ?? '') as { status: { token: string } }).status.token;
      const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
      const endpoint = stsEndpointFor({
        region: env.AWS_DEFAULT_REGION,
        regionalEndpoints: env.AWS_STS_REGIONAL_ENDPOINTS,
        useFips: env.AWS_USE_FIPS_ENDPOINT === 'true',
        useDualStack: env.AWS_USE_DUALSTACK_ENDPOINT === 'true',
      });
      expect({ env, host: url.host, scope: url.searchParams.get('X-Amz-Credential')?.split('/')[2] }).toEqual({
        env,
        host: endpoint.host,
        scope: endpoint.signingRegion,
      });
    });
  });
});
