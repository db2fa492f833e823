import { describe, expect, test } from 'vitest';
import { parseGoStringSlice, parseLogrusLine } from '../../src/logs/logrus.js';
import { forTerminal } from '../../src/report/sanitise.js';
import { ROLE, logrusLine } from './fixtures.js';

describe('parseLogrusLine', () => {
  test('reads fixed keys and fields, quoted and bare', () => {
    const line = parseLogrusLine(
      `time="2026-12-03T12:04:00Z" level=info msg="access granted" arn="${ROLE}" client="127.0.0.1:52314" groups="[system:masters system:nodes]" method=POST path=/authenticate uid="aws-iam-authenticator:111122223333:AROAX" username=kubernetes-admin`,
    );
    expect(line).toEqual({
      time: '2026-12-03T12:04:00Z',
      level: 'info',
      msg: 'access granted',
      fields: {
        arn: ROLE,
        client: '127.0.0.1:52314',
        groups: '[system:masters system:nodes]',
        method: 'POST',
        path: '/authenticate',
        uid: 'aws-iam-authenticator:111122223333:AROAX',
        username: 'kubernetes-admin',
      },
    });
  });

  test('undoes Go %q escapes', () => {
    const line = parseLogrusLine(
      'level=warning msg="access denied" error="input token was not properly formatted: unexpected hostname \\"sts.evil.example\\" in pre-signed URL\\n\\t\\x1b[31m\\u00e9\\U0001F600 \\\\"',
    );
    expect(line?.fields.error).toBe(
      'input token was not properly formatted: unexpected hostname "sts.evil.example" in pre-signed URL\n\t\x1b[31mé😀 \\',
    );
  });

  test('hostile values come out of the one sanitiser inert', () => {
    const line = parseLogrusLine(
      logrusLine('2026-12-03T12:04:00Z', 'info', 'access granted', { username: 'a\x1b]8;;http://x\x07b\nc' }),
    );
    const printed = forTerminal(line?.fields.username ?? '');
    expect(printed).not.toContain('\x1b');
    expect(printed).not.toContain('\x07');
  });

  test.each([
    ['not logrus at all', 'GET /healthz 200'],
    ['an unterminated quote', 'level=info msg="access granted'],
    ['a bad escape', 'level=info msg="bad \\q escape"'],
    ['a short \\x escape', 'level=info msg="\\x4"'],
    ['text glued after a quote', 'level=info msg="a"b'],
  ])('refuses %s', (_, text) => {
    expect(parseLogrusLine(text)).toBeUndefined();
  });
});

describe('parseGoStringSlice', () => {
  test.each([
    ['[system:masters]', ['system:masters']],
    ['[system:bootstrappers system:nodes]', ['system:bootstrappers', 'system:nodes']],
    ['[]', []],
  ])('%s', (text, groups) => {
    expect(parseGoStringSlice(text)).toEqual(groups);
  });
});
