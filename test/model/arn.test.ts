import { describe, expect, test } from 'vitest';
import { canonicalizeArn, stripRolePath } from '../../src/model/arn.js';
import { identityFromStsResponse, principalFromArn } from '../../src/model/principal.js';

describe('canonicalizeArn: test vectors A (authenticator-facts.md)', () => {
  test.each([
    ['arn:aws:iam::123456789012:user/Alice', 'arn:aws:iam::123456789012:user/Alice'],
    ['arn:aws:iam::123456789012:role/Users', 'arn:aws:iam::123456789012:role/Users'],
    ['arn:aws:sts::123456789012:assumed-role/Admin/Session', 'arn:aws:iam::123456789012:role/Admin'],
    ['arn:aws:sts::123456789012:federated-user/Bob', 'arn:aws:sts::123456789012:federated-user/Bob'],
    ['arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:root'],
    ['arn:aws:sts::123456789012:assumed-role/Org/Team/Admin/Session', 'arn:aws:iam::123456789012:role/Org/Team/Admin'],
    ['arn:aws-iso:iam::123456789012:user/Chris', 'arn:aws-iso:iam::123456789012:user/Chris'],
    ['arn:aws-iso-b:iam::123456789012:user/Chris', 'arn:aws-iso-b:iam::123456789012:user/Chris'],
    [
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com',
      'arn:aws:iam::111122223333:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef',
    ],
  ])('%s → %s', (input, expected) => {
    expect(canonicalizeArn(input)).toMatchObject({ ok: true, value: { canonicalArn: expected } });
  });

  test('keeps the SSO session name aside', () => {
    expect(canonicalizeArn('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_A_1/jane@example.com')).toMatchObject(
      { ok: true, value: { sessionName: 'jane@example.com' } },
    );
  });

  test.each([
    ['NOT AN ARN', 'is invalid'],
    ['arn', "arn 'arn' is invalid:"],
    [
      'arn:aws:sts::123456789012:assumed-role/Admin',
      "assumed-role arn 'arn:aws:sts::123456789012:assumed-role/Admin' does not have a role",
    ],
    ['arn:aws:iam::123456789012:group/Devs', 'unrecognized resource group/Devs for service iam'],
    ['arn:aws:s3:::bucket', 'service s3 in arn arn:aws:s3:::bucket is not a valid service for identities'],
    ['arn:aws-foo:iam::123456789012:user/a', 'does not have a recognized partition'],
  ])('%s is refused: %s', (input, message) => {
    const result = canonicalizeArn(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(message);
  });

  test('does not change case or trim', () => {
    expect(canonicalizeArn('arn:aws:sts::1:assumed-role/MiXeD/s')).toMatchObject({
      value: { canonicalArn: 'arn:aws:iam::1:role/MiXeD' },
    });
  });
});

describe('stripRolePath (DynamicFile only)', () => {
  test.each([
    ['arn:aws:iam::123456789012:role/Org/Team/Admin', 'arn:aws:iam::123456789012:role/Admin'],
    ['arn:aws:iam::123456789012:role/Admin', 'arn:aws:iam::123456789012:role/Admin'],
    ['arn:aws:iam::123456789012:user/Org/Alice', 'arn:aws:iam::123456789012:user/Org/Alice'],
    ['arn:aws:sts::123456789012:federated-user/Bob', 'arn:aws:sts::123456789012:federated-user/Bob'],
  ])('%s → %s', (input, expected) => expect(stripRolePath(input)).toBe(expected));
});

describe('identity from the STS response', () => {
  test.each([
    [
      {
        arn: 'arn:aws:sts::123456789012:assumed-role/Alice/session-name',
        userId: 'Alice:session-name',
        account: '123456789012',
      },
      { userId: 'Alice', sessionName: 'session-name' },
    ],
    [
      { arn: 'arn:aws:iam::123456789012:user/Alice', userId: 'Alice', account: '123456789012' },
      { userId: 'Alice', sessionName: '' },
    ],
    [
      { arn: 'arn:aws:iam::123456789012:root', userId: '123456789012', account: '123456789012' },
      { userId: '123456789012' },
    ],
    [
      { arn: 'arn:aws:sts::123456789012:federated-user/Alice', userId: '123456789012:Alice', account: '123456789012' },
      { userId: '123456789012:Alice' },
    ],
  ])('%o', (sts, expected) => {
    expect(identityFromStsResponse(sts, 'ASIABCDEFGHIJKLMNOPQ')).toMatchObject({
      ok: true,
      value: { ...expected, accessKeyId: 'ASIABCDEFGHIJKLMNOPQ' },
    });
  });

  test('a role identity with a malformed UserId is refused', () => {
    const result = identityFromStsResponse(
      { arn: 'arn:aws:sts::1:assumed-role/A/s', userId: 'not:vailid:userid', account: '1' },
      'x',
    );
    expect(result.ok ? '' : result.error).toContain('malformed UserID');
  });
});

describe('principalFromArn', () => {
  test('an IAM role with a path canonicalises without it but remembers it', () => {
    expect(principalFromArn('arn:aws:iam::111122223333:role/development/apps/my-role')).toMatchObject({
      ok: true,
      value: {
        kind: 'role',
        name: 'my-role',
        path: '/development/apps/',
        canonicalArn: 'arn:aws:iam::111122223333:role/my-role',
        iamArn: 'arn:aws:iam::111122223333:role/development/apps/my-role',
      },
    });
  });

  test('a role ARN ending in a slash (seed 1) has no name', () => {
    expect(principalFromArn('arn:aws:iam::000000000000:role/aws-reserved/').ok).toBe(false);
  });

  test('every field of each principal kind, from the ARN alone', () => {
    expect(principalFromArn(' arn:aws:iam::111122223333:role/Admin ', 'ci')).toEqual({
      ok: true,
      value: {
        input: 'arn:aws:iam::111122223333:role/Admin',
        kind: 'role',
        partition: 'aws',
        accountId: '111122223333',
        name: 'Admin',
        path: '/',
        canonicalArn: 'arn:aws:iam::111122223333:role/Admin',
        iamArn: 'arn:aws:iam::111122223333:role/Admin',
        sessionName: 'ci',
      },
    });
    expect(principalFromArn('arn:aws-cn:sts::111122223333:assumed-role/Admin/alice')).toEqual({
      ok: true,
      value: {
        input: 'arn:aws-cn:sts::111122223333:assumed-role/Admin/alice',
        kind: 'role',
        partition: 'aws-cn',
        accountId: '111122223333',
        name: 'Admin',
        canonicalArn: 'arn:aws-cn:iam::111122223333:role/Admin',
        iamArn: 'arn:aws-cn:iam::111122223333:role/Admin',
        sessionName: 'alice',
      },
    });
    expect(principalFromArn('arn:aws:iam::111122223333:user/ops/bob', 'ignored')).toEqual({
      ok: true,
      value: {
        input: 'arn:aws:iam::111122223333:user/ops/bob',
        kind: 'user',
        partition: 'aws',
        accountId: '111122223333',
        name: 'bob',
        path: '/ops/',
        canonicalArn: 'arn:aws:iam::111122223333:user/ops/bob',
        iamArn: 'arn:aws:iam::111122223333:user/ops/bob',
        sessionName: '',
      },
    });
    expect(principalFromArn('arn:aws:iam::111122223333:root')).toMatchObject({
      ok: true,
      value: { kind: 'root', name: 'root', sessionName: '' },
    });
    // An IAM role ARN given without --session-name has no session yet (not an empty one).
    const plain = principalFromArn('arn:aws:iam::111122223333:role/Admin');
    expect(plain.ok && 'sessionName' in plain.value).toBe(false);
  });

  test('a role ARN ending in a slash is refused with the reason', () => {
    const result = principalFromArn('arn:aws:iam::000000000000:role/aws-reserved/');
    expect(result.ok ? '' : result.error).toBe(
      "role arn 'arn:aws:iam::000000000000:role/aws-reserved/' has no role name (it ends with '/')",
    );
  });
});
