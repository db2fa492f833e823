import { describe, expect, test } from 'vitest';
import check from '../../../checks/token/malformed.js';
import { contextWith, presigned, tokenEvidence, tokenOfUrl } from '../../helpers/token-evidence.js';
import { expectRendered } from '../../helpers/check-table.js';

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

  // Tokens the authenticator passes on but STS can never accept: invalid offline, with the reason.
  const drop = (name: string) => (url: string) => url.replace(new RegExp(`&${name}=[^&]*`), '');
  test.each<[string, (url: string) => string, string]>([
    ['no X-Amz-Credential', drop('X-Amz-Credential'), 'no X-Amz-Credential parameter'],
    ['no X-Amz-Signature', drop('X-Amz-Signature'), 'no X-Amz-Signature parameter'],
    [
      'a credential scope without its terminator',
      (url) => url.replace('%2Fsts%2Faws4_request', '%2Fsts'),
      'credential scope "20261123/us-west-2/sts" does not parse',
    ],
    [
      'a credential scope for another service',
      (url) => url.replace('%2Fsts%2F', '%2Fiam%2F'),
      'does not parse as ACCESS_KEY_ID/YYYYMMDD/REGION/sts/aws4_request',
    ],
    [
      'a credential scope dated another day',
      (url) => url.replace('%2F20261123%2F', '%2F20261122%2F'),
      'dated 20261122, but X-Amz-Date is on 20261123',
    ],
    [
      'signed headers without host',
      (url) => url.replace('X-Amz-SignedHeaders=host%3Bx-k8s-aws-id', 'X-Amz-SignedHeaders=x-k8s-aws-id'),
      'signed headers (x-k8s-aws-id) do not include host',
    ],
  ])('fails offline, STS would refuse: %s', (_, mutate, reason) => {
    const token = tokenEvidence(tokenOfUrl(mutate(presigned())));
    expect(token.validation).toMatchObject({ ok: false, checkId: 'token/malformed', by: 'sts' });
    const hits = check.run(contextWith(token));
    expect(hits).toMatchObject([{ messageId: 'stsRefuses', affectsPrincipal: true }]);
    expect(String(hits[0]?.data.error)).toContain(reason);
    expect(String(hits[0]?.data.error)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expectRendered(check, hits);
  });
});
