import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readProfileFacts } from '../../src/collect/shared-config.js';
import { readProfileSettings, type Env } from '../../src/token/aws-config.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'eksauth-shared-config-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Writes the two files where the env points and returns that env. */
function filesAt(config: string | undefined, credentials: string | undefined): Env {
  const env: Env = { HOME: home, AWS_CONFIG_FILE: join(home, 'cfg'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'creds') };
  if (config !== undefined) writeFileSync(join(home, 'cfg'), config);
  if (credentials !== undefined) writeFileSync(join(home, 'creds'), credentials);
  return env;
}

/**
 * One config file with every oddity the two readers have to agree on. Where the aws CLI v1
 * (botocore) reads it differently, the comment says so.
 */
const TRICKY_CONFIG = [
  '# a comment',
  '; another comment',
  '   # an indented comment',
  '[default]',
  'region = us-east-1',
  '[profile dev]',
  // Keys are case-insensitive; an inline `#` is part of the value, as in botocore.
  'REGION = eu-north-1 # not a comment',
  // A nested block (`s3 =` then indented lines) belongs to s3, not to the profile.
  's3 =',
  '  region = nested',
  '  role_arn = arn:aws:iam::111122223333:role/Nested',
  'sso_session = corp',
  '=no-key',
  'not a setting',
  // `[dev]` is not `[profile dev]` in the config file, nor is an sso-session or a capitalised word.
  '[dev]',
  'region = bare-section',
  '[sso-session dev]',
  'region = sso-session-section',
  '[Profile dev]',
  'region = capitalised-profile',
  '[Default]',
  'region = capitalised-default',
  // Whitespace around the header and between the words is ignored (botocore would not find it).
  '[  profile \t spaced  ]',
  'region = ap-south-1',
  // `[profile default]` is the default profile too, and a repeated section adds to the first.
  '[profile default]',
  'credential_process = /bin/creds',
  '[profile dev]',
  'role_arn = arn:aws:iam::111122223333:role/Dev',
  // A key indented right under its header is skipped (botocore would read it).
  '[profile indented]',
  '\tregion = indented',
  '[profile empty]',
  '',
].join('\r\n');

