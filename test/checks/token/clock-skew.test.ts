import { describe, expect, test } from 'vitest';
import check from '../../../checks/token/clock-skew.js';
import { classifyFailure } from '../../../src/collect/failures.js';
import { contextWith, NOW, presigned, stsError, tokenEvidence, tokenOfUrl } from '../../helpers/token-evidence.js';

const token = tokenOfUrl(presigned());
const identity = (stsDate: string) =>
  ({
    outcome: 'identity',
    status: 200,
    arn: 'arn:aws:iam::111122223333:user/a',
    account: '111122223333',
    userId: 'AIDA',
    stsDate,
    localDate: NOW.toISOString(),
  }) as const;

describe('token/clock-skew', () => {
  test.each([
    ['no token evidence', undefined],
    ['a token minted a minute ago', tokenEvidence(token)],
    ['a token dated 4 minutes ahead', tokenEvidence(token, { now: new Date(NOW.getTime() - 4 * 60_000) })],
    ["STS's clock within a few seconds", tokenEvidence(token, { replay: identity('Mon, 23 Nov 2026 08:00:03 GMT') })],
    ['a transport error', tokenEvidence(token, { replay: { outcome: 'transport-error', message: 'ECONNREFUSED' } })],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextWith(evidence))).toEqual([]);
  });

  test('fails: a token dated 40 minutes ahead of this clock', () => {
    expect(check.run(contextWith(tokenEvidence(token, { now: new Date(NOW.getTime() - 40 * 60_000) })))).toMatchObject([
      { messageId: 'futureDated', data: { ahead: '40 min', signedAt: '2026-11-23T08:00:00.000Z' } },
    ]);
  });

  test('fails: STS says the signature is not yet current', () => {
    const evidence = tokenEvidence(token, {
      replay: stsError(
        'SignatureDoesNotMatch',
        'Signature not yet current: 20261123T080000Z is still later than 20261123T074000Z (20261123T072500Z + 15 min.)',
      ),
    });
    expect(check.run(contextWith(evidence))).toMatchObject([{ messageId: 'notYetValid', affectsPrincipal: true }]);
  });

  test("fails: STS's clock is 20 minutes behind ours", () => {
    expect(
      check.run(contextWith(tokenEvidence(token, { replay: identity('Mon, 23 Nov 2026 07:40:00 GMT') }))),
    ).toMatchObject([{ messageId: 'stsClockDiffers', data: { skew: '20 min', stsDate: '2026-11-23T07:40:00.000Z' } }]);
  });

  test('fails: AWS refused a collector call for its date, even with no token', () => {
    const refusal = Object.assign(
      new Error('Signature expired: 20261123T073000Z is now earlier than 20261123T075500Z (20261123T080000Z - 5 min.)'),
      { name: 'SignatureDoesNotMatch' },
    );
    const evidence = { failures: { caller: classifyFailure(refusal, 'sts:GetCallerIdentity') } };
    expect(check.run({ evidence })).toMatchObject([
      {
        messageId: 'awsRefusedDate',
        affectsPrincipal: true,
        data: {
          error:
            "AWS refused sts:GetCallerIdentity for its date, so this machine's clock is off (SignatureDoesNotMatch: Signature expired: 20261123T073000Z is now earlier than 20261123T075500Z (20261123T080000Z - 5 min.))",
        },
      },
    ]);
  });

  test('passes: other failures are not about the clock', () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const evidence = { failures: { accessEntries: classifyFailure(denied, 'eks:ListAccessEntries') } };
    expect(check.run({ evidence })).toEqual([]);
  });
});
