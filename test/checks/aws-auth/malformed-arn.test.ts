import { renderHit } from '../../../src/core/run-checks.js';
import { commandsOf, renderScript } from '../../../src/core/command.js';
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

describe('aws-auth/malformed-arn: suggestions and fixes, exactly', () => {
  const users = (arn: string) => ({ mapUsers: row('userarn', arn) });
  const cluster = { name: 'prod', region: 'eu-west-1' };

  test('a user row: the suggestion is a user ARN, and the fix reads it from IAM with get-user', () => {
    const [hit] = run(users('arn:aws:iam::12345:user/bob'), { cluster });
    expect(hit).toMatchObject({
      messageId: 'badAccount',
      subject: { kind: 'aws-auth', name: 'mapUsers[0]' },
      data: {
        where: `mapUsers[0] (line ${LINE_OF(1)})`,
        key: 'userarn',
        arnKey: 'userarn',
        arn: 'arn:aws:iam::12345:user/bob',
        suggestion: 'arn:aws:iam::ACCOUNT_ID:user/bob',
        name: 'bob',
        clusterPartition: 'aws',
        account: '12345',
      },
    });
    const aws = hit?.fix?.[0]?.aws ?? [];
    expect(commandsOf(aws).map((c) => c.argv)).toEqual([
      [
        'aws',
        'iam',
        'get-user',
        '--user-name',
        'bob',
        '--query',
        'User.Arn',
        '--output',
        'text',
        '--region',
        'eu-west-1',
      ],
    ]);
    expect(renderScript(aws)).toContain('# read the real ARN from IAM instead of typing it');
    expect(hit?.fix?.[0]?.title).toBe(`Correct the ARN in mapUsers[0] (line ${LINE_OF(1)})`);
  });

  test('a role row: get-role, and the hand edit says what to change when no correction is known', () => {
    const [hit] = run(roles('arn:aws:iam::12345:role/Admin'), { cluster });
    expect(commandsOf(hit?.fix?.[0]?.aws ?? []).map((c) => c.argv)).toEqual([
      [
        'aws',
        'iam',
        'get-role',
        '--role-name',
        'Admin',
        '--query',
        'Role.Arn',
        '--output',
        'text',
        '--region',
        'eu-west-1',
      ],
    ]);
    expect(renderScript(hit?.fix?.[0]?.kubectl ?? [])).toContain(
      '# edit aws-auth.yaml: correct mapRoles[0] (line 8): arn:aws:iam::12345:role/Admin → arn:aws:iam::ACCOUNT_ID:role/Admin',
    );
  });

  test.each([
    ['only whitespace in a role row', roles('" "'), 'ROLE_NAME', 'arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME'],
    ['only whitespace in a user row', users('" "'), 'USER_NAME', 'arn:aws:iam::ACCOUNT_ID:user/USER_NAME'],
    [
      'no resource name in a user row',
      users(`arn:aws:iam::${ACCOUNT}:user/`),
      'USER_NAME',
      `arn:aws:iam::${ACCOUNT}:user/USER_NAME`,
    ],
  ])('a placeholder name where the ARN names none: %s', (_, data, name, suggestion) => {
    expect(run(data)).toMatchObject([{ data: { name, suggestion } }]);
  });

  test('not an ARN: a full ARN in the partition of the cluster, else aws', () => {
    expect(run(roles('Admin'))).toMatchObject([
      { messageId: 'notAnArn', data: { suggestion: 'arn:aws:iam::ACCOUNT_ID:role/Admin', clusterPartition: 'aws' } },
    ]);
    expect(run(roles('Admin'), { cluster: { name: 'c', region: 'cn-north-1' } })).toMatchObject([
      {
        messageId: 'notAnArn',
        data: { suggestion: 'arn:aws-cn:iam::ACCOUNT_ID:role/Admin', clusterPartition: 'aws-cn' },
      },
    ]);
  });

  test("the cluster's partition from its ARN when it names no partition, else from its region", () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/A`;
    expect(
      run(roles(arn), { cluster: { name: 'c', arn: `arn:aws-cn:eks:cn-north-1:${ACCOUNT}:cluster/c` } }),
    ).toMatchObject([{ messageId: 'otherPartition', data: { clusterPartition: 'aws-cn' } }]);
    expect(
      run(roles(arn), { cluster: { name: 'c', arn: `arn:nope:eks:x:${ACCOUNT}:cluster/c`, region: 'us-gov-west-1' } }),
    ).toMatchObject([{ messageId: 'otherPartition', data: { clusterPartition: 'aws-us-gov' } }]);
    expect(run(roles(arn), { cluster: { name: 'c', arn: 'not an arn' } })).toEqual([]);
    expect(
      run(roles(`arn:aws-cn:iam::${ACCOUNT}:role/A`), {
        cluster: { name: 'c', partition: 'aws-cn', region: 'us-east-1' },
      }),
    ).toEqual([]);
  });

  test('an unknown partition: corrected to the cluster partition when known', () => {
    expect(run(roles(`arn:aws-foo:iam::${ACCOUNT}:role/A`), { cluster })).toMatchObject([
      { messageId: 'badPartition', data: { suggestion: `arn:aws:iam::${ACCOUNT}:role/A`, partition: 'aws-foo' } },
    ]);
  });

  test('extra colons before the resource are removed, the rest of it kept', () => {
    expect(run(roles(`arn:aws:iam::${ACCOUNT}:::role/team/A`))).toMatchObject([
      {
        messageId: 'badResource',
        data: {
          resource: '::role/team/A',
          suggestion: `arn:aws:iam::${ACCOUNT}:role/team/A`,
          resourceRemedy: 'Remove the extra colon before the resource',
        },
      },
    ]);
  });

  test.each([
    ['a policy', `arn:aws:iam::${ACCOUNT}:policy/P`, 'Write the resource as role/NAME or user/NAME'],
    [
      'an instance profile with a path',
      `arn:aws:iam::${ACCOUNT}:instance-profile/team/nodes`,
      "Map the role inside the instance profile (aws iam get-instance-profile --instance-profile-name nodes --query 'InstanceProfile.Roles[0].Arn'), without its path",
    ],
    [
      'an instance profile with no name',
      `arn:aws:iam::${ACCOUNT}:instance-profile`,
      "Map the role inside the instance profile (aws iam get-instance-profile --instance-profile-name NAME --query 'InstanceProfile.Roles[0].Arn'), without its path",
    ],
  ])('another IAM resource: %s', (_, arn, resourceRemedy) => {
    expect(run(roles(arn))).toMatchObject([{ messageId: 'badResource', data: { resourceRemedy } }]);
  });

  test('role with no slash names no role', () => {
    expect(run(roles(`arn:aws:iam::${ACCOUNT}:role`))).toMatchObject([
      { messageId: 'noName', data: { name: 'ROLE_NAME', suggestion: `arn:aws:iam::${ACCOUNT}:role/ROLE_NAME` } },
    ]);
  });

  test('whitespace with another problem behind it: no correction offered, the ARN is rebuilt', () => {
    expect(run(roles(`"arn:aws:iam::${ACCOUNT}:role/my#role "`))).toMatchObject([
      { messageId: 'whitespace', data: { suggestion: `arn:aws:iam::${ACCOUNT}:role/my#role` } },
    ]);
    const [hit] = run(roles(`"arn:aws:iam::12345:role/A "`));
    expect(hit).toMatchObject({ messageId: 'whitespace', data: { suggestion: 'arn:aws:iam::ACCOUNT_ID:role/A' } });
  });

  test('a row lost with its broken block is reported, but concerns nobody', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`);
    const mapRoles = `- rolearn: arn:aws:iam:us-east-1:${ACCOUNT}:role/Admin\n  username: {{SessionName}}\n`;
    expect(run({ mapRoles }, { principal: caller })).toMatchObject([
      { messageId: 'hasRegion', affectsPrincipal: false },
    ]);
  });
});

test('aws-auth/malformed-arn: a row of a block that does not parse is corrected by hand, not by a patch of the broken block', () => {
  const mapRoles = `- rolearn: arn:aws:iam:us-east-1:${ACCOUNT}:role/Admin\n  username: {{SessionName}}\n`;
  const [hit] = run({ mapRoles });
  expect(hit).toMatchObject({ messageId: 'hasRegion' });
  expect(commandsOf(hit?.fix?.[0]?.kubectl ?? []).map((c) => c.argv[1])).toEqual(['get', 'lint', 'replace']);
});
