import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRegionName } from '../../src/cli/region-name.js';
import { eksauth } from '../helpers/cli.js';

const KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
let home: string;
let env: Record<string, string>;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'eksauth-refusals-'));
  env = {
    HOME: home,
    XDG_CACHE_HOME: join(home, 'cache'),
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: '',
    AWS_DEFAULT_REGION: '',
    ...KEYS,
  };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('region names', () => {
  it.each([
    'us-east-1',
    'eu-west-3',
    'ap-southeast-7',
    'mx-central-1',
    'us-gov-west-1',
    'cn-north-1',
    'cn-northwest-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'us-isof-south-1',
    'eusc-de-east-1',
  ])('%s is a region name', (region) => expect(isRegionName(region)).toBe(true));

  it.each(['a/b?c#d', 'us-east-1.evil.example', 'us-east-1/', 'US-EAST-1', 'us-east-1 ', '', 'localhost', 'us-east'])(
    '%j is not',
    (region) => expect(isRegionName(region)).toBe(false),
  );

  /** One line, the right exit code, and no ExecCredential (so no host was built from it). */
  const refused = (args: string[], extraEnv: Record<string, string>, code: number, says: string) => {
    const result = eksauth(args, { env: { ...env, ...extraEnv } });
    expect(result.status, result.stderr).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(says)]);
  };

  it('token refuses a --region that is not a region, on the direct path and through the full CLI (exit 2)', () => {
    refused(['token', '--cluster', 'demo', '--region', 'a/b?c#d'], {}, 2, '--region "a/b?c#d" is not an AWS region');
    refused(['--no-color', 'token', '--cluster', 'demo', '--region', 'a/b?c#d'], {}, 2, 'is not an AWS region');
  });

  it('token refuses AWS_REGION or a profile region that is not a region (exit 3, the environment)', () => {
    refused(['token', '--cluster', 'demo'], { AWS_REGION: 'x.evil.example#' }, 3, 'AWS_REGION "x.evil.example#"');
    writeFileSync(join(home, 'config'), '[default]\nregion = a/b?c#d\n');
    refused(['token', '--cluster', 'demo'], { AWS_PROFILE: 'default' }, 3, 'the region of profile default "a/b?c#d"');
  });

  it('doctor, whoami and verify refuse it before any request', () => {
    for (const command of ['doctor', 'whoami'])
      refused([command, '--cluster', 'demo', '--region', 'a/b?c#d'], {}, 2, '--region "a/b?c#d"');
    writeFileSync(join(home, 'expect.yaml'), 'clusters: [demo]\nprincipals: []\n');
    refused(
      ['verify', '--cluster', 'demo', '--expect', join(home, 'expect.yaml'), '--region', 'a/b?c#d'],
      {},
      2,
      '--region "a/b?c#d"',
    );
    refused(['doctor', '--cluster', 'demo'], { AWS_REGION: 'a/b' }, 3, 'AWS_REGION "a/b"');
    writeFileSync(
      join(home, 'regional.yaml'),
      'version: 1\nclusters: [{ name: demo, region: "eu-west-1.evil.example" }]\nprincipals: []\n',
    );
    refused(
      ['verify', '--expect', join(home, 'regional.yaml')],
      {},
      2,
      'the region of cluster demo in the expectations file "eu-west-1.evil.example"',
    );
    refused(['decode-token', 'k8s-aws-v1.x', '--region', 'a/b?c#d'], {}, 2, '--region "a/b?c#d"');
  });
});

describe('token with expired credentials', () => {
  it('exits 3 with the expiry instead of minting a token STS will refuse', () => {
    const result = eksauth(['token', '--cluster', 'demo', '--region', 'us-east-1'], {
      env: { ...env, AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLE', AWS_CREDENTIAL_EXPIRATION: '2020-01-01T00:00:00Z' },
    });
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'eksauth: the AWS credentials expired at 2020-01-01T00:00:00.000Z: refresh them (aws sso login, a new session) and run again\n',
    );
  });

  it('still mints with credentials that are valid for a while yet', () => {
    const result = eksauth(['token', '--cluster', 'demo', '--region', 'us-east-1', '--no-cache'], {
      env: {
        ...env,
        AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLE',
        AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('k8s-aws-v1.');
  });
});

describe('an inline comment after a region in ~/.aws/config', () => {
  it('is part of the value, as botocore reads it: refused with where the comment has to go', () => {
    writeFileSync(join(home, 'config'), '[default]\nregion = eu-west-1 # prod account\n');
    const result = eksauth(['token', '--cluster', 'demo', '--no-cache'], { env });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('"eu-west-1 # prod account" is not an AWS region name');
    expect(result.stderr).toContain('comments only on their own line');
    expect(result.stdout).toBe('');
  });
});
