import { describe, expect, test } from 'vitest';
import check, { scopeMatchesHost } from '../../../checks/token/sts-endpoint.js';
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

  test('the refusal data: cluster, host region, status and code; a missing code is said to be missing', () => {
    const replay = { ...stsError('AccessDenied', 'denied'), code: undefined };
    const [hit] = check.run(contextWith(tokenEvidence(token, { replay })));
    expect(hit).toMatchObject({
      messageId: 'stsRefused',
      affectsPrincipal: true,
      data: {
        host: 'sts.us-west-2.amazonaws.com',
        hostRegion: 'us-west-2',
        region: 'us-west-2',
        status: 403,
        code: '(no error code)',
        stsMessage: 'denied',
      },
    });
  });

  test('a disabled region is recognised by its message alone, and blocks the principal', () => {
    const replay = stsError('', 'STS is not activated in this region for account:111122223333.');
    expect(check.run(contextWith(tokenEvidence(token, { replay })))).toMatchObject([
      { messageId: 'regionDisabled', affectsPrincipal: true },
    ]);
    expect(
      check.run(contextWith(tokenEvidence(token, { replay: stsError('RegionDisabledException', 'x') }))),
    ).toMatchObject([{ messageId: 'regionDisabled', affectsPrincipal: true }]);
  });

  test('expiry and not-yet-current messages are left to the expiry and clock checks, whatever the code', () => {
    for (const message of [
      'Signature expired: 20261123T073000Z',
      'Request has expired.',
      'Signature not yet current: x',
    ])
      expect(check.run(contextWith(tokenEvidence(token, { replay: stsError('AccessDenied', message) })))).toEqual([]);
  });
});

describe('scopeMatchesHost', () => {
  const scope = (region: string, service = 'sts') => ({ date: '20261123', region, service });
  test.each([
    ['no scope', { region: 'us-west-2' }, true],
    ['no host region', { scope: scope('eu-west-1') }, true],
    ['the same region', { region: 'us-west-2', scope: scope('us-west-2') }, true],
    ['another region', { region: 'us-west-2', scope: scope('eu-west-1') }, false],
    ['another service', { region: 'us-west-2', scope: scope('us-west-2', 'iam') }, false],
    ['the global host and us-east-1', { region: 'global', scope: scope('us-east-1') }, true],
    ['the global host and its own name', { region: 'global', scope: scope('global') }, false],
  ])('%s', (_, facts, expected) => {
    expect(scopeMatchesHost({ signedHeaders: ['host'], ...facts })).toBe(expected);
  });
});
