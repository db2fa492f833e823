import { describe, expect, test } from 'vitest';
import duplicateArn from '../../checks/aws-auth/duplicate-arn.js';
import usernameTemplate from '../../checks/nodes/username-template.js';
import clockSkew from '../../checks/token/clock-skew.js';
import { ACCOUNT, awsAuthFrom, contextFor, principal } from '../helpers/evidence.js';

const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const NODE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;
const rolesRow = (arn: string, username: string, groups: string[]) =>
  `- rolearn: ${arn}\n  username: "${username}"\n  groups:\n${groups.map((g) => `    - ${g}`).join('\n')}\n`;

describe("token/clock-skew: this machine's clock against AWS's", () => {
  const measured = (clockOffsetMs: number) => ({
    evidence: {
      caller: {
        arn: `arn:aws:iam::${ACCOUNT}:user/a`,
        account: ACCOUNT,
        userId: 'AIDA',
        credentialSource: 'environment variables',
        clockOffsetMs,
      },
    },
  });

  test('20 minutes ahead is "ahead of", not the every-token-expired "behind"', () => {
    expect(clockSkew.run(measured(-20 * 60_000))).toMatchObject([
      { messageId: 'clockOff', data: { skew: '20 min', direction: 'ahead of' } },
    ]);
  });

  test('20 minutes behind: every token arrives expired', () => {
    expect(clockSkew.run(measured(20 * 60_000))).toMatchObject([
      { messageId: 'clockBehind', affectsPrincipal: true, data: { skew: '20 min' } },
    ]);
  });
});

describe('aws-auth/duplicate-arn: rows that differ only in their groups', () => {
  const jane = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`);
  const run = (mapRoles: string) =>
    duplicateArn.run(contextFor({ awsAuth: awsAuthFrom({ mapRoles }), principal: jane }));

  test.each([
    ['other groups', ['system:masters'], ['readers']],
    ['a group fewer', ['system:masters', 'ops'], ['system:masters']],
    ['a group more', ['system:masters'], ['system:masters', 'ops']],
  ])('same username, %s: the principal is mapped differently than the earlier row says', (_, first, second) => {
    expect(run(`${rolesRow(ADMIN, 'admin', first)}${rolesRow(ADMIN, 'admin', second)}`)).toMatchObject([
      { messageId: 'principalMisMapped', affectsPrincipal: true },
    ]);
  });

  test('same username and groups: only the plain warning', () => {
    expect(
      run(`${rolesRow(ADMIN, 'admin', ['system:masters'])}${rolesRow(ADMIN, 'admin', ['system:masters'])}`),
    ).toMatchObject([{ messageId: 'overridden', affectsPrincipal: false }]);
  });
});

describe('nodes/username-template: both session-name templates name EC2 nodes by instance id', () => {
  test.each(['system:node:{{SessionName}}', 'system:node:{{SessionNameRaw}}'])('%s', (username) => {
    const hits = usernameTemplate.run(
      contextFor({
        awsAuth: awsAuthFrom({ mapRoles: rolesRow(NODE, username, ['system:bootstrappers', 'system:nodes']) }),
      }),
    );
    expect(hits).toMatchObject([{ messageId: 'sessionNameTemplate', data: { username } }]);
  });
});
