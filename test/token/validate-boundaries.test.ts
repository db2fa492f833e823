import { describe, expect, it } from 'vitest';
import { validateToken } from '../../src/token/validate.js';

// Edges of the authenticator's token checks that vectors B leave open (pkg/token/token.go Verify).
const toToken = (url: string): string => `k8s-aws-v1.${Buffer.from(url, 'utf8').toString('base64url')}`;
const NOW = new Date('2026-11-23T08:00:00Z');
const run = (url: string) => validateToken(toToken(url), { partition: 'aws', now: NOW });
const url = (
  host = 'sts.us-west-2.amazonaws.com',
  query = 'X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id',
) =>
  `https://${host}/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256` +
  `&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261123%2Fus-west-2%2Fsts%2Faws4_request&X-Amz-Date=20261123T080000Z` +
  `&${query}&X-Amz-Signature=${'a'.repeat(64)}`;

describe('token validation edges', () => {
  it('X-Amz-Expires=0 passes: the authenticator refuses only below 0 and above 900', () => {
    const result = run(url(undefined, 'X-Amz-Expires=0&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id'));
    expect(result).toMatchObject({ ok: true, token: { expiresParam: 0 } });
  });

  it('X-Amz-Expires=-1 is refused', () => {
    expect(run(url(undefined, 'X-Amz-Expires=-1&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id'))).toMatchObject({
      ok: false,
      checkId: 'token/malformed',
    });
  });

  it('a token refused before anything was read carries no partial facts', () => {
    const result = validateToken('k8s-aws-v2.abc', { partition: 'aws', now: NOW });
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('partial');
  });

  it('the signed-headers list, the access key id and the session-token flag are what the URL says', () => {
    const result = run(
      url(undefined, 'X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Security-Token=tok'),
    );
    expect(result).toMatchObject({
      ok: true,
      token: { signedHeaders: ['host', 'x-k8s-aws-id'], accessKeyId: 'AKIAIOSFODNN7EXAMPLE', hasSessionToken: true },
    });
  });

  it('a token without X-Amz-SignedHeaders reports an empty list, not [""]', () => {
    const result = run(url(undefined, 'X-Amz-Expires=60'));
    expect(result).toMatchObject({ ok: false, checkId: 'token/cluster-id-not-signed', partial: { signedHeaders: [] } });
  });

  it('of one parameter given twice, the first value is the one shown', () => {
    const result = run(url(undefined, 'X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Expires=61'));
    expect(result).toMatchObject({ ok: false, checkId: 'token/malformed' });
    if (!result.ok) expect(result.partial?.query?.['X-Amz-Expires']).toBe('60');
  });
});
