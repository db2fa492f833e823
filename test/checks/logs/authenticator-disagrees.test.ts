import { describe, expect, test } from 'vitest';
import check from '../../../checks/logs/authenticator-disagrees.js';
import type { AuthenticatorDecision, Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, clusterIn, contextFor, principal } from '../../helpers/evidence.js';
import { expectRendered } from '../_live.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/tfc-agent-role`;
const MAPPED = awsAuthFrom({ mapRoles: `- rolearn: ${ROLE}\n  username: tfc-agent\n  groups: [deployers]\n` });
const UNMAPPED = awsAuthFrom({
  mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/nodes\n  username: x\n  groups: [g]\n`,
});

const granted = (username = 'tfc-agent'): AuthenticatorDecision => ({
  time: '2026-12-03T12:00:00.000Z',
  outcome: 'granted',
  arn: ROLE,
  username,
  groups: ['deployers'],
  matchedBy: 'arn',
});
const denied = (error: string, arn: string | undefined = ROLE): AuthenticatorDecision => ({
  time: '2026-12-03T12:04:00.000Z',
  outcome: 'denied',
  ...(arn ? { arn } : {}),
  error,
  matchedBy: 'arn',
});

function evidence(awsAuth: Evidence['awsAuth'], decisions: AuthenticatorDecision[], extra: Evidence = {}): Evidence {
  return {
    principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/tfc-agent-role/run`),
    cluster: clusterIn('CONFIG_MAP'),
    awsAuth,
    authenticatorLog: {
      logGroup: '/aws/eks/prod/cluster',
      since: '2026-12-03T11:30:00.000Z',
      until: '2026-12-03T12:30:00.000Z',
      eventsRead: 10,
      truncated: false,
      decisions,
    },
    ...extra,
  };
}

