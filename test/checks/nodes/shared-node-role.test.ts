import { describe, expect, test } from 'vitest';
import check from '../../../checks/nodes/shared-node-role.js';
import { unfilledPlaceholders } from '../../../src/core/render.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';
import type { Evidence, FargateProfile, Nodegroup } from '../../../src/model/evidence.js';
import { KNOWN_TEMPLATE_VARIABLES } from '../../../src/model/templates.js';
import { ACCOUNT, contextFor } from '../../helpers/evidence.js';

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
const unfilled = (hits: Hit[]): string[] =>
  hits
    .flatMap((hit) => {
      const f = renderHit(check, hit);
      return [f.message, f.remediation, ...Object.values(f.fix ?? {}).flat()].flatMap((t) =>
        unfilledPlaceholders(String(t)),
      );
    })
    .filter((name) => !(KNOWN_TEMPLATE_VARIABLES as readonly string[]).includes(name));

describe('nodes/shared-node-role', () => {
  test.each<[string, Nodegroup[], FargateProfile[] | undefined]>([
    ['managed groups sharing a role among themselves', [ng('a'), ng('b')], undefined],
    [
      'self-managed groups with their own role',
      [ng('a'), ng('self', { selfManaged: true, nodeRole: OTHER })],
      undefined,
    ],
    ['Fargate with its own role', [ng('a')], [fp('default', `arn:aws:iam::${ACCOUNT}:role/fargate`)]],
    [
      'only self-managed groups on one role',
      [ng('s1', { selfManaged: true }), ng('s2', { selfManaged: true })],
      undefined,
    ],
  ])('passes: %s', (_, nodegroups, fargateProfiles) => {
    expect(check.run(contextFor({ cluster, nodegroups, ...(fargateProfiles ? { fargateProfiles } : {}) }))).toEqual([]);
  });

  test('warns: a managed and a self-managed group share the role (path ignored)', () => {
    const hits = check.run(
      contextFor({
        cluster,
        nodegroups: [
          ng('managed-1'),
          ng('legacy-asg', { selfManaged: true, nodeRole: `arn:aws:iam::${ACCOUNT}:role/nodes/eks-node` }),
        ],
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'sharedWithSelfManaged',
        affectsPrincipal: false,
        subject: { kind: 'nodegroup', name: 'managed-1, legacy-asg' },
        data: { role: ROLE, managed: 'managed-1', selfManaged: 'legacy-asg', roleName: 'eks-node', account: ACCOUNT },
      },
    ]);
    expect(renderHit(check, hits[0] as Hit).severity).toBe('warning');
    expect(unfilled(hits)).toEqual([]);
  });

  test('warns: a node group role is also a Fargate pod execution role', () => {
    const hits = check.run(
      contextFor({ cluster, nodegroups: [ng('managed-1')], fargateProfiles: [fp('karpenter', ROLE)] }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'sharedWithFargate',
        data: { nodegroups: 'node group managed-1', profiles: 'Fargate profile karpenter', firstProfile: 'karpenter' },
      },
    ]);
    expect(unfilled(hits)).toEqual([]);
  });
});
