import { describe, expect, test } from 'vitest';
import { TOKEN_CHECKS } from '../../../checks/token/index.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { CheckContext } from '../../../src/core/types.js';
import { unfilledPlaceholders } from '../../../src/core/render.js';
import type { TokenEvidence } from '../../../src/token/evidence.js';
import { contextWith, NOW, presigned, stsError, tokenEvidence, tokenOfUrl } from '../../helpers/token-evidence.js';

const token = tokenOfUrl(presigned());
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

/** One scenario per message id of every token/* check. */
const TOKEN_SCENARIOS: TokenEvidence[] = [
  tokenEvidence(`${token}==`),
  tokenEvidence(tokenOfUrl(presigned().replace(/&X-Amz-Signature=[^&]*/, ''))),
  tokenEvidence(token, { partition: 'aws-cn' }),
  tokenEvidence(tokenOfUrl(presigned().replace('host%3Bx-k8s-aws-id', 'host'))),
  tokenEvidence(token, { now: later(30) }),
  tokenEvidence(token, { replay: stsError('ExpiredToken', 'The security token included in the request is expired') }),
  tokenEvidence(token, { replay: stsError('SignatureDoesNotMatch', 'Signature expired: x is now earlier than y') }),
  tokenEvidence(token, {
    clusterName: 'other',
    replay: stsError('SignatureDoesNotMatch', 'The request signature we calculated does not match'),
  }),
  tokenEvidence(token, { now: later(-30) }),
  tokenEvidence(token, {
    replay: stsError('SignatureDoesNotMatch', 'Signature not yet current: x is still later than y'),
  }),
  tokenEvidence(token, {
    replay: {
      outcome: 'identity',
      status: 200,
      arn: 'arn:aws:iam::111122223333:user/a',
      account: '111122223333',
      userId: 'AIDA',
      stsDate: 'Mon, 23 Nov 2026 09:00:00 GMT',
      localDate: NOW.toISOString(),
    },
  }),
  tokenEvidence(tokenOfUrl(presigned({ signingRegion: 'eu-west-1' }))),
  tokenEvidence(token, {
    replay: stsError('RegionDisabledException', 'STS is not activated in this region for account:111122223333.'),
  }),
  tokenEvidence(token, { replay: { outcome: 'transport-error', message: 'getaddrinfo ENOTFOUND' } }),
  tokenEvidence(token, { replay: stsError('Throttling', 'Rate exceeded', 400) }),
  tokenEvidence(token, {
    replay: stsError('InvalidClientTokenId', 'The security token included in the request is invalid.'),
  }),
];

const caller = (clockOffsetMs: number) => ({
  arn: 'arn:aws:iam::111122223333:user/a',
  account: '111122223333',
  userId: 'AIDA',
  credentialSource: 'environment variables',
  clockOffsetMs,
});

/** And evidence without a token: the clock doctor measured, a collector's AWS call refused for its date. */
const SCENARIOS: CheckContext[] = [
  ...TOKEN_SCENARIOS.map(contextWith),
  { evidence: { caller: caller(20 * 60_000) } },
  { evidence: { caller: caller(-10 * 60_000) } },
  {
    evidence: {
      failures: {
        caller: {
          code: 'clock-skew',
          action: 'sts:GetCallerIdentity',
          message:
            "AWS refused sts:GetCallerIdentity for its date, so this machine's clock is off (RequestExpired: Request has expired.)",
        },
      },
    },
  },
];

describe('token/* findings render completely', () => {
  const rendered = SCENARIOS.flatMap((context) =>
    TOKEN_CHECKS.flatMap((check) => check.run(context).map((hit) => ({ check, hit }))),
  );

  test('every message id of every token check is exercised', () => {
    const seen = new Set(rendered.map(({ check, hit }) => `${check.meta.id}:${hit.messageId}`));
    const all = TOKEN_CHECKS.flatMap((c) => Object.keys(c.meta.messages).map((m) => `${c.meta.id}:${m}`));
    expect([...seen].sort()).toEqual(all.sort());
  });

  test('every placeholder of a message and its fix has a value', () => {
    for (const { check, hit } of rendered) {
      const spec = check.meta.messages[hit.messageId];
      const templates = [spec?.text, spec?.remediation, ...Object.values(spec?.fix ?? {}).flat()].filter(
        (t): t is string => typeof t === 'string',
      );
      const missing = templates.flatMap(unfilledPlaceholders).filter((name) => !(name in hit.data));
      expect(missing, `${check.meta.id}:${hit.messageId}`).toEqual([]);
      const finding = renderHit(check, hit);
      expect(finding.docsUrl).toContain(`/checks/${check.meta.id}.md`);
    }
  });
});