describe('logs/authenticator-disagrees', () => {
  test.each<[string, Evidence]>([
    ['granted, as predicted', evidence(MAPPED, [granted()])],
    ['denied as not mapped, as predicted', evidence(UNMAPPED, [denied('identity is not mapped')])],
    [
      'a token error says nothing about the mapping',
      evidence(MAPPED, [denied('input token was not properly formatted: X-Amz-Date parameter is expired', undefined)]),
    ],
    ['no decision in the window', evidence(MAPPED, [])],
    ['the prediction is open (aws-auth unread)', evidence(undefined, [granted()])],
  ])('passes: %s', (_, given) => {
    expect(check.run(contextFor(given))).toEqual([]);
  });

  test('granted where the model predicts 401', () => {
    const hits = check.run(contextFor(evidence(UNMAPPED, [granted()])));
    expect(hits).toMatchObject([
      { messageId: 'granted', affectsPrincipal: true, data: { arn: ROLE, username: 'tfc-agent' } },
    ]);
    expectRendered(check, hits);
  });

  test('denied where the model predicts authenticated, naming the check the text maps to and a later change', () => {
    const hits = check.run(
      contextFor(
        evidence(MAPPED, [denied('identity is not mapped'), granted()], {
          auditLog: {
            logGroup: '/aws/eks/prod/cluster',
            since: '2026-12-03T11:30:00.000Z',
            until: '2026-12-03T12:30:00.000Z',
            eventsRead: 2,
            truncated: false,
            awsAuthChanges: [
              { time: '2026-12-03T12:10:00.000Z', verb: 'update', user: 'terraform', sourceIps: [], status: 200 },
            ],
            unauthorized: [],
          },
        }),
      ),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'denied',
        data: {
          error: 'identity is not mapped',
          explainedBy: ", which eksauth's identity/principal-not-mapped explains",
          predicted: 'tfc-agent',
        },
      },
    ]);
    expect(String(hits[0]?.data.afterChange)).toContain('aws-auth update by terraform at 2026-12-03T12:10:00.000Z');
    expectRendered(check, hits);
  });

  test('granted as another username', () => {
    const hits = check.run(contextFor(evidence(MAPPED, [granted('someone-else')])));
    expect(hits).toMatchObject([{ messageId: 'username', data: { username: 'someone-else', predicted: 'tfc-agent' } }]);
    expectRendered(check, hits);
  });

  describe('the authenticator reloading aws-auth', () => {
    const BROKEN = awsAuthFrom({ mapRoles: `- rolearn: ${ROLE}\n  username: {{SessionName}}\n` });
    const PARSE_ERROR = 'error parsing config map: [yaml: invalid map key: …]';
    const withLoad = (
      awsAuth: Evidence['awsAuth'],
      load: NonNullable<Evidence['authenticatorLog']>['awsAuthLoads'],
    ) => {
      const given = evidence(awsAuth, [granted()]);
      const log = given.authenticatorLog;
      if (!log) throw new Error('evidence() always has an authenticator log');
      return { ...given, authenticatorLog: { ...log, awsAuthLoads: load } };
    };

    test('a failed reload where eksauth reads aws-auth cleanly is a finding about aws-auth, not the principal', () => {
      const hits = check.run(
        contextFor(withLoad(MAPPED, [{ time: '2026-12-03T12:01:00Z', outcome: 'parse-error', error: PARSE_ERROR }])),
      );
      expect(hits).toMatchObject([
        {
          messageId: 'aws-auth-parse-error',
          affectsPrincipal: false,
          subject: { kind: 'aws-auth', name: 'kube-system/aws-auth' },
          data: { time: '2026-12-03T12:01:00Z', error: PARSE_ERROR },
        },
      ]);
      expectRendered(check, hits);
    });

    test('a clean reload where eksauth finds a dropped block names the block', () => {
      const all = check.run(contextFor(withLoad(BROKEN, [{ time: '2026-12-03T12:01:00Z', outcome: 'parsed' }])));
      // The decision (granted, where the broken block predicts 401) disagrees too: two findings.
      expect(all.map((h) => h.messageId)).toEqual(['granted', 'aws-auth-parsed']);
      const hits = all.filter((h) => h.messageId === 'aws-auth-parsed');
      expect(hits).toMatchObject([{ data: { problems: '1 problem in mapRoles' } }]);
      expectRendered(check, hits);
    });

    test('a reset on delete while eksauth reads a ConfigMap', () => {
      const hits = check.run(contextFor(withLoad(MAPPED, [{ time: '2026-12-03T12:01:00Z', outcome: 'reset' }])));
      expect(hits.map((h) => h.messageId)).toEqual(['aws-auth-reset']);
    });

    test('agreement is no finding: both find mapRoles broken', () => {
      const given = withLoad(BROKEN, [{ time: '2026-12-03T12:01:00Z', outcome: 'parse-error', error: PARSE_ERROR }]);
      expect(check.run(contextFor(given)).filter((h) => h.messageId.startsWith('aws-auth'))).toEqual([]);
    });
  });

  test('the whole finding: every value the message and the log query need', () => {
    const hits = check.run(contextFor(evidence(UNMAPPED, [granted()])));
    expect(hits).toEqual([
      {
        messageId: 'granted',
        subject: { kind: 'principal', name: ROLE },
        affectsPrincipal: true,
        data: {
          arn: ROLE,
          time: '2026-12-03T12:00:00.000Z',
          username: 'tfc-agent',
          groups: 'deployers',
          error: '',
          explainedBy: '',
          predicted: '',
          afterChange: '',
          cluster: 'prod',
          region: 'eu-west-1',
          logGroup: '/aws/eks/prod/cluster',
          sinceMs: String(Date.UTC(2026, 11, 3, 11, 30)),
          arnPattern: `"${ROLE}"`,
        },
      },
    ]);
  });

  test('a denial line without an ARN is about the principal diagnosed; several groups are listed', () => {
    const hits = check.run(contextFor(evidence(MAPPED, [denied('identity is not mapped', undefined)])));
    expect(hits).toMatchObject([
      {
        messageId: 'denied',
        subject: { name: ROLE },
        data: { arn: ROLE, arnPattern: `"${ROLE}"`, groups: '', username: '' },
      },
    ]);
    const two = check.run(
      contextFor(evidence(UNMAPPED, [{ ...granted(), groups: ['deployers', 'system:authenticated'] }])),
    );
    expect(two[0]?.data.groups).toBe('deployers, system:authenticated');
  });

  test('a change before the decision explains nothing', () => {
    const given = evidence(UNMAPPED, [granted()], {
      auditLog: {
        logGroup: '/aws/eks/prod/cluster',
        since: '2026-12-03T11:30:00.000Z',
        until: '2026-12-03T12:30:00.000Z',
        eventsRead: 1,
        truncated: false,
        awsAuthChanges: [
          { time: '2026-12-03T11:50:00.000Z', verb: 'patch', user: 'alice', sourceIps: [], status: 200 },
        ],
        unauthorized: [],
      },
    });
    expect(check.run(contextFor(given))).toMatchObject([{ data: { afterChange: '' } }]);
  });

  test('no log: nothing, whatever the prediction', () => {
    const { authenticatorLog: _, ...withoutLog } = evidence(UNMAPPED, [granted()]);
    expect(check.run(contextFor(withoutLog))).toEqual([]);
  });

  describe('the reload of aws-auth, exactly', () => {
    const withLoad = (
      awsAuth: Evidence['awsAuth'],
      load: NonNullable<NonNullable<Evidence['authenticatorLog']>['awsAuthLoads']>[number],
    ): Evidence => {
      const { principal: _, cluster: __, ...given } = evidence(awsAuth, []);
      const log = given.authenticatorLog;
      if (!log) throw new Error('evidence() always has an authenticator log');
      return { ...given, authenticatorLog: { ...log, awsAuthLoads: [load] } };
    };

    test('the whole finding, about the cluster (no cluster information: placeholders)', () => {
      const hits = check.run(contextFor(withLoad(MAPPED, { time: '2026-12-03T12:01:00Z', outcome: 'reset' })));
      expect(hits).toEqual([
        {
          messageId: 'aws-auth-reset',
          subject: { kind: 'aws-auth', name: 'kube-system/aws-auth' },
          affectsPrincipal: false,
          data: {
            time: '2026-12-03T12:01:00Z',
            error: '',
            loadError: '',
            problems: '',
            arn: '',
            cluster: 'CLUSTER',
            region: 'REGION',
            logGroup: '/aws/eks/prod/cluster',
            sinceMs: String(Date.UTC(2026, 11, 3, 11, 30)),
            arnPattern: '"aws-auth"',
          },
        },
      ]);
      expectRendered(check, hits);
    });

    test('problems are counted per block that has them, in the singular for one', () => {
      const awsAuth = awsAuthFrom({
        mapRoles: '- username: a\n  groups: [g]\n- username: b\n  groups: [g]\n',
        mapUsers: '- username: c\n',
      });
      const hits = check.run(contextFor(withLoad(awsAuth, { time: '2026-12-03T12:01:00Z', outcome: 'parsed' })));
      expect(hits).toMatchObject([
        { messageId: 'aws-auth-parsed', data: { problems: '2 problems in mapRoles, 1 problem in mapUsers' } },
      ]);
    });

    // Before, these read "eksauth reads every block and row of it without error" and "eksauth finds  in it".
    test.each<[string, 'parsed' | 'parse-error', string | undefined, string]>([
      ['parsed', 'parsed', undefined, ''],
      ['failed to parse', 'parse-error', 'error parsing config map', ': "error parsing config map"'],
    ])('the authenticator %s a ConfigMap eksauth does not find: aws-auth-absent', (_, outcome, error, loadError) => {
      const hits = check.run(
        contextFor(
          withLoad({ state: 'absent' }, { time: '2026-12-03T12:01:00Z', outcome, ...(error ? { error } : {}) }),
        ),
      );
      expect(hits).toMatchObject([{ messageId: 'aws-auth-absent', data: { loadError, problems: '' } }]);
      expectRendered(check, hits);
    });

    test('a reset where eksauth finds no ConfigMap agrees', () => {
      expect(
        check.run(contextFor(withLoad({ state: 'absent' }, { time: '2026-12-03T12:01:00Z', outcome: 'reset' }))),
      ).toEqual([]);
    });
  });
});
