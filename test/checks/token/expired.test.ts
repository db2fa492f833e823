import { describe, expect, test } from 'vitest';
import check from '../../../checks/token/expired.js';
import { contextWith, NOW, presigned, stsError, tokenEvidence, tokenOfUrl } from '../../helpers/token-evidence.js';

const token = tokenOfUrl(presigned());
const after = (minutes: number, seconds = 0) => new Date(NOW.getTime() + minutes * 60_000 + seconds * 1000);

describe('token/expired', () => {
  test.each([
    ['no token evidence', undefined],
    ['a token one minute old', tokenEvidence(token, { now: after(1) })],
    ['exactly 15 minutes old (the server compares strictly)', tokenEvidence(token, { now: after(15) })],
    [
      'a replay that succeeded',
      tokenEvidence(token, {
        replay: {
          outcome: 'identity',
          status: 200,
          arn: 'arn:aws:iam::111122223333:user/a',
          account: '111122223333',
          userId: 'AIDA',
          localDate: NOW.toISOString(),
        },
      }),
    ],
    [
      'a replay refused for another reason',
      tokenEvidence(token, {
        replay: stsError('SignatureDoesNotMatch', 'The request signature we calculated does not match'),
      }),
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextWith(evidence))).toEqual([]);
  });

  test('fails: 15 minutes and 1 second after X-Amz-Date', () => {
    expect(check.run(contextWith(tokenEvidence(token, { now: after(15, 1) })))).toMatchObject([
      {
        messageId: 'expired',
        affectsPrincipal: true,
        data: { signedAt: '2026-11-23T08:00:00.000Z', expiresAt: '2026-11-23T08:15:00.000Z', ago: '1 s' },
      },
    ]);
  });

  test('fails: a Terraform token from an hour ago', () => {
    expect(check.run(contextWith(tokenEvidence(token, { now: after(75) })))).toMatchObject([
      { messageId: 'expired', data: { ago: '1 h' } },
    ]);
  });

  test('fails: STS says the signing session expired', () => {
    const evidence = tokenEvidence(token, {
      replay: stsError('ExpiredToken', 'The security token included in the request is expired'),
    });
    expect(check.run(contextWith(evidence))).toMatchObject([
      {
        messageId: 'credentialsExpired',
        data: { stsMessage: 'The security token included in the request is expired' },
      },
    ]);
  });

  test('fails: STS says the signature expired', () => {
    const evidence = tokenEvidence(token, {
      replay: stsError(
        'SignatureDoesNotMatch',
        'Signature expired: 20261123T080000Z is now earlier than 20261123T081600Z (20261123T083100Z - 15 min.)',
      ),
    });
    expect(check.run(contextWith(evidence))).toMatchObject([{ messageId: 'stsExpired' }]);
  });
});
