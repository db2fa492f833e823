import { describe, expect, test } from 'vitest';
import check from '../../../checks/rbac/eks-system-bindings.js';
import type { Nodegroup, RbacBinding } from '../../../src/model/evidence.js';
import { checkTable, expectRendered } from '../../helpers/check-table.js';
import { ACCOUNT } from '../../helpers/evidence.js';
import { CLUSTER } from '../_live.js';

const clusterAdmin: RbacBinding = {
  kind: 'ClusterRoleBinding',
  name: 'cluster-admin',
  roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'Group', name: 'system:masters' }],
};
const nodeManager: RbacBinding = {
  kind: 'ClusterRoleBinding',
  name: 'eks:node-manager',
  roleRef: { kind: 'ClusterRole', name: 'eks:node-manager' },
  subjects: [{ kind: 'User', name: 'eks:node-manager' }],
};
const nodegroup = (name: string, codes: string[] = []): Nodegroup => ({
  nodegroupName: name,
  nodeRole: `arn:aws:iam::${ACCOUNT}:role/nodes`,
  healthIssues: codes.map((code) => ({ code, message: 'x' })),
});

const { run, passes } = checkTable(check);

describe('rbac/eks-system-bindings', () => {
  passes([
    ['intact', { rbac: [clusterAdmin, nodeManager] }],
    ['a partial list (no built-in binding in it): absence proves nothing', { rbac: [] }],
    ['a partial list with other bindings only', { rbac: [{ ...clusterAdmin, name: 'team-admins' }] }],
  ]);

  test('warns: missing, naming the node groups already failing', () => {
    const hits = run({
      cluster: CLUSTER,
      rbac: [clusterAdmin],
      nodegroups: [nodegroup('ng-a', ['AccessDenied']), nodegroup('ng-b')],
    });
    expect(hits).toMatchObject([
      {
        messageId: 'missing',
        affectsPrincipal: false,
        data: { bindingCount: 1, nodegroupNote: ' (node group ng-a already reports AccessDenied)' },
      },
    ]);
    expectRendered(check, hits);
  });

  test('warns: changed subjects', () => {
    const changed = { ...nodeManager, subjects: [{ kind: 'Group', name: 'ops' }] };
    const hits = run({ rbac: [clusterAdmin, changed], nodegroups: [nodegroup('ng-a')] });
    expect(hits).toMatchObject([
      {
        messageId: 'changed',
        data: {
          roleRef: 'ClusterRole eks:node-manager',
          subjects: 'Group ops',
          nodegroupNote: ' (the cluster has 1 managed node group)',
        },
      },
    ]);
    expectRendered(check, hits);
  });
});