describe('the token reader and the collector on the same config file', () => {
  it('find the same profiles and the same settings', () => {
    const env = filesAt(TRICKY_CONFIG, undefined);
    expect(readProfileSettings('dev', env)).toEqual({
      exists: true,
      region: 'eu-north-1 # not a comment',
      ssoSession: 'corp',
      roleArn: 'arn:aws:iam::111122223333:role/Dev',
    });
    expect(readProfileFacts('dev', env)).toEqual({
      exists: true,
      region: 'eu-north-1 # not a comment',
      regionFile: env.AWS_CONFIG_FILE,
      ssoSession: 'corp',
      roleArn: 'arn:aws:iam::111122223333:role/Dev',
      hasStaticKeys: false,
    });
    expect(readProfileSettings('default', env)).toEqual({
      exists: true,
      region: 'us-east-1',
      credentialProcess: '/bin/creds',
    });
    expect(readProfileFacts('default', env)).toMatchObject({
      exists: true,
      region: 'us-east-1',
      credentialProcess: '/bin/creds',
    });
    expect(readProfileSettings('spaced', env)).toEqual({ exists: true, region: 'ap-south-1' });
    expect(readProfileFacts('spaced', env)).toMatchObject({ exists: true, region: 'ap-south-1' });
    for (const profile of ['indented', 'empty']) {
      expect(readProfileSettings(profile, env)).toEqual({ exists: true });
      expect(readProfileFacts(profile, env)).toEqual({ exists: true, hasStaticKeys: false });
    }
    for (const profile of ['Default', 'Profile dev', 'sso-session dev', 'profile dev', 'missing']) {
      expect(readProfileSettings(profile, env)).toEqual({ exists: false });
      expect(readProfileFacts(profile, env)).toEqual({ exists: false, hasStaticKeys: false });
    }
  });

  it('agree on any config file whose wanted keys are never set empty', () => {
    // Pieces of real config files and of the oddities above; an empty value only for a nested
    // block's key, since empty values are where the two differ on purpose (below).
    const line = fc.oneof(
      fc.constantFrom('[default]', '[profile dev]', '[ profile  dev ]', '[dev]', '[sso-session dev]', '[Profile dev]'),
      fc
        .tuple(
          fc.constantFrom('', '  ', '\t'),
          fc.constantFrom('region', 'REGION', 'role_arn', 'sso_session', 'sso_start_url', 'credential_process'),
          fc.constantFrom('=', ' = '),
          fc.constantFrom('a', 'b # c', ' d '),
        )
        .map((parts) => parts.join('')),
      fc.constantFrom('s3 =', '# c', '; c', '', 'words', '= x'),
    );
    const configText = fc
      .tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'))
      .map(([lines, eol]) => lines.join(eol));
    fc.assert(
      fc.property(configText, fc.constantFrom('dev', 'default'), (text, profile) => {
        const env = filesAt(text, undefined);
        const { exists, region, ssoSession, ssoStartUrl, credentialProcess, roleArn } = readProfileSettings(
          profile,
          env,
        );
        const facts = readProfileFacts(profile, env);
        expect({ exists, region, ssoSession, ssoStartUrl, credentialProcess, roleArn }).toEqual({
          exists: facts.exists,
          region: facts.region,
          ssoSession: facts.ssoSession,
          ssoStartUrl: facts.ssoStartUrl,
          credentialProcess: facts.credentialProcess,
          roleArn: facts.roleArn,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('agree that missing or unreadable files hold no profiles', () => {
    const env = filesAt(undefined, undefined);
    expect(readProfileSettings('default', env)).toEqual({ exists: false });
    expect(readProfileFacts('default', env)).toEqual({ exists: false, hasStaticKeys: false });
    // A directory where the file should be cannot be read either.
    const directory = { ...env, AWS_CONFIG_FILE: home, AWS_SHARED_CREDENTIALS_FILE: home };
    expect(readProfileSettings('default', directory)).toEqual({ exists: false });
    expect(readProfileFacts('default', directory)).toEqual({ exists: false, hasStaticKeys: false });
  });

  it('fall back to ~/.aws under HOME without the env overrides', () => {
    const env: Env = { HOME: home };
    expect(readProfileSettings('home', env)).toEqual({ exists: false });
    expect(readProfileFacts('home', env)).toEqual({ exists: false, hasStaticKeys: false });
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'config'), '[profile home]\nregion = eu-west-2\n');
    writeFileSync(join(home, '.aws', 'credentials'), '[home]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n');
    expect(readProfileSettings('home', env)).toEqual({ exists: true, region: 'eu-west-2' });
    expect(readProfileFacts('home', env)).toEqual({
      exists: true,
      region: 'eu-west-2',
      regionFile: '~/.aws/config',
      hasStaticKeys: true,
    });
  });
});

describe('where the two readers differ on purpose', () => {
  it('the token reader lets an empty value leave an earlier one alone; the collector lets it blank it', () => {
    // botocore refuses a repeated key outright; the JS SDK reads `region =` as the start of a
    // nested block, which leaves the earlier value: the token reader matches the SDK.
    const env = filesAt('[profile twice]\nregion = us-west-2\nregion =\n', undefined);
    expect(readProfileSettings('twice', env)).toEqual({ exists: true, region: 'us-west-2' });
    expect(readProfileFacts('twice', env)).toEqual({ exists: true, hasStaticKeys: false });
  });

  it('both read the credentials file, where sections are bare profile names, and let it win', () => {
    const env = filesAt(
      '[profile dev]\nregion = eu-north-1\n',
      [
        '[dev]',
        'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
        'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'region = from-credentials',
        'source_profile = base',
        '[profile prod]',
        'region = not-prod',
        '[credentials-only]',
        'role_arn = arn:aws:iam::111122223333:role/Only',
        '',
      ].join('\n'),
    );
    expect(readProfileSettings('credentials-only', env)).toEqual({
      exists: true,
      roleArn: 'arn:aws:iam::111122223333:role/Only',
    });
    expect(readProfileSettings('dev', env)).toEqual({ exists: true, region: 'from-credentials' });
    expect(readProfileFacts('credentials-only', env)).toEqual({
      exists: true,
      roleArn: 'arn:aws:iam::111122223333:role/Only',
      hasStaticKeys: false,
    });
    // The credentials file wins over the config file, as in botocore and the JS SDK
    // (`aws configure get region --profile dev` answers from-credentials). The secret is never kept.
    expect(readProfileFacts('dev', env)).toEqual({
      exists: true,
      region: 'from-credentials',
      regionFile: env.AWS_SHARED_CREDENTIALS_FILE,
      sourceProfile: 'base',
      hasStaticKeys: true,
    });
    expect(readProfileFacts('prod', env)).toEqual({ exists: false, hasStaticKeys: false });
    expect(readProfileFacts('profile prod', env)).toEqual({
      exists: true,
      region: 'not-prod',
      regionFile: env.AWS_SHARED_CREDENTIALS_FILE,
      hasStaticKeys: false,
    });
  });

  it('the collector lets an empty credentials-file value hide the config file one', () => {
    const env = filesAt(
      '[profile dev]\nregion = from-config\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n',
      '[dev]\nregion =\naws_access_key_id =\n',
    );
    expect(readProfileFacts('dev', env)).toEqual({ exists: true, hasStaticKeys: false });
    const filled = filesAt('[profile dev]\nregion =\n', '[dev]\nregion = from-credentials\n');
    expect(readProfileFacts('dev', filled)).toEqual({
      exists: true,
      region: 'from-credentials',
      regionFile: filled.AWS_SHARED_CREDENTIALS_FILE,
      hasStaticKeys: false,
    });
  });

  it('static keys in the config file count too', () => {
    const env = filesAt('[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n', undefined);
    expect(readProfileFacts('default', env)).toEqual({ exists: true, hasStaticKeys: true });
    expect(readProfileSettings('default', env)).toEqual({ exists: true });
  });
});
