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
});
