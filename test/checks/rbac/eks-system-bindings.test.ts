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

describe('rbac/eks-system-bindings: when it can tell, and what it says', () => {
  const discovery: RbacBinding = { ...clusterAdmin, name: 'system:discovery' };

  test.each<[string, Nodegroup[], string]>([
    [
      'two failing node groups',
      [nodegroup('a', ['AccessDenied']), nodegroup('b', ['AccessDenied', 'Other'])],
      ' (node groups a, b already report AccessDenied)',
    ],
    [
      'managed node groups, none failing',
      [nodegroup('a'), nodegroup('b', ['Ec2LaunchTemplateNotFound'])],
      ' (the cluster has 2 managed node groups)',
    ],
    [
      'one managed node group',
      [nodegroup('a'), { ...nodegroup('self', ['AccessDenied']), selfManaged: true }],
      ' (the cluster has 1 managed node group)',
    ],
    ['only self-managed node groups', [{ ...nodegroup('self', ['AccessDenied']), selfManaged: true }], ''],
  ])('the note with %s', (_, nodegroups, nodegroupNote) => {
    const hits = run({ cluster: CLUSTER, rbac: [discovery], nodegroups });
    expect(hits).toEqual([
      {
        messageId: 'missing',
        subject: { kind: 'rbac', name: 'ClusterRoleBinding/eks:node-manager' },
        affectsPrincipal: false,
        data: expect.objectContaining({ bindingCount: 1, nodegroupNote, cluster: 'platform', region: 'eu-west-1' }),
      },
    ]);
  });

  test('a RoleBinding named eks:node-manager, or one proving the list complete, is not the ClusterRoleBinding', () => {
    const asRoleBinding: RbacBinding = { ...nodeManager, kind: 'RoleBinding', namespace: 'kube-system' };
    expect(run({ rbac: [asRoleBinding] })).toEqual([]);
    expect(run({ rbac: [{ ...clusterAdmin, kind: 'RoleBinding', namespace: 'x' }, asRoleBinding] })).toEqual([]);
    expect(run({ rbac: [clusterAdmin, asRoleBinding] }).map((h) => h.messageId)).toEqual(['missing']);
  });

  test.each<[string, Partial<RbacBinding>, string, string]>([
    [
      'another ClusterRole',
      { roleRef: { kind: 'ClusterRole', name: 'view' } },
      'ClusterRole view',
      'User eks:node-manager',
    ],
    [
      'a Role of that name',
      { roleRef: { kind: 'Role', name: 'eks:node-manager' } },
      'Role eks:node-manager',
      'User eks:node-manager',
    ],
    [
      'a Group instead of the user',
      { subjects: [{ kind: 'Group', name: 'eks:node-manager' }] },
      'ClusterRole eks:node-manager',
      'Group eks:node-manager',
    ],
    ['no subjects', { subjects: [] }, 'ClusterRole eks:node-manager', 'no subjects'],
    [
      'another user, and a group',
      {
        subjects: [
          { kind: 'User', name: 'eks:node-admin' },
          { kind: 'Group', name: 'ops' },
        ],
      },
      'ClusterRole eks:node-manager',
      'User eks:node-admin, Group ops',
    ],
  ])('changed: %s', (_, change, roleRef, subjects) => {
    const hits = run({ rbac: [clusterAdmin, { ...nodeManager, ...change }] });
    expect(hits).toMatchObject([{ messageId: 'changed', data: { roleRef, subjects, bindingCount: 2 } }]);
  });

  test('node groups not read: no note at all', () => {
    const hits = run({ rbac: [discovery] });
    expect(hits.map((h) => h.data.nodegroupNote)).toEqual(['']);
  });

  test('intact with other subjects too', () => {
    const extra = { ...nodeManager, subjects: [{ kind: 'Group', name: 'x' }, ...nodeManager.subjects] };
    expect(run({ rbac: [clusterAdmin, extra] })).toEqual([]);
  });
});
