import { describe, expect, it } from 'vitest';
import { authenticatorLines, AUTHENTICATOR_ERRORS } from '../../src/sandbox/logs/authenticator-lines.js';
import { goQuote } from '../../src/model/go-strconv.js';
import { logrusTextLine } from '../../src/sandbox/logs/logrus-text.js';

const time = new Date('2024-03-14T15:31:44.512Z');
const sts = {
  accessKeyId: 'ASIAEXAMPLEKEY000001',
  arn: 'arn:aws:sts::111122223333:assumed-role/ci-deployer/gha-run-5531',
  accountId: '111122223333',
  userId: 'AROAEXAMPLEID00000001',
  session: 'gha-run-5531',
  stsEndpoint: 'sts.eu-central-1.amazonaws.com',
  canonicalArn: 'arn:aws:iam::111122223333:role/ci-deployer',
};
const request = { time, client: '127.0.0.1:40001' };

// Expected lines are written by hand from logrus text_formatter.go (time, level, msg, then keys
// sorted; bare values only of [A-Za-z0-9-._/@^+], else %q) and server.go's fields.
describe('the authenticator log lines, as logrus writes them', () => {
  it('access granted: STS response, then the canonical ARN, username, uid, groups', () => {
    expect(
      authenticatorLines(request, { kind: 'granted', sts, username: 'ci-deployer', groups: ['system:masters'] }),
    ).toEqual([
      'time="2024-03-14T15:31:44Z" level=info msg="STS response" accesskeyid=ASIAEXAMPLEKEY000001 accountid=111122223333 arn="arn:aws:sts::111122223333:assumed-role/ci-deployer/gha-run-5531" client="127.0.0.1:40001" method=POST path=/authenticate session=gha-run-5531 stsendpoint=sts.eu-central-1.amazonaws.com userid=AROAEXAMPLEID00000001',
      'time="2024-03-14T15:31:44Z" level=info msg="access granted" arn="arn:aws:iam::111122223333:role/ci-deployer" client="127.0.0.1:40001" groups="[system:masters]" method=POST path=/authenticate stsendpoint=sts.eu-central-1.amazonaws.com uid="aws-iam-authenticator:111122223333:AROAEXAMPLEID00000001" username=ci-deployer',
    ]);
  });

  it('access denied after STS: level=warning, the canonical ARN and the mapper error', () => {
    expect(authenticatorLines(request, { kind: 'mapping-failed', sts, error: AUTHENTICATOR_ERRORS.notMapped })[1]).toBe(
      'time="2024-03-14T15:31:44Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/ci-deployer" client="127.0.0.1:40001" error="identity is not mapped" method=POST path=/authenticate',
    );
  });

  it('access denied by Verify: one line, no ARN, the FormatError text with Go time.Time formatting', () => {
    expect(
      authenticatorLines(request, {
        kind: 'token-rejected',
        error: AUTHENTICATOR_ERRORS.expired(new Date('2024-03-14T15:10:02Z')),
      }),
    ).toEqual([
      'time="2024-03-14T15:31:44Z" level=warning msg="access denied" client="127.0.0.1:40001" error="input token was not properly formatted: X-Amz-Date parameter is expired (15 minute expiration) 2024-03-14 15:10:02 +0000 UTC" method=POST path=/authenticate',
    ]);
  });

  it('quotes like Go %q: escapes quotes, backslashes and controls; an empty value stays bare', () => {
    expect(goQuote('say "hi"\\\n\t\x01\u0085é')).toBe('"say \\"hi\\"\\\\\\n\\t\\x01\\u0085é"');
    expect(logrusTextLine(time, 'info', '', { session: '', a: ['x', 'y'] })).toBe(
      'time="2024-03-14T15:31:44Z" level=info a="[x y]" session=',
    );
    expect(logrusTextLine(time, 'info', 'm', { v: 'a-b.c_d/e@f^g+h' })).toBe(
      'time="2024-03-14T15:31:44Z" level=info msg=m v=a-b.c_d/e@f^g+h',
    );
  });
});
