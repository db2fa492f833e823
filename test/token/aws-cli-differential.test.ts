import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { hasTool } from '../sandbox/helpers.js';

/**
 * `eksauth token` against the installed aws CLI's `aws eks get-token` (issue 13, item 4): for each
 * row of environment, flags and ~/.aws files, both mint offline and must sign with the same access
 * key for the same STS host and region, or both refuse. Keys are fake; nothing leaves the machine.
 */
const AWS_CLI = hasTool('aws');

const key = (tag: string) => ({ id: `AKIAEXAMPLE0000${tag}`, secret: `secret/${tag}/wJalrXUtnFEMI/K7MDENGbPxRfiCY` });
const ENV_KEY = key('ENVK');
const DEFAULT_KEY = key('DFLT');
const P_KEY = key('PROF');

const CONFIG = `[default]
region = us-west-2

[profile p]
region = eu-west-1

[profile commented]
region = eu-west-1 # prod account

[profile semicolon]
region = eu-west-2 ; staging
`;
const CREDENTIALS = `[default]
aws_access_key_id = ${DEFAULT_KEY.id}
aws_secret_access_key = ${DEFAULT_KEY.secret}

[p]
aws_access_key_id = ${P_KEY.id}
aws_secret_access_key = ${P_KEY.secret}

[commented]
aws_access_key_id = ${P_KEY.id}
aws_secret_access_key = ${P_KEY.secret}

[semicolon]
aws_access_key_id = ${P_KEY.id}
aws_secret_access_key = ${P_KEY.secret}
`;

const envKeys = { AWS_ACCESS_KEY_ID: ENV_KEY.id, AWS_SECRET_ACCESS_KEY: ENV_KEY.secret };
interface Row {
  env: Record<string, string>;
  args: string[];
}
const ROWS: [string, Row][] = [
  ['environment keys only', { env: envKeys, args: [] }],
  ['environment keys beat AWS_PROFILE', { env: { ...envKeys, AWS_PROFILE: 'p' }, args: [] }],
  ['--profile beats environment keys', { env: envKeys, args: ['--profile', 'p'] }],
  ['AWS_PROFILE alone', { env: { AWS_PROFILE: 'p' }, args: [] }],
  ['the default profile', { env: {}, args: [] }],
  ['an empty AWS_SESSION_TOKEN is unset', { env: { ...envKeys, AWS_SESSION_TOKEN: '' }, args: [] }],
  ['AWS_DEFAULT_REGION beats the profile', { env: { AWS_PROFILE: 'p', AWS_DEFAULT_REGION: 'sa-east-1' }, args: [] }],
  [
    '--region beats everything',
    { env: { AWS_PROFILE: 'p', AWS_REGION: 'ap-south-1' }, args: ['--region', 'ca-central-1'] },
  ],
  ['an inline # comment is part of the value (both refuse)', { env: {}, args: ['--profile', 'commented'] }],
  ['an inline ; comment is part of the value (both refuse)', { env: { AWS_PROFILE: 'semicolon' }, args: [] }],
];

interface Minted {
  ok: boolean;
  accessKeyId?: string;
  host?: string;
  scope?: string;
  sessionToken?: string | null;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

function minted(result: { code: number; stdout: string }): Minted {
  if (result.code !== 0) return { ok: false };
  const token = (JSON.parse(result.stdout) as { status: { token: string } }).status.token;
  const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
  const [accessKeyId, , region] = (url.searchParams.get('X-Amz-Credential') ?? '').split('/');
  return {
    ok: true,
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
    host: url.host,
    ...(region === undefined ? {} : { scope: region }),
    sessionToken: url.searchParams.get('X-Amz-Security-Token'),
  };
}

describe.skipIf(!AWS_CLI)('eksauth token picks the credentials and region aws eks get-token picks', () => {
  let home: string;
  let base: Record<string, string>;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'eksauth-awscli-diff-'));
    writeFileSync(join(home, 'config'), CONFIG);
    writeFileSync(join(home, 'credentials'), CREDENTIALS);
    base = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CACHE_HOME: join(home, 'cache'),
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_COLOR: '1',
    };
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it.each(ROWS)(
    '%s',
    async (_, row) => {
      const env = { ...base, ...row.env };
      const [aws, ours] = await Promise.all([
        run('aws', ['eks', 'get-token', '--cluster-name', 'demo', ...row.args], env),
        run(process.execPath, [BIN, 'token', '--cluster', 'demo', '--no-cache', ...row.args], env),
      ]);
      expect(minted(ours)).toEqual(minted(aws));
    },
    60_000,
  );

  // A difference kept, and said: botocore 1.x (aws CLI v1) reads only AWS_DEFAULT_REGION (its
  // 'region' session variable), while the aws CLI v2 and every AWS SDK, including the JS SDK that
  // doctor's clients use, also read AWS_REGION first. eksauth reads AWS_REGION like them.
  it('AWS_REGION: the aws CLI v1 ignores it, eksauth (like the CLI v2 and the SDKs) signs for it', async () => {
    const env = { ...base, AWS_PROFILE: 'p', AWS_REGION: 'ap-south-1' };
    const [aws, ours] = await Promise.all([
      run('aws', ['eks', 'get-token', '--cluster-name', 'demo'], env),
      run(process.execPath, [BIN, 'token', '--cluster', 'demo', '--no-cache'], env),
    ]);
    expect(minted(aws)).toMatchObject({ accessKeyId: P_KEY.id, scope: 'eu-west-1' });
    expect(minted(ours)).toMatchObject({ accessKeyId: P_KEY.id, scope: 'ap-south-1' });
  }, 60_000);

  it('the table covers both outcomes', async () => {
    const refused = await run(process.execPath, [BIN, 'token', '--cluster', 'demo', '--profile', 'commented'], base);
    expect(refused.code).toBe(3);
    const signed = minted(
      await run(process.execPath, [BIN, 'token', '--cluster', 'demo', '--no-cache'], {
        ...base,
        ...envKeys,
        AWS_PROFILE: 'p',
      }),
    );
    expect(signed).toMatchObject({ ok: true, accessKeyId: ENV_KEY.id, scope: 'eu-west-1' });
  }, 60_000);
});
