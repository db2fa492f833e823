import { describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { compare, observe } from '../../src/verify/compare.js';
import { parseExpectations } from '../../src/verify/expectations.js';
import { renderVerifyHuman } from '../../src/verify/render-human.js';
import { renderVerifyMarkdown } from '../../src/verify/render-markdown.js';
import type { ClusterResult } from '../../src/verify/run.js';

const ROLE = 'arn:aws:iam::111122223333:role/tfc-agent-role';

const report = (logs?: Report['logs']): Report => ({
  schemaVersion: 1,
  command: 'doctor',
  rootCause: null,
  findings: [],
  skipped: [],
  decision: { authenticated: false, source: null, username: null, groups: [] },
  ...(logs ? { logs } : {}),
});

const READ = {
  state: 'read' as const,
  logGroup: '/aws/eks/prod/cluster',
  since: '2026-12-03T11:30:00.000Z',
  until: '2026-12-03T12:30:00.000Z',
  eventsRead: 12,
  truncated: false,
};
const OFF = { state: 'unavailable' as const, reason: 'logging is off', how: 'turn it on' };

describe('verify records the authenticator verdict beside the expectation', () => {
  test('with the log on, the latest decision joins the observation and the matrix', () => {
    const withLog = report({
      authenticator: {
        ...READ,
        decisions: 2,
        agreement: 'agree',
        latest: {
          time: '2026-12-03T12:04:00.000Z',
          outcome: 'denied',
          error: 'identity is not mapped',
          explainedBy: 'identity/principal-not-mapped',
        },
      },
      audit: OFF,
    });
    const observation = observe(withLog, { probe: { status: 401, error: 'Unauthorized' } });
    expect(observation.authenticator).toEqual({
      time: '2026-12-03T12:04:00.000Z',
      outcome: 'denied',
      error: 'identity is not mapped',
      explainedBy: 'identity/principal-not-mapped',
      agreement: 'agree',
    });
    const expectation = parseExpectations(`principals:\n  - arn: ${ROLE}\n    authenticated: true\n`, 'e.yaml')
      .principals[0];
    if (!expectation) throw new Error('no principal');
    const results: ClusterResult[] = [
      {
        cluster: 'prod',
        region: 'eu-west-1',
        ms: 1,
        principals: [
          {
            expectation,
            observation,
            results: compare(expectation, observation),
            rootCause: null,
            report: withLog,
            evidence: {},
          },
        ],
      },
    ];
    const line = '2026-12-03T12:04:00.000Z denied "identity is not mapped" (identity/principal-not-mapped)';
    expect(renderVerifyHuman(results, { color: false })).toContain(`authenticator log  ${line}`);
    expect(renderVerifyMarkdown(results)).toContain('authenticator log');
  });

  test('with the log off, nothing is claimed', () => {
    expect(observe(report({ authenticator: OFF, audit: OFF }), {}).authenticator).toBeUndefined();
    expect(observe(report(), {}).authenticator).toBeUndefined();
  });
});
