import { describe, expect, test } from 'vitest';
import check from '../../../checks/nodes/shared-node-role.js';
import type { Evidence, FargateProfile, Nodegroup } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT } from '../../helpers/evidence.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;
const OTHER = `arn:aws:iam::${ACCOUNT}:role/self-managed-node`;
const ng = (name: string, fields: Partial<Nodegroup> = {}): Nodegroup => ({
  nodegroupName: name,
  nodeRole: ROLE,
  healthIssues: [],
  ...fields,
});
const fp = (name: string, podExecutionRoleArn: string): FargateProfile => ({
  fargateProfileName: name,
  podExecutionRoleArn,
});
const cluster: Evidence['cluster'] = { name: 'prod', region: 'eu-west-1', accountId: ACCOUNT };
const { run, passes, severityOf } = checkTable(check, { cluster });

describe('nodes/shared-node-role', () => {
  passes([
    ['managed groups sharing a role among themselves', { nodegroups: [ng('a'), ng('b')] }],
    [
      'self-managed groups with their own role',
      { nodegroups: [ng('a'), ng('self', { selfManaged: true, nodeRole: OTHER })] },
    ],
    [
      'Fargate with its own role',
      { nodegroups: [ng('a')], fargateProfiles: [fp('default', `arn:aws:iam::${ACCOUNT}:role/fargate`)] },
    ],
    [
      'only self-managed groups on one role',
      { nodegroups: [ng('s1', { selfManaged: true }), ng('s2', { selfManaged: true })] },
    ],
  ]);

  test('warns: a managed and a self-managed group share the role (path ignored)', () => {
    const hits = run({
      nodegroups: [
        ng('managed-1'),
        ng('legacy-asg', { selfManaged: true, nodeRole: `arn:aws:iam::${ACCOUNT}:role/nodes/eks-node` }),
      ],
    });
    expect(hits).toMatchObject([
      {
        messageId: 'sharedWithSelfManaged',
        affectsPrincipal: false,
        subject: { kind: 'nodegroup', name: 'managed-1, legacy-asg' },
        data: { role: ROLE, managed: 'managed-1', selfManaged: 'legacy-asg', roleName: 'eks-node', account: ACCOUNT },
      },
    ]);
    expect(severityOf(hits[0])).toBe('warning');
    expectRendered(check, hits);
  });

  test('warns: a node group role is also a Fargate pod execution role', () => {
    const hits = run({ nodegroups: [ng('managed-1')], fargateProfiles: [fp('karpenter', ROLE)] });
    expect(hits).toMatchObject([
      {
        messageId: 'sharedWithFargate',
        data: { nodegroups: 'node group managed-1', profiles: 'Fargate profile karpenter', firstProfile: 'karpenter' },
      },
    ]);
    expectRendered(check, hits);
  });

  test('the data of both findings for one role, named from the role (path dropped, partition kept)', () => {
    const role = `arn:aws-cn:iam::${ACCOUNT}:role/nodes/eks-node`;
    const hits = run({
      cluster: { name: 'prod', region: 'cn-north-1', accountId: ACCOUNT },
      nodegroups: [
        ng('managed-1', { nodeRole: ` ${role} ` }),
        ng('self-1', { selfManaged: true, nodeRole: `arn:aws-cn:iam::${ACCOUNT}:role/EKS-NODE` }),
        ng('self-2', { selfManaged: true, nodeRole: role }),
        ng('no-role', { nodeRole: '' }),
      ],
      fargateProfiles: [
        fp('default', ` arn:aws-cn:iam::${ACCOUNT}:role/EKS-Node `),
        fp('other', `arn:aws-cn:iam::${ACCOUNT}:role/fargate`),
        fp('system', role),
      ],
    });
    const common = {
      role,
      cluster: 'prod',
      region: 'cn-north-1',
      partition: 'aws-cn',
      account: ACCOUNT,
      roleName: 'eks-node',
    };
    expect(hits).toEqual([
      {
        messageId: 'sharedWithSelfManaged',
        subject: { kind: 'nodegroup', name: 'managed-1, self-1, self-2' },
        affectsPrincipal: false,
        data: { ...common, managed: 'managed-1', selfManaged: 'self-1, self-2', firstSelfManaged: 'self-1' },
      },
      {
        messageId: 'sharedWithFargate',
        subject: { kind: 'nodegroup', name: 'managed-1, self-1, self-2' },
        affectsPrincipal: false,
        data: {
          ...common,
          nodegroups: 'node group managed-1, node group self-1, node group self-2',
          profiles: 'Fargate profile default, Fargate profile system',
          firstProfile: 'default',
          fargateProfileFix: expect.anything(),
        },
      },
    ]);
    // A new profile with a role of its own: eksctl's ClusterConfig, read from stdin.
    expect(fixText(hits[1]?.data.fargateProfileFix).split('\n')).toEqual([
      "eksctl create fargateprofile -f - <<'EOF'",
      'apiVersion: "eksctl.io/v1alpha5"',
      'kind: "ClusterConfig"',
      'metadata:',
      '  name: "prod"',
      '  region: "cn-north-1"',
      'fargateProfiles:',
      '  - name: "default-own-role"',
      `    podExecutionRoleARN: "arn:aws-cn:iam::${ACCOUNT}:role/eks-node-fargate"`,
      '    selectors:',
      '      - namespace: "NAMESPACE"',
      'EOF',
    ]);
    expectRendered(check, hits);
  });

  test('a role that is not an IAM role ARN: placeholders for its parts', () => {
    const hits = run({
      nodegroups: [ng('m'), ng('s', { selfManaged: true })].map((g) => ({ ...g, nodeRole: 'eks-node' })),
    });
    expect(hits).toMatchObject([
      { data: { role: 'eks-node', partition: 'aws', account: 'ACCOUNT_ID', roleName: 'ROLE_NAME' } },
    ]);
  });

  test('two managed groups and one self-managed on one role', () => {
    const hits = run({ nodegroups: [ng('m1'), ng('s', { selfManaged: true }), ng('m2')] });
    expect(hits).toMatchObject([{ data: { managed: 'm1, m2', selfManaged: 's', firstSelfManaged: 's' } }]);
  });

  test('something before "arn:" is no ARN: placeholders', () => {
    const nodeRole = `my-arn:aws:iam::${ACCOUNT}:role/eks-node`;
    const hits = run({ nodegroups: [ng('m', { nodeRole }), ng('s', { selfManaged: true, nodeRole })] });
    expect(hits).toMatchObject([{ data: { partition: 'aws', account: 'ACCOUNT_ID', roleName: 'ROLE_NAME' } }]);
  });

  test('no node groups read: nothing', () => {
    expect(run({ fargateProfiles: [fp('fp', ROLE)] })).toEqual([]);
  });

  test('only Fargate shares: one finding', () => {
    const hits = run({ nodegroups: [ng('s', { selfManaged: true })], fargateProfiles: [fp('fp', ROLE)] });
    expect(hits.map((h) => h.messageId)).toEqual(['sharedWithFargate']);
  });
});
