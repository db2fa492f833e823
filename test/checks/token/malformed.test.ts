import { describe, expect, test } from 'vitest';
import check from '../../../checks/token/malformed.js';
import { contextWith, presigned, tokenEvidence, tokenOfUrl } from '../../helpers/token-evidence.js';

describe('token/malformed', () => {
  test.each([
    ['no token evidence', undefined],
    ['a well-formed token', tokenEvidence(tokenOfUrl(presigned()))],
    [
      'a token refused for another reason (expired)',
      tokenEvidence(tokenOfUrl(presigned()), { now: new Date('2030-01-01T00:00:00Z') }),
    ],
  ])('passes: %s', (_, token) => {
    expect(check.run(contextWith(token))).toEqual([]);
  });

  test.each([
    ['padding', `${tokenOfUrl(presigned())}==`, 'illegal base64 data at input byte'],
    [
      'the wrong prefix',
      tokenOfUrl(presigned()).replace('v1.', 'v2.'),
      'token is missing expected "k8s-aws-v1." prefix',
    ],
    [
      'an extra parameter',
      tokenOfUrl(`${presigned()}&x-id=GetCallerIdentity`),
      'non-whitelisted query parameter "x-id"',
    ],
    [
      'X-Amz-Expires over 900',
      tokenOfUrl(presigned().replace('X-Amz-Expires=60', 'X-Amz-Expires=3600')),
      'invalid X-Amz-Expires parameter in pre-signed URL: 3600',
    ],
    ['a path', tokenOfUrl(presigned().replace('.com/?', '.com/x?')), 'unexpected path in pre-signed URL'],
  ])('fails: %s', (_, token, error) => {
    const hits = check.run(contextWith(tokenEvidence(token)));
    expect(hits).toMatchObject([
      { messageId: 'rejected', affectsPrincipal: true, subject: { kind: 'token', name: 'argument' } },
    ]);
    expect(hits[0]?.data.error).toContain(`input token was not properly formatted: ${error}`);
  });

  test('quotes the authenticator without the signature it may contain', () => {
    const url = presigned();
    const signature = new URL(url).searchParams.get('X-Amz-Signature') ?? '';
    const hits = check.run(contextWith(tokenEvidence(tokenOfUrl(url.replace('amazonaws', 'amazon aws')))));
    expect(String(hits[0]?.data.error)).toContain('invalid character " " in host name');
    expect(String(hits[0]?.data.error)).not.toContain(signature);
  });
});
