import { describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import type { Evidence } from '../../src/model/evidence.js';
import { compare, observe, type Observation } from '../../src/verify/compare.js';
import { parseExpectations, type PrincipalExpectation } from '../../src/verify/expectations.js';
import { escapeXml, renderVerifyJunit } from '../../src/verify/render-junit.js';
import type { ClusterResult } from '../../src/verify/run.js';
import { parseJunit } from '../helpers/junit.js';

const one = (yaml: string): PrincipalExpectation => {
  const principal = parseExpectations(`principals:\n${yaml}`, 'e.yaml').principals[0];
  if (!principal) throw new Error('no principal');
  return principal;
};

const report = (decision: Report['decision']): Report => ({
  schemaVersion: 1,
  command: 'doctor',
  rootCause: null,
  findings: [],
  skipped: [],
  ...(decision ? { decision } : {}),
});

describe('observation', () => {
  test('what the cluster answers wins over the prediction, and system:authenticated is implicit', () => {
    const evidence: Evidence = {
      probe: {
        status: 200,
        error: null,
        selfSubjectReview: { username: 'deployer:run-1', groups: ['deployers', 'system:authenticated'] },
        accessReviews: [{ verb: 'get', resource: 'pods', namespace: 'default', allowed: true }],
      },
    };
    const o = observe(
      report({ authenticated: true, source: 'aws-auth', username: 'deployer:{{SessionName}}', groups: ['deployers'] }),
      evidence,
    );
    expect(o).toMatchObject({
      authenticated: true,
      authenticatedFrom: 'observed',
      source: 'aws-auth',
      username: 'deployer:run-1',
      groups: ['deployers'],
      identityFrom: 'observed',
    });
  });

  test('without a probe the model predicts, and the matrix says so', () => {
    const o = observe(report({ authenticated: false, source: null, username: null, groups: [] }), {
      unavailable: { probe: 'no token for the principal' },
    });
    expect(o.authenticatedFrom).toBe('predicted');
    const [result] = compare(one('  - arn: arn:aws:iam::1:role/x\n    authenticated: false\n'), o);
    expect(result?.pass).toBe(true);
    expect(result?.observed).toMatch(/predicted by the model; no probe: no token for the principal/);
  });
});

describe('comparison', () => {
  const authenticated: Observation = {
    authenticated: true,
    authenticatedFrom: 'observed',
    source: 'access-entry',
    username: 'arn:aws:sts::1:assumed-role/deployer/run-9',
    groups: ['deployers', 'readers'],
    identityFrom: 'observed',
    access: [{ verb: 'create', resource: 'deployments', group: 'apps', namespace: 'payments', allowed: false }],
    probe: 'HTTP 200',
  };

  test('groups are a set: missing and extra groups both fail; patterns cover groups', () => {
    const check = (groups: string) =>
      compare(one(`  - arn: arn:aws:iam::1:role/deployer\n    groups: ${groups}\n`), authenticated)[0]?.pass;
    expect(check('[readers, deployers]')).toBe(true);
    expect(check('[deployers, readers, system:authenticated]')).toBe(true);
    expect(check('[deployers]')).toBe(false);
    expect(check('[deployers, readers, admins]')).toBe(false);
    expect(check('["*ers"]')).toBe(true);
    expect(check('[]')).toBe(false);
  });

  test('username patterns, source and can-i with group and namespace', () => {
    const results = compare(
      one(
        [
          '  - arn: arn:aws:iam::1:role/deployer',
          '    source: aws-auth',
          '    username: "arn:aws:sts::1:assumed-role/deployer/*"',
          '    can:',
          '      - { verb: create, resource: deployments, group: apps, namespace: payments, allowed: true }',
          '      - { verb: create, resource: deployments, namespace: payments, allowed: false }',
        ].join('\n'),
      ),
      authenticated,
    );
    expect(results.map((r) => [r.name, r.pass, r.observed])).toEqual([
      ['source', false, 'access-entry'],
      ['username', true, '"arn:aws:sts::1:assumed-role/deployer/run-9"'],
      ['can create deployments.apps -n payments', false, 'denied'],
      // Not asked (another API group): a gap is a failure, never a silent pass.
      ['can create deployments -n payments', false, 'unknown (HTTP 200)'],
    ]);
  });

  test('a principal the cluster refuses (401) is denied everything', () => {
    const refused: Observation = {
      ...authenticated,
      authenticated: false,
      source: null,
      username: null,
      groups: [],
      access: [],
      probe: 'HTTP 401',
    };
    const results = compare(
      one('  - arn: arn:aws:iam::1:role/x\n    can: [{ verb: get, resource: pods, allowed: false }]\n'),
      refused,
    );
    expect(results[0]).toMatchObject({ pass: true, observed: 'denied (401 Unauthorized)' });
  });
});

describe('JUnit XML', () => {
  test('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">&'\u0001\u0008\ttab`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;&apos;\uFFFD\uFFFD\ttab',
    );
  });

  test('one testcase per principal × expectation; failures carry values, root cause and docs link', () => {
    const expectation = one(
      [
        '  - arn: arn:aws:iam::111122223333:role/a<b>&"c"',
        '    authenticated: true',
        '    can: [{ verb: get, resource: pods, namespace: default, allowed: true }]',
      ].join('\n'),
    );
    const observation: Observation = {
      authenticated: false,
      authenticatedFrom: 'observed',
      source: null,
      username: null,
      groups: [],
      identityFrom: 'observed',
      access: [],
      probe: 'HTTP 401',
    };
    const cluster: ClusterResult = {
      cluster: 'prod & <test>',
      region: 'us-east-1',
      ms: 1234,
      principals: [
        {
          expectation,
          observation,
          results: compare(expectation, observation),
          rootCause: {
            checkId: 'identity/principal-not-mapped',
            title: 'Not mapped',
            message: 'no row in aws-auth \u0007 for "a<b>"',
            docsUrl: 'https://example.test/docs/checks/identity/principal-not-mapped.md',
          },
          report: report(undefined),
          evidence: {},
        },
      ],
    };
    const parsed = parseJunit(renderVerifyJunit([cluster], 'expect.yaml', new Date('2026-01-01T00:00:00Z')));
    expect(parsed.tests).toBe(2);
    expect(parsed.failures).toBe(2);
    expect(parsed.cases.map((c) => c.name)).toEqual(['authenticated', 'can get pods -n default']);
    const first = parsed.cases[0];
    expect(first?.classname).toBe('prod & <test>.arn:aws:iam::111122223333:role/a<b>&"c"');
    expect(first?.line).toBe('2');
    expect(first?.failure?.type).toBe('identity/principal-not-mapped');
    expect(first?.failure?.message).toBe(
      'expected true, observed false (HTTP 401) — root cause identity/principal-not-mapped',
    );
    expect(first?.failure?.text).toContain('expected:  authenticated = true');
    expect(first?.failure?.text).toContain('observed:  authenticated = false (HTTP 401)');
    expect(first?.failure?.text).toContain('docs: https://example.test/docs/checks/identity/principal-not-mapped.md');
    expect(first?.failure?.text).toContain('for "a<b>"');
  });
});
