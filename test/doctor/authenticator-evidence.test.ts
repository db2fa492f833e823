import { describe, expect, test } from 'vitest';
import { authenticatorEvidenceFor } from '../../src/doctor/collect-principal.js';
import { shapeMismatch } from '../../src/doctor/evidence-shape.js';
import { SAVED_EVIDENCE_SHAPE } from '../../src/doctor/evidence-shape.js';
import { authenticatorDecisions } from '../../src/logs/authenticator.js';
import { KEY, ROLE, denied, granted, stsResponse } from '../logs/fixtures.js';

const READ = {
  logGroup: '/aws/eks/prod/cluster',
  since: '2026-12-03T11:00:00.000Z',
  until: '2026-12-03T12:00:00.000Z',
  truncated: false,
  eventsRead: 4,
};

describe("the principal's share of the authenticator log, as evidence holds it", () => {
  const decisions = authenticatorDecisions([
    stsResponse('2026-12-03T11:10:00Z'),
    granted('2026-12-03T11:10:00Z'),
    stsResponse('2026-12-03T11:20:00Z'),
    denied(
      '2026-12-03T11:20:00Z',
      `sts getCallerIdentity failed: error from AWS (expected 200, got 403) on eu-west-1 endpoint. Body: X-Amz-Credential=${KEY}/20261203/eu-west-1/sts/aws4_request&X-Amz-Signature=abcdef0123456789`,
    ),
  ]);

  test('access key ids are masked, error texts redacted, and nothing else is lost', () => {
    const evidence = authenticatorEvidenceFor({ read: READ, decisions }, { accessKeyId: KEY });
    const text = JSON.stringify(evidence);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('abcdef0123456789');
    expect(evidence.decisions.map((d) => [d.outcome, d.accessKeyId, d.matchedBy])).toEqual([
      ['denied', 'ASIA…3456', 'access-key-id'],
      ['granted', 'ASIA…3456', 'access-key-id'],
    ]);
    expect(evidence.decisions[1]?.arn).toBe(ROLE);
  });

  test('fits the saved-evidence shape, so --save-evidence replays it', () => {
    const evidence = authenticatorEvidenceFor({ read: READ, decisions }, { canonicalArn: ROLE });
    expect(shapeMismatch({ authenticatorLog: evidence }, SAVED_EVIDENCE_SHAPE, 'evidence')).toBeUndefined();
    expect(
      shapeMismatch({ authenticatorLog: { ...evidence, decisions: [{ time: 1 }] } }, SAVED_EVIDENCE_SHAPE, 'evidence'),
    ).toMatch(/authenticatorLog\.decisions\[0\]\.time/);
  });
});
