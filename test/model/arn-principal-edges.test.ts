import { describe, expect, it } from 'vitest';
import { iamPathOf, isAccountId, principalArnOf, stripRolePath } from '../../src/model/arn.js';
import { creatorFromArn, identityFromStsResponse, principalFromArn } from '../../src/model/principal.js';

// Edges of the ARN rules the authenticator applies: pkg/arn StripPath drops the path of IAM role ARNs
// only (users keep theirs, STS ARNs are not IAM ARNs); account ids are exactly twelve digits; the
// STS identity of a role carries its session name in the UserID after the colon.
const A = '111122223333';

describe('stripRolePath and iamPathOf', () => {
  it.each([
    [`arn:aws:iam::${A}:role/a/b/Name`, `arn:aws:iam::${A}:role/Name`, '/a/b/'],
    [`arn:aws:iam::${A}:role/Name`, `arn:aws:iam::${A}:role/Name`, '/'],
    [`arn:aws:iam:us-east-1:${A}:role/X`, `arn:aws:iam:us-east-1:${A}:role/X`, '/'],
    [`arn:aws:iam::${A}:user/dev/bob`, `arn:aws:iam::${A}:user/dev/bob`, '/dev/'],
    [`arn:aws:iam::${A}:user/bob`, `arn:aws:iam::${A}:user/bob`, '/'],
    [`arn:aws:sts::${A}:assumed-role/team/x`, `arn:aws:sts::${A}:assumed-role/team/x`, undefined],
    [`arn:aws:iam::${A}:group/dev/g`, `arn:aws:iam::${A}:group/dev/g`, undefined],
    [`arn:aws:iam::${A}:role`, `arn:aws:iam::${A}:role`, undefined],
    ['arn:aws:s3:::bucket/a/b', 'arn:aws:s3:::bucket/a/b', undefined],
    // Other services name roles and users too (QuickSight users, a role-shaped resource): not IAM, no path.
    [
      `arn:aws:quicksight:us-east-1:${A}:user/default/alice`,
      `arn:aws:quicksight:us-east-1:${A}:user/default/alice`,
      undefined,
    ],
    [`arn:aws:sso::${A}:role/team/x`, `arn:aws:sso::${A}:role/team/x`, undefined],
    ['garbage', 'garbage', undefined],
  ])('%s → %s, path %s', (arn, stripped, path) => {
    expect(stripRolePath(arn)).toBe(stripped);
    expect(iamPathOf(arn)).toBe(path);
  });

  it('principalArnOf trims, canonicalises a session to its role, and leaves garbage trimmed', () => {
    expect(principalArnOf(` arn:aws:sts::${A}:assumed-role/R/s `)).toBe(`arn:aws:iam::${A}:role/R`);
    expect(principalArnOf('  garbage  ')).toBe('garbage');
  });
});

describe('isAccountId: exactly twelve digits', () => {
  it.each([
    [A, true],
    ['012345678901', true],
    ['1111222233334', false],
    ['11112222333', false],
    [`x${A}`, false],
    [`${A}x`, false],
    ['', false],
  ])('%s: %s', (value, expected) => {
    expect(isAccountId(value)).toBe(expected);
  });
});

describe('principalFromArn: every kind, and the refusals', () => {
  it('refuses what is not an ARN, or not an identity', () => {
    expect(principalFromArn('not-an-arn')).toMatchObject({ ok: false, error: expect.stringContaining('not-an-arn') });
    expect(principalFromArn('arn:aws:s3:::b')).toMatchObject({ ok: false, error: expect.stringContaining('s3') });
  });

  it('root: its name is root, it has no path and no session', () => {
    const root = principalFromArn(`arn:aws:iam::${A}:root`);
    expect(root).toEqual({
      ok: true,
      value: {
        input: `arn:aws:iam::${A}:root`,
        kind: 'root',
        partition: 'aws',
        accountId: A,
        name: 'root',
        canonicalArn: `arn:aws:iam::${A}:root`,
        iamArn: `arn:aws:iam::${A}:root`,
        sessionName: '',
      },
    });
  });

  it('a user keeps its path, trimmed input', () => {
    expect(principalFromArn(`  arn:aws:iam::${A}:user/x/bob `)).toEqual({
      ok: true,
      value: {
        input: `arn:aws:iam::${A}:user/x/bob`,
        kind: 'user',
        partition: 'aws',
        accountId: A,
        name: 'bob',
        path: '/x/',
        canonicalArn: `arn:aws:iam::${A}:user/x/bob`,
        iamArn: `arn:aws:iam::${A}:user/x/bob`,
        sessionName: '',
      },
    });
  });

  it('a role session: the role, the session from the ARN unless one is given', () => {
    const session = `arn:aws:sts::${A}:assumed-role/R/s`;
    expect(principalFromArn(session)).toMatchObject({
      ok: true,
      value: { kind: 'role', name: 'R', canonicalArn: `arn:aws:iam::${A}:role/R`, sessionName: 's' },
    });
    expect(principalFromArn(session, 'other')).toMatchObject({ ok: true, value: { sessionName: 'other' } });
  });

  it('a federated user is its STS ARN, with no session name', () => {
    expect(principalFromArn(`arn:aws:sts::${A}:federated-user/bob`)).toMatchObject({
      ok: true,
      value: {
        kind: 'federated-user',
        name: 'bob',
        canonicalArn: `arn:aws:sts::${A}:federated-user/bob`,
        sessionName: '',
      },
    });
  });
});

describe('identityFromStsResponse and creatorFromArn', () => {
  it('refuses an ARN STS would never return', () => {
    expect(identityFromStsResponse({ arn: 'bad', userId: 'x', account: A }, 'AK').ok).toBe(false);
  });

  it('a role: UserID is "<unique id>:<session>"; a user: UserID as is, no session', () => {
    expect(
      identityFromStsResponse({ arn: `arn:aws:sts::${A}:assumed-role/R/s`, userId: 'AROAX:s', account: A }, 'AK'),
    ).toEqual({
      ok: true,
      value: {
        canonicalArn: `arn:aws:iam::${A}:role/R`,
        accountId: A,
        userId: 'AROAX',
        sessionName: 's',
        accessKeyId: 'AK',
      },
    });
    expect(identityFromStsResponse({ arn: `arn:aws:iam::${A}:user/u`, userId: 'AIDAX', account: A }, 'AK')).toEqual({
      ok: true,
      value: {
        canonicalArn: `arn:aws:iam::${A}:user/u`,
        accountId: A,
        userId: 'AIDAX',
        sessionName: '',
        accessKeyId: 'AK',
      },
    });
  });

  it('a creator given as a session (with spaces) is its role; an IAM ARN is kept as given, trimmed', () => {
    expect(creatorFromArn(`  arn:aws:sts::${A}:assumed-role/R/s  `, 'flag')).toEqual({
      arn: `arn:aws:iam::${A}:role/R`,
      source: 'flag',
      sessionArn: `arn:aws:sts::${A}:assumed-role/R/s`,
    });
    expect(creatorFromArn(` arn:aws:iam::${A}:role/p/R `, 'cloudtrail')).toEqual({
      arn: `arn:aws:iam::${A}:role/p/R`,
      source: 'cloudtrail',
    });
  });
});
