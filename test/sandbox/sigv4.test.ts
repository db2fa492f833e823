import { describe, expect, it } from 'vitest';
import { expectedSignature, parseSigV4, type SignedRequestParts } from '../../src/sandbox/sigv4.js';

/** The `get-vanilla` case of AWS's published SigV4 test suite (aws-sig-v4-test-suite). */
describe('SigV4 verification', () => {
  const vanilla: SignedRequestParts = {
    method: 'GET',
    rawPath: '/',
    rawQuery: '',
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    },
    body: Buffer.alloc(0),
  };

  it('recomputes the published signature of get-vanilla', () => {
    const parsed = parseSigV4(vanilla);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.auth).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      region: 'us-east-1',
      service: 'service',
      signedHeaders: ['host', 'x-amz-date'],
    });
    expect(expectedSignature(vanilla, parsed.auth, 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')).toBe(
      parsed.auth.signature,
    );
    expect(expectedSignature(vanilla, parsed.auth, 'another-secret')).not.toBe(parsed.auth.signature);
  });

  it('tells a missing signature from a malformed one', () => {
    expect(parseSigV4({ ...vanilla, headers: { host: 'h' } })).toMatchObject({ ok: false, reason: 'missing' });
    expect(
      parseSigV4({ ...vanilla, headers: { host: 'h', authorization: 'AWS4-HMAC-SHA256 Credential=x' } }),
    ).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
