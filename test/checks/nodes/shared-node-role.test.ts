import { describe, expect, test } from 'vitest';
import check from '../../../checks/nodes/shared-node-role.js';
import type { Evidence, FargateProfile, Nodegroup } from '../../../src/model/evidence.js';
import { checkTable, expectRendered } from '../../helpers/check-table.js';
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
});
