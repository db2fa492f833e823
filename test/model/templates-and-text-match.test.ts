import { describe, expect, test } from 'vitest';
import { renderTemplate, unknownTemplateVariables } from '../../src/model/templates.js';
import { arnLikeMatches, editDistance } from '../../src/model/text-match.js';

describe('renderTemplate (pkg/server/server.go renderTemplate)', () => {
  const account = { accountId: '111122223333' };

  test('every known variable, with the session known', () => {
    const context = { ...account, sessionName: 'i-0123456789abcdef0', accessKeyId: 'ASIAEXAMPLE' };
    expect(renderTemplate('{{AccountID}}/{{SessionName}}/{{SessionNameRaw}}/{{AccessKeyID}}', context)).toEqual({
      ok: true,
      value: '111122223333/i-0123456789abcdef0/i-0123456789abcdef0/ASIAEXAMPLE',
    });
    expect(renderTemplate('system:node:{{EC2PrivateDNSName}}', context)).toEqual({
      ok: true,
      value: 'system:node:<private DNS name of i-0123456789abcdef0>',
    });
  });

  test('SessionName replaces @ with -, SessionNameRaw keeps it; every occurrence', () => {
    const context = { ...account, sessionName: 'alice@example.com' };
    expect(renderTemplate('{{SessionName}} {{SessionNameRaw}} {{SessionName}}', context)).toEqual({
      ok: true,
      value: 'alice-example.com alice@example.com alice-example.com',
    });
  });

  test('unknown session and key: the variables stay as text', () => {
    expect(renderTemplate('{{EC2PrivateDNSName}} {{SessionName}} {{SessionNameRaw}} {{AccessKeyID}}', account)).toEqual(
      {
        ok: true,
        value: '{{EC2PrivateDNSName}} {{SessionName}} {{SessionNameRaw}} {{AccessKeyID}}',
      },
    );
  });

  test('EC2PrivateDNSName with a session that is not an instance id fails the request', () => {
    expect(renderTemplate('system:node:{{EC2PrivateDNSName}}', { ...account, sessionName: 'alice' })).toEqual({
      ok: false,
      error:
        'error rendering username template "system:node:{{EC2PrivateDNSName}}": SessionName did not contain an instance id',
    });
  });

  test('unknown variables are named; known ones are not', () => {
    expect(unknownTemplateVariables('{{SessionName}}-{{sessionname}}-{{Foo}}-{{}}-{{AccountID}}')).toEqual([
      'sessionname',
      'Foo',
      '',
    ]);
    expect(unknownTemplateVariables('{{EC2PrivateDNSName}}{{SessionNameRaw}}{{AccessKeyID}}')).toEqual([]);
  });
});

describe('arnLikeMatches (IAM ArnLike)', () => {
  test.each([
    ['arn:aws:iam::*:role/Admin', 'arn:aws:iam::111122223333:role/admin', true],
    ['arn:aws:iam::111122223333:role/?dmin', 'arn:aws:iam::111122223333:role/Admin', true],
    ['arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/', true],
    ['arn:aws:iam::111122223333:role/**', 'arn:aws:iam::111122223333:role/a/b', true],
    ['*Admin*', 'arn:aws:iam::1:role/TeamAdminRole', true],
    ['*a*b', 'xaxb', true],
    ['*a*b', 'xaxbx', false],
    ['a*b', 'a*xb', true],
    ['a?c', 'a*c', true],
    ['arn:aws:iam::111122223333:role/?dmin', 'arn:aws:iam::111122223333:role/dmin', false],
    ['arn:aws:iam::111122223333:role/Admin', 'arn:aws:iam::111122223333:role/Admins', false],
    ['arn:aws:iam::111122223333:role/Admins', 'arn:aws:iam::111122223333:role/Admin', false],
    ['', '', true],
    ['', 'a', false],
  ])('%s ~ %s: %s', (pattern, value, expected) => {
    expect(arnLikeMatches(pattern, value)).toBe(expected);
  });
});

describe('editDistance', () => {
  test.each([
    ['mapRoles', 'mapRoles', 0],
    ['maproles', 'mapRoles', 1],
    ['mapRole', 'mapRoles', 1],
    ['mapUsers', 'mapRoles', 4],
    ['kitten', 'sitting', 3],
    ['a', 'abcdef', 4], // lengths 5 apart: cap + 1 without computing
    ['', 'abc', 3],
  ])('%s → %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  test('the cap is a parameter', () => {
    expect(editDistance('a', 'abcdef', 10)).toBe(5);
  });
});
