import { describe, expect, it } from 'vitest';
import { configFileProfileName, parseProfileSettings, profileSectionEntries } from '../../src/token/aws-config.js';

describe('profileSectionEntries', () => {
  const bare = (header: string) => header;

  it('keeps every top-level entry of the profile, in order, repeats and empty values included', () => {
    const text = [
      '[default]',
      'Region = us-east-1',
      '  nested = skipped',
      'region =',
      '[profile other]',
      'region = other',
      '[default]',
      'role_arn =   arn:aws:iam::111122223333:role/A  ',
    ].join('\n');
    expect(profileSectionEntries(text, 'default', configFileProfileName)).toEqual([
      ['region', 'us-east-1'],
      ['region', ''],
      ['role_arn', 'arn:aws:iam::111122223333:role/A'],
    ]);
  });

  it('tells a profile without entries from a missing one', () => {
    expect(profileSectionEntries('[profile dev]\n# nothing\n', 'dev', configFileProfileName)).toEqual([]);
    expect(profileSectionEntries('[profile dev]\n', 'prod', configFileProfileName)).toBeUndefined();
    expect(profileSectionEntries('', 'default', configFileProfileName)).toBeUndefined();
  });

  it('names sections the way the caller says the file does', () => {
    const text = '[dev]\nregion = bare\n[profile dev]\nregion = prefixed\n';
    expect(profileSectionEntries(text, 'dev', bare)).toEqual([['region', 'bare']]);
    expect(profileSectionEntries(text, 'dev', configFileProfileName)).toEqual([['region', 'prefixed']]);
    expect(profileSectionEntries(text, 'profile dev', bare)).toEqual([['region', 'prefixed']]);
  });

  it('splits at the first `=` or `:`, as botocore does', () => {
    const text = '[default]\nregion: eu-west-3\nrole_arn = arn:aws:iam::111122223333:role/x\n';
    expect(profileSectionEntries(text, 'default', configFileProfileName)).toEqual([
      ['region', 'eu-west-3'],
      ['role_arn', 'arn:aws:iam::111122223333:role/x'],
    ]);
  });

  it('skips lines that are no setting: no `=`, no key, comments', () => {
    const text = '[default]\njust words\n= value\n#region = commented\n;region = commented\nregion==x\n';
    expect(profileSectionEntries(text, 'default', configFileProfileName)).toEqual([['region', '=x']]);
  });
});

describe('configFileProfileName', () => {
  it.each([
    ['default', 'default'],
    ['profile default', 'default'],
    ['profile dev', 'dev'],
    ['profile \t dev', 'dev'],
    ['profile\tdev', 'dev'],
    ['profile', undefined],
    ['dev', undefined],
    ['Default', undefined],
    ['Profile dev', undefined],
    ['sso-session dev', undefined],
    ['services dev', undefined],
  ])('[%s] is profile %s', (header, profile) => {
    expect(configFileProfileName(header)).toBe(profile);
  });
});

describe('parseProfileSettings', () => {
  it('ignores keys named like Object.prototype members', () => {
    const text = '[default]\nconstructor = x\n__proto__ = y\nhasOwnProperty = z\nregion = eu-west-1\n';
    expect(parseProfileSettings(text, 'default')).toEqual({ exists: true, region: 'eu-west-1' });
  });
});
