import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';
import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/malformed-arn.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';

const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));
const roles = (arn: string) => ({ mapRoles: row('rolearn', arn) });

describe('aws-auth/malformed-arn', () => {
  test.each([
    ['a role', `arn:aws:iam::${ACCOUNT}:role/Admin`],
    ['a role with a path (aws-auth/role-arn-has-path reports it)', `arn:aws:iam::${ACCOUNT}:role/team/Admin`],
    ['an upper-case partition (ARNs compare case-insensitively)', `arn:AWS:iam::${ACCOUNT}:role/Admin`],
    ['aws-cn', `arn:aws-cn:iam::${ACCOUNT}:role/Admin`],
    ['D20: trailing space without quotes is stripped by YAML', `arn:aws:iam::${ACCOUNT}:role/A   `],
    ['a session ARN (aws-auth/assumed-role-arn)', `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`],
    ['a group, wildcard or root (aws-auth/unsupported-principal)', `arn:aws:iam::${ACCOUNT}:group/Devs`],
  ])('passes: %s', (_, arn) => {
    expect(run(roles(arn))).toEqual([]);
  });

  test.each([
    [
      'D20: whitespace inside quotes',
      `"arn:aws:iam::${ACCOUNT}:role/A "`,
      'whitespace',
      { suggestion: `arn:aws:iam::${ACCOUNT}:role/A` },
    ],
    [
      'whitespace in the middle',
      `"arn:aws:iam:: ${ACCOUNT}:role/A"`,
      'whitespace',
      { suggestion: `arn:aws:iam::${ACCOUNT}:role/A` },
    ],
    ['not an ARN', 'Admin', 'notAnArn', { reason: "arn 'Admin' is invalid: 'arn: invalid prefix'" }],
    ['too few sections', `arn:aws:iam:${ACCOUNT}:role/A`, 'notAnArn', {}],
    ['an unknown partition', `arn:aws-foo:iam::${ACCOUNT}:role/A`, 'badPartition', { partition: 'aws-foo' }],
    ['another service', `arn:aws:ec2::${ACCOUNT}:instance/i-1`, 'badService', { service: 'ec2' }],
    [
      'a region in an IAM ARN',
      `arn:aws:iam:ap-northeast-2:${ACCOUNT}:role/A`,
      'hasRegion',
      { region: 'ap-northeast-2', suggestion: `arn:aws:iam::${ACCOUNT}:role/A` },
    ],
    ['an 11-digit account', 'arn:aws:iam::11112222333:role/A', 'badAccount', { account: '11112222333' }],
    [
      'a doubled colon before role',
      `arn:aws:iam::${ACCOUNT}::role/A`,
      'badResource',
      { resource: ':role/A', suggestion: `arn:aws:iam::${ACCOUNT}:role/A` },
    ],
    [
      'an instance profile',
      `arn:aws:iam::${ACCOUNT}:instance-profile/nodes`,
      'badResource',
      { resourceRemedy: expect.stringContaining('get-instance-profile --instance-profile-name nodes') },
    ],
    [
      "seed 1's role/aws-reserved/",
      `arn:aws:iam::${ACCOUNT}:role/aws-reserved/`,
      'noName',
      { suggestion: `arn:aws:iam::${ACCOUNT}:role/ROLE_NAME` },
    ],
    ['role/ alone', `arn:aws:iam::${ACCOUNT}:role/`, 'noName', {}],
    ['a name IAM does not allow', `arn:aws:iam::${ACCOUNT}:role/my#role`, 'badName', { name: 'my#role' }],
  ])('fails: %s', (_, arn, messageId, data) => {
    expect(run(roles(arn))).toMatchObject([
      {
        messageId,
        subject: { name: 'mapRoles[0]' },
        location: { line: LINE_OF(1), column: 7 },
        affectsPrincipal: false,
        data,
      },
    ]);
  });

  test("a partition other than the cluster's", () => {
    const hits = run(roles(`arn:aws:iam::${ACCOUNT}:role/A`), { cluster: { name: 'c', region: 'cn-north-1' } });
    expect(hits).toMatchObject([
      {
        messageId: 'otherPartition',
        data: { partition: 'aws', clusterPartition: 'aws-cn', suggestion: `arn:aws-cn:iam::${ACCOUNT}:role/A` },
      },
    ]);
  });

  test('concerns the principal the broken ARN was meant for', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`);
    expect(run(roles(`"arn:aws:iam::${ACCOUNT}:role/Admin "`), { principal: caller })).toMatchObject([
      { messageId: 'whitespace', affectsPrincipal: true },
    ]);
    expect(run(roles(`arn:aws:iam:us-east-1:${ACCOUNT}:role/Admin`), { principal: caller })).toMatchObject([
      { messageId: 'hasRegion', affectsPrincipal: true },
    ]);
    expect(run(roles(`arn:aws:iam:us-east-1:${ACCOUNT}:role/Other`), { principal: caller })).toMatchObject([
      { affectsPrincipal: false },
    ]);
  });

  test('mapUsers rows too', () => {
    expect(run({ mapUsers: row('userarn', 'arn:aws:iam::12345:user/bob') })).toMatchObject([
      { messageId: 'badAccount', data: { key: 'userarn' } },
    ]);
  });

  test('the kubectl fix rewrites the ARN when the correction is known', () => {
    const [hit] = run(roles(`arn:aws:iam:us-east-1:${ACCOUNT}:role/A`));
    const patch = renderHit(check, hit as Hit).fix?.steps[0]?.kubectl?.commands?.[0]?.argv ?? [];
    expect(patch.slice(0, 3)).toEqual(['kubectl', 'patch', 'configmap']);
    expect(patch.at(-1)).toContain(`rolearn: arn:aws:iam::${ACCOUNT}:role/A`);
    expect(patch.at(-1)).not.toContain('us-east-1');
  });
});
