import { describe, expect, test } from 'vitest';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import type { AuthenticatorDecision, Evidence } from '../../src/model/evidence.js';
import { renderReport } from '../../src/report/index.js';
import { expectCoherent } from '../helpers/coherence.js';
import { ACCOUNT, awsAuthFrom, principal } from '../helpers/evidence.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/tfc-agent-role`;
const TERRAFORM = `arn:aws:sts::${ACCOUNT}:assumed-role/terraform-role/apply`;
const UNMAPPED = awsAuthFrom({
  mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/nodes\n  username: x\n  groups: [g]\n`,
});
const MAPPED = awsAuthFrom({ mapRoles: `- rolearn: ${ROLE}\n  username: tfc-agent\n  groups: [system:masters]\n` });
const WINDOW = {
  logGroup: '/aws/eks/prod/cluster',
  since: '2026-12-03T11:30:00.000Z',
  until: '2026-12-03T12:30:00.000Z',
};

const cluster = (enabledLogTypes: string[]): NonNullable<Evidence['cluster']> => ({
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'CONFIG_MAP',
  status: 'ACTIVE',
  enabledLogTypes,
});

const decision = (time: string, outcome: 'granted' | 'denied', error?: string): AuthenticatorDecision => ({
  time,
  outcome,
  arn: ROLE,
  matchedBy: 'arn',
  ...(outcome === 'granted' ? { username: 'tfc-agent', groups: ['system:masters'] } : { error: error ?? '' }),
});

function live(fields: Evidence): Evidence {
  return {
    principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/tfc-agent-role/run`),
    cluster: cluster(['audit', 'authenticator']),
    caller: { arn: TERRAFORM, account: ACCOUNT, userId: 'AROAX:apply', credentialSource: 'test' },
    ...fields,
  };
}

/** The seed-1 story: a Terraform apply rewrote mapRoles at 12:03; the agent's first 401 follows at 12:04. */
const STORY: Evidence = live({
  awsAuth: UNMAPPED,
  probe: { status: 401, error: 'Unauthorized' },
  authenticatorLog: {
    ...WINDOW,
    eventsRead: 40,
    truncated: false,
    decisions: [
      decision('2026-12-03T12:05:00.000Z', 'denied', 'identity is not mapped'),
      decision('2026-12-03T12:04:00.000Z', 'denied', 'identity is not mapped'),
      decision('2026-12-03T11:58:00.000Z', 'granted'),
    ],
  },
  auditLog: {
    ...WINDOW,
    eventsRead: 3,
    truncated: false,
    awsAuthChanges: [
      {
        time: '2026-12-03T12:03:00.000Z',
        verb: 'update',
        user: TERRAFORM,
        sourceIps: ['10.0.3.7'],
        status: 200,
        changedKeys: ['mapRoles'],
        rowsAdded: [],
        rowsRemoved: [ROLE],
      },
    ],
    unauthorized: [{ time: '2026-12-03T12:04:00.000Z', sourceIps: ['10.0.9.8'] }],
  },
  accessChanges: { since: WINDOW.since, until: WINDOW.until, changes: [] },
});

