import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/role-arn-has-path.js';
import { ACCOUNT, awsAuthFrom, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText } from './_configmap.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';

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

describe('aws-auth/role-arn-has-path: exact findings', () => {
  test('the message names the row, its path and the ARN EKS compares with', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/team/Deployer`;
    const hits = check.run(
      contextFor({ awsAuth: awsAuthFrom({ mapRoles: `${row(`arn:aws:iam::${ACCOUNT}:role/A`)}${row(arn)}` }) }),
    );
    expect(hits).toEqual([
      {
        messageId: 'hasPath',
        subject: { kind: 'aws-auth', name: 'mapRoles[1]' },
        location: expect.objectContaining({ key: 'mapRoles[1].rolearn' }),
        affectsPrincipal: false,
        data: {
          where: expect.stringMatching(/^mapRoles\[1\] \(line \d+\)$/),
          arn,
          path: '/team/',
          canonical: `arn:aws:iam::${ACCOUNT}:role/Deployer`,
        },
        fix: expect.any(Array),
      },
    ]);
    expect(renderHit(check, hits[0] as Hit).message).toBe(
      `${String(hits[0]?.data.where)} rolearn ${arn} has the IAM path /team/: EKS compares rows with arn:aws:iam::${ACCOUNT}:role/Deployer, which never has a path, so this row never matches.`,
    );
    expect(renderHit(check, hits[0] as Hit).remediation).toBe(
      `Write the rolearn as arn:aws:iam::${ACCOUNT}:role/Deployer: in aws-auth a role ARN must not include its path.`,
    );
  });

  test('the row is named by its own line', () => {
    const hits = check.run(
      contextFor({
        awsAuth: awsAuthFromText(
          configMapText({
            mapRoles: `${row(`arn:aws:iam::${ACCOUNT}:role/A`)}${row(`arn:aws:iam::${ACCOUNT}:role/team/B`)}`,
          }),
        ),
      }),
    );
    expect(hits).toMatchObject([
      { data: { where: `mapRoles[1] (line ${LINE_OF(5)})` }, location: { line: LINE_OF(5), column: 7 } },
    ]);
  });

  test.each([
    [
      'a user with a path under mapUsers (not a role row)',
      { mapUsers: row(`arn:aws:iam::${ACCOUNT}:user/team/bob`).replace('rolearn', 'userarn') },
    ],
  ])('passes: %s', (_, data) => {
    expect(check.run(contextFor({ awsAuth: awsAuthFrom(data) }))).toEqual([]);
  });

  test('a quoted ARN with spaces is judged trimmed; the row concerns its principal in any case', () => {
    const hits = check.run(
      contextFor({
        awsAuth: awsAuthFrom({ mapRoles: row(`" arn:aws:iam::${ACCOUNT}:role/team/DEPLOYER "`) }),
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci`),
      }),
    );
    expect(hits).toMatchObject([
      { affectsPrincipal: true, data: { path: '/team/', canonical: `arn:aws:iam::${ACCOUNT}:role/DEPLOYER` } },
    ]);
  });

  test('another principal is not concerned', () => {
    const hits = check.run(
      contextFor({
        awsAuth: awsAuthFrom({ mapRoles: row(`arn:aws:iam::${ACCOUNT}:role/team/Deployer`) }),
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Other/ci`),
      }),
    );
    expect(hits).toMatchObject([{ affectsPrincipal: false }]);
  });
});
