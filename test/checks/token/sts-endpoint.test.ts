import { describe, expect, test } from 'vitest';
import check from '../../../checks/token/sts-endpoint.js';
import { contextWith, presigned, stsError, tokenEvidence, tokenOfUrl } from '../../helpers/token-evidence.js';

const token = tokenOfUrl(presigned());

describe('token/sts-endpoint', () => {
  test.each([
    ['no token evidence', undefined],
    ['a regional token scoped to its region', tokenEvidence(token)],
    [
      'the global host scoped to us-east-1',
      tokenEvidence(tokenOfUrl(presigned({ host: 'sts.amazonaws.com', signingRegion: 'us-east-1' }))),
    ],
    [
      'errors other checks explain',
      tokenEvidence(token, {
        replay: stsError('SignatureDoesNotMatch', 'The request signature we calculated does not match'),
      }),
    ],
    [
      'expired credentials',
      tokenEvidence(token, {
        replay: stsError('ExpiredToken', 'The security token included in the request is expired'),
      }),
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextWith(evidence))).toEqual([]);
  });

  test('fails: a scope for another region than the host', () => {
    expect(check.run(contextWith(tokenEvidence(tokenOfUrl(presigned({ signingRegion: 'us-east-1' })))))).toMatchObject([
      {
        messageId: 'scopeMismatch',
        affectsPrincipal: true,
        data: { host: 'sts.us-west-2.amazonaws.com', scopeRegion: 'us-east-1', scopeService: 'sts' },
      },
    ]);
  });

  test('fails: the global host scoped to another region', () => {
    expect(
      check.run(
        contextWith(tokenEvidence(tokenOfUrl(presigned({ host: 'sts.amazonaws.com', signingRegion: 'eu-west-1' })))),
      ),
    ).toMatchObject([{ messageId: 'scopeMismatch', data: { hostRegion: 'us-east-1', scopeRegion: 'eu-west-1' } }]);
  });

  test.each([
    [
      'a disabled opt-in region',
      stsError('RegionDisabledException', 'STS is not activated in this region for account:111122223333.'),
      'regionDisabled',
    ],
    ['throttling', stsError('Throttling', 'Rate exceeded', 400), 'throttled'],
    [
      'an unknown access key',
      stsError('InvalidClientTokenId', 'The security token included in the request is invalid.'),
      'stsRefused',
    ],
    [
      'an unreachable host',
      { outcome: 'transport-error', message: 'getaddrinfo ENOTFOUND sts.us-west-2.amazonaws.com' } as const,
      'unreachable',
    ],
  ])('fails: %s', (_, replay, messageId) => {
    expect(check.run(contextWith(tokenEvidence(token, { replay })))).toMatchObject([{ messageId }]);
  });
});