describe('doctor report: what EKS logged', () => {
  test('the seed-1 story: the authenticator agrees, and the timeline puts the change before the first 401', () => {
    const report = buildDoctorReport(STORY, 'prod');
    expectCoherent(report, 'seed-1 story');
    expect(report.logs?.authenticator).toMatchObject({
      state: 'read',
      agreement: 'agree',
      latest: { outcome: 'denied', error: 'identity is not mapped', explainedBy: 'identity/principal-not-mapped' },
    });
    expect(report.timeline?.map((e) => [e.time.slice(11, 16), e.kind])).toEqual([
      ['11:58', 'granted'],
      ['12:03', 'aws-auth-change'],
      ['12:04', 'first-denial'],
      ['12:04', 'unauthorized'],
    ]);
    // Long lines wrap at word boundaries: compare with whitespace folded.
    const human = renderReport(report, 'human', { color: false }).replace(/\s+/g, ' ');
    expect(human).toContain(`12:03:00 aws-auth updated by ${TERRAFORM} (mapRoles): removed role/tfc-agent-role`);
    expect(human).toContain(`12:04:00 first 401 for ${ROLE}: identity is not mapped`);
    expect(human).toMatch(/Authenticator log 2026-12-03T12:05:00.000Z: denied: "identity is not mapped"/);
    const markdown = renderReport(report, 'markdown', { color: false });
    expect(markdown).toContain('### What EKS logged');
    expect(markdown).toContain('| 12:03:00 |');
  });

  test('a log that contradicts the model is a finding, and the verdict stays coherent', () => {
    const report = buildDoctorReport(live({ ...STORY, awsAuth: MAPPED, probe: { status: 200, error: null } }), 'prod');
    expectCoherent(report, 'contradiction');
    expect(report.logs?.authenticator).toMatchObject({ agreement: 'disagree' });
    expect(report.findings.map((f) => f.checkId)).toContain('logs/authenticator-disagrees');
    expect(report.verdict?.outcome).toBe('ok');
  });

  test('the authenticator log is one trace step, after authentication and before authorization', () => {
    const stepOf = (evidence: Evidence) => {
      const steps = buildDoctorReport(evidence, 'prod').steps ?? [];
      const at = steps.findIndex((s) => s.title === 'Authenticator log');
      return {
        step: steps[at],
        before: steps[at - 1]?.stage,
        after: steps[at + 1]?.stage,
      };
    };
    const denied = stepOf(STORY);
    expect(denied.step).toEqual({
      stage: 'authentication',
      title: 'Authenticator log',
      status: 'pass',
      detail:
        '2026-12-03T12:05:00.000Z: denied: "identity is not mapped" (identity/principal-not-mapped); agrees with the model',
    });
    expect([denied.before, denied.after]).toEqual(['authentication', 'authorization']);

    // The log says granted while the model (aws-auth without the row) predicts 401: a warning, with what the log said.
    const granted = stepOf({
      ...STORY,
      authenticatorLog: {
        ...WINDOW,
        eventsRead: 1,
        truncated: false,
        decisions: [decision('2026-12-03T12:05:00.000Z', 'granted')],
      },
    });
    expect(granted.step).toMatchObject({
      status: 'warn',
      detail: '2026-12-03T12:05:00.000Z: granted as "tfc-agent" [system:masters]; DISAGREES with the model',
    });
    expect(granted.after).toBe('authorization');
  });

  test('logging off: could not check, with the exact command and its cost', () => {
    const report = buildDoctorReport(
      live({
        awsAuth: MAPPED,
        cluster: cluster(['api']),
        probe: { status: 200, error: null },
        unavailable: {
          authenticatorLog: 'control-plane logging of "authenticator" is off for cluster prod',
          auditLog: 'control-plane logging of "audit" is off for cluster prod',
        },
      }),
      'prod',
    );
    expectCoherent(report, 'logging off');
    // The cluster answered 200: logs that could not be read leave nothing the verdict needs.
    expect(report.verdict?.outcome).toBe('ok');
    // Nothing read, nothing to put in order: no empty timeline in the JSON.
    expect(report.timeline).toBeUndefined();
    const command = `aws eks update-cluster-config --region eu-west-1 --name prod --logging '{"clusterLogging":[{"types":["authenticator","audit"],"enabled":true}]}'`;
    expect(report.logs?.authenticator).toMatchObject({ state: 'unavailable', command });
    const human = renderReport(report, 'human', { color: false });
    expect(human).toContain('Authenticator: could not check, because control-plane logging of "authenticator" is off');
    expect(human).toContain(command);
    expect(human).toContain('billed as CloudWatch Logs ingestion');
  });

  test('an unexplained 401 with logging off names the command as what is missing', () => {
    const report = buildDoctorReport(
      live({
        awsAuth: MAPPED,
        cluster: cluster([]),
        probe: { status: 401, error: 'Unauthorized' },
        unavailable: { authenticatorLog: 'control-plane logging of "authenticator" is off for cluster prod' },
      }),
      'prod',
    );
    expectCoherent(report, 'unexplained 401');
    expect(report.verdict?.outcome).toBe('undetermined');
    expect(report.verdict?.missing.map((g) => g.command)).toContain(
      `aws eks update-cluster-config --region eu-west-1 --name prod --logging '{"clusterLogging":[{"types":["authenticator","audit"],"enabled":true}]}'`,
    );
  });

  test('no permission: how to get logs:FilterLogEvents, no enable command', () => {
    const report = buildDoctorReport(
      live({
        awsAuth: MAPPED,
        probe: { status: 200, error: null },
        failures: {
          authenticatorLog: {
            code: 'access-denied',
            action: 'logs:FilterLogEvents',
            message: 'could not check, because the operator may not call logs:FilterLogEvents',
          },
        },
        unavailable: { authenticatorLog: 'the operator may not call logs:FilterLogEvents' },
      }),
      'prod',
    );
    expectCoherent(report, 'no permission');
    expect(report.logs?.authenticator).toEqual({
      state: 'unavailable',
      reason: 'the operator may not call logs:FilterLogEvents',
      how: 'allow the operator logs:FilterLogEvents on log group /aws/eks/prod/cluster, or run doctor with --profile of an identity that has it',
    });
  });

  describe('the day of aws-auth writes read before the window', () => {
    const deniedThroughout = (lookback: NonNullable<NonNullable<Evidence['auditLog']>['awsAuthLookback']>) =>
      buildDoctorReport(
        live({
          awsAuth: UNMAPPED,
          probe: { status: 401, error: 'Unauthorized' },
          authenticatorLog: {
            ...WINDOW,
            eventsRead: 2,
            truncated: false,
            decisions: [
              decision('2026-12-03T12:05:00.000Z', 'denied', 'identity is not mapped'),
              decision('2026-12-03T11:35:00.000Z', 'denied', 'identity is not mapped'),
            ],
          },
          auditLog: {
            ...WINDOW,
            eventsRead: 0,
            truncated: false,
            awsAuthChanges: [],
            unauthorized: [],
            awsAuthLookback: lookback,
          },
        }),
        'prod',
      );

    test('read and empty: never granted, nothing changed, so probably never mapped', () => {
      const report = deniedThroughout({ since: '2026-12-02T11:30:00.000Z', eventsRead: 0, truncated: false });
      expectCoherent(report, 'lookback read');
      const section = report.logs?.authenticator;
      expect(section?.state === 'read' ? section.hint : undefined).toBe(
        'the principal is denied throughout the window and was not granted in it, and aws-auth was not written since 2026-12-02T11:30:00.000Z: it was probably never mapped (see the root cause); if it used to work, read further back with --logs-since (e.g. 7d) to find what changed',
      );
      expect(renderReport(report, 'human', { color: false }).replace(/\s+/g, ' ')).toContain(
        'Audit log: read (0 events since 2026-12-03T11:30:00.000Z; writes to aws-auth since 2026-12-02T11:30:00.000Z: 0 events)',
      );
      const json = JSON.parse(renderReport(report, 'json', { color: false })) as { logs: { audit: unknown } };
      expect(json.logs.audit).toMatchObject({ awsAuthLookback: { since: '2026-12-02T11:30:00.000Z', eventsRead: 0 } });
    });

    test('failed: the hint claims no more than the window, and the audit line says what could not be read', () => {
      const report = deniedThroughout({ since: '2026-12-02T11:30:00.000Z', error: 'FilterLogEvents was throttled' });
      const section = report.logs?.authenticator;
      expect(section?.state === 'read' ? section.hint : undefined).toContain(
        'and nothing in the window changed access: it was probably never mapped',
      );
      for (const format of ['human', 'markdown'] as const)
        expect(renderReport(report, format, { color: false }).replace(/\s+/g, ' ')).toContain(
          'writes to aws-auth before 2026-12-03T11:30:00.000Z could not be read: FilterLogEvents was throttled',
        );
    });
  });
});
