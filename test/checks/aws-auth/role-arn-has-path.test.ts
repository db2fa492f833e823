import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/role-arn-has-path.js';
import { ACCOUNT, awsAuthFrom, contextFor, principal } from '../../helpers/evidence.js';

const row = (arn: string) => `- rolearn: ${arn}\n  username: admin\n  groups:\n    - system:masters\n`;

describe('aws-auth/role-arn-has-path', () => {
  test.each([
    ['a path-less role', row(`arn:aws:iam::${ACCOUNT}:role/Admin`)],
    ['no rolearn at all', '- username: x\n'],
    ['an empty mapRoles', ''],
    [
      "seed 1's role/aws-reserved/, which names no role (aws-auth/malformed-arn)",
      row(`arn:aws:iam::${ACCOUNT}:role/aws-reserved/`),
    ],
  ])('passes: %s', (_, mapRoles) => {
    expect(check.run(contextFor({ awsAuth: awsAuthFrom({ mapRoles }) }))).toEqual([]);
  });

  test('fails: an SSO role written with its aws-reserved path', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc`;
    const hits = check.run(contextFor({ awsAuth: awsAuthFrom({ mapRoles: row(arn) }) }));
    expect(hits).toMatchObject([
      {
        messageId: 'hasPath',
        data: {
          arn,
          path: '/aws-reserved/sso.amazonaws.com/',
          canonical: `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_Admin_abc`,
        },
        affectsPrincipal: false,
      },
    ]);
  });

  test('fails and concerns the principal when the row is meant for it', () => {
    const hits = check.run(
      contextFor({
        awsAuth: awsAuthFrom({ mapRoles: row(`arn:aws:iam::${ACCOUNT}:role/team/Deployer`) }),
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci`),
      }),
    );
    expect(hits).toMatchObject([{ messageId: 'hasPath', affectsPrincipal: true }]);
  });

  test('also judges rows of a block that does not parse', () => {
    const mapRoles = `${row(`arn:aws:iam::${ACCOUNT}:role/team/Deployer`)}- rolearn: arn:aws:iam::${ACCOUNT}:role/x\n  username: {{SessionName}}\n`;
    const hits = check.run(contextFor({ awsAuth: awsAuthFrom({ mapRoles }) }));
    expect(hits).toMatchObject([{ data: { path: '/team/' } }]);
  });
});
