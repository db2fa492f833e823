import { describe, expect, test } from 'vitest';
import { stsRefusal } from '../../src/token/validate.js';

// What STS refuses before it checks a signature (SigV4 presigned-URL rules), one field at a time.
const SIGNED_AT = new Date('2026-11-23T10:00:00Z');
const SCOPE = 'AKIAIOSFODNN7EXAMPLE/20261123/us-west-2/sts/aws4_request';
const refusal = (query: Record<string, string>, signedHeaders = ['host', 'x-k8s-aws-id']) =>
  stsRefusal({ query: { 'X-Amz-Signature': 'abc', ...query }, signedHeaders, signedAt: SIGNED_AT });
const UNPARSED = 'does not parse as ACCESS_KEY_ID/YYYYMMDD/REGION/sts/aws4_request';

describe('stsRefusal', () => {
  test('a well-formed token: no refusal, whatever the case of the parameter names', () => {
    expect(refusal({ 'X-Amz-Credential': SCOPE })).toBeUndefined();
    expect(
      stsRefusal({
        query: { 'x-amz-credential': SCOPE, 'x-amz-signature': 'abc' },
        signedHeaders: ['Host'],
        signedAt: SIGNED_AT,
      }),
    ).toBeUndefined();
  });

  test.each([
    ['no key id', '/20261123/us-west-2/sts/aws4_request'],
    ['a date of 7 digits', 'AKID/2026112/us-west-2/sts/aws4_request'],
    ['a date that is not digits', 'AKID/2026-11-2/us-west-2/sts/aws4_request'],
    ['no region', 'AKID/20261123//sts/aws4_request'],
    ['another service', 'AKID/20261123/us-west-2/iam/aws4_request'],
    ['another terminator', 'AKID/20261123/us-west-2/sts/aws4_requests'],
    ['no terminator', 'AKID/20261123/us-west-2/sts'],
    ['a part too many', 'AKID/20261123/us-west-2/sts/aws4_request/x'],
  ])('a credential scope with %s is refused, quoting the scope without the key id', (_, credential) => {
    const reason = refusal({ 'X-Amz-Credential': credential });
    expect(reason).toBe(`its credential scope "${credential.split('/').slice(1).join('/')}" ${UNPARSED}`);
  });

  test('an empty signature is no signature', () => {
    expect(
      stsRefusal({
        query: { 'X-Amz-Credential': SCOPE, 'X-Amz-Signature': '' },
        signedHeaders: ['host'],
        signedAt: SIGNED_AT,
      }),
    ).toBe('it has no X-Amz-Signature parameter: it is not signed');
  });

  test('a scope dated another day than X-Amz-Date', () => {
    expect(refusal({ 'X-Amz-Credential': SCOPE.replace('20261123', '20261124') })).toBe(
      'its credential scope is dated 20261124, but X-Amz-Date is on 20261123',
    );
  });

  test('signed headers without host are listed as signed, or "none"', () => {
    expect(refusal({ 'X-Amz-Credential': SCOPE }, ['x-k8s-aws-id', 'x-amz-date'])).toBe(
      'its signed headers (x-k8s-aws-id;x-amz-date) do not include host, which SigV4 always signs',
    );
    expect(refusal({ 'X-Amz-Credential': SCOPE }, [])).toBe(
      'its signed headers (none) do not include host, which SigV4 always signs',
    );
  });
});
