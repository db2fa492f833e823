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

  describe("this machine's clock as the AWS SDK measured it (doctor, verify)", () => {
    const measured = (clockOffsetMs?: number) => ({
      evidence: {
        caller: {
          arn: 'arn:aws:iam::111122223333:user/a',
          account: '111122223333',
          userId: 'AIDA',
          credentialSource: 'environment variables',
          ...(clockOffsetMs !== undefined ? { clockOffsetMs } : {}),
        },
      },
    });

    test.each([
      ['no offset (under the SDK’s 5-minute threshold)', undefined],
      ['4 minutes behind', 4 * 60_000],
      ['4 minutes ahead', -4 * 60_000],
    ])('passes: %s', (_, offset) => {
      expect(check.run(measured(offset))).toEqual([]);
    });

    test('fails: 20 minutes behind, so every token arrives expired', () => {
      expect(check.run(measured(20 * 60_000))).toMatchObject([
        { messageId: 'clockBehind', affectsPrincipal: true, data: { skew: '20 min' } },
      ]);
    });

    test('warns: 10 minutes behind, so tokens die 10 minutes early', () => {
      const [hit] = check.run(measured(10 * 60_000));
      expect(hit).toMatchObject({ messageId: 'clockOff', data: { skew: '10 min', direction: 'behind' } });
      expect(hit?.affectsPrincipal).not.toBe(true);
      expect(String(hit?.data.consequence)).toContain('accepted for 5 min instead of 15 min');
    });

    test('warns: 10 minutes ahead, so tokens are dated in the future', () => {
      expect(check.run(measured(-10 * 60_000))).toMatchObject([
        { messageId: 'clockOff', data: { skew: '10 min', direction: 'ahead of' } },
      ]);
    });
  });

  describe('thresholds and subjects', () => {
    const machine = { kind: 'credentials', name: 'this machine' };
    const offsetBy = (clockOffsetMs: number) => ({
      evidence: {
        caller: {
          arn: 'arn:aws:iam::111122223333:user/a',
          account: '111122223333',
          userId: 'AIDA',
          credentialSource: 'env',
          clockOffsetMs,
        },
      },
    });

    test('exactly 15 minutes behind still leaves tokens a moment: a warning, not every token expired', () => {
      expect(check.run(offsetBy(15 * 60_000))).toMatchObject([
        { messageId: 'clockOff', subject: machine, data: { direction: 'behind' } },
      ]);
      expect(check.run(offsetBy(15 * 60_000 + 1000))).toMatchObject([{ messageId: 'clockBehind', subject: machine }]);
    });

    test('exactly 5 minutes either way is within tolerance', () => {
      expect(check.run(offsetBy(5 * 60_000))).toEqual([]);
      expect(check.run(offsetBy(-5 * 60_000))).toEqual([]);
    });

    test('ahead: tokens dated in the future, which STS may refuse', () => {
      const [hit] = check.run(offsetBy(-10 * 60_000));
      expect(hit?.subject).toEqual(machine);
      expect(String(hit?.data.consequence)).toBe(
        "tokens minted here are dated in the future; EKS's authenticator accepts that, but STS may refuse the replay as not yet current (its tolerance is unconfirmed)",
      );
    });

    test("AWS's refusal names the call, and its message without the final full stop", () => {
      const evidence = {
        failures: {
          cluster: { code: 'clock-skew' as const, action: 'eks:DescribeCluster', message: 'Signature expired.' },
        },
      };
      expect(check.run({ evidence })).toEqual([
        expect.objectContaining({
          messageId: 'awsRefusedDate',
          subject: machine,
          affectsPrincipal: true,
          data: { action: 'eks:DescribeCluster', error: 'Signature expired' },
        }),
      ]);
    });

    test("STS's clock exactly 5 minutes off is within tolerance", () => {
      expect(
        check.run(contextWith(tokenEvidence(token, { replay: identity('Mon, 23 Nov 2026 07:55:00 GMT') }))),
      ).toEqual([]);
    });
  });
});
