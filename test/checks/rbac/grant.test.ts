import { describe, expect, test } from 'vitest';
import {
  deniedRequests,
  grantPlans,
  grantSteps,
  narrowestPolicy,
  type DeniedRequest,
} from '../../../checks/rbac/_grant.js';
import { fixText } from '../../helpers/check-table.js';
import type { ApiProbe, RbacBinding } from '../../../src/model/evidence.js';

const q = (verb: string, resource: string, group = '', namespace?: string): DeniedRequest => ({
  verb,
  resource,
  group,
  ...(namespace ? { namespace } : {}),
});
const probe = (fields: Partial<ApiProbe>): ApiProbe => ({ status: 403, error: null, ...fields });
const binding = (
  kind: RbacBinding['kind'],
  name: string,
  roleRef: RbacBinding['roleRef'],
  subjects: RbacBinding['subjects'],
  namespace?: string,
): RbacBinding => ({ kind, name, roleRef, subjects, ...(namespace ? { namespace } : {}) });

describe('rbac/_grant: the requests to grant', () => {
  test('the requests asked about win over the samples, with the core group and the namespace only when given', () => {
    const reviews = [
      { verb: 'get', resource: 'pods', namespace: 'a', allowed: false },
      { verb: 'list', resource: 'secrets', allowed: false, requested: true },
      { verb: 'create', resource: 'deployments', group: 'apps', namespace: 'b', allowed: false, requested: true },
      { verb: 'delete', resource: 'pods', namespace: 'a', allowed: true, requested: true },
    ];
    expect(deniedRequests(probe({ accessReviews: reviews }))).toEqual([
      { verb: 'list', resource: 'secrets', group: '' },
      { verb: 'create', resource: 'deployments', group: 'apps', namespace: 'b' },
    ]);
  });

  test('without asked requests: the denied samples, never a wildcard one', () => {
    const reviews = [
      { verb: '*', resource: '*', allowed: false },
      { verb: '*', resource: 'pods', allowed: false },
      { verb: 'get', resource: '*', allowed: false },
      { verb: 'get', resource: 'pods', namespace: 'a', allowed: true },
      { verb: 'watch', resource: 'pods', namespace: 'a', allowed: false },
    ];
    expect(deniedRequests(probe({ accessReviews: reviews, error: 'x' }))).toEqual([q('watch', 'pods', '', 'a')]);
  });

  test.each<[string, string | null, DeniedRequest[]]>([
    [
      'namespaced',
      'configmaps is forbidden: User "u" cannot update resource "configmaps" in API group "" in the namespace "default"',
      [q('update', 'configmaps', '', 'default')],
    ],
    [
      'cluster-wide, with a group',
      'nodes.metrics.k8s.io is forbidden: User "u" cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope',
      [q('list', 'nodes', 'metrics.k8s.io')],
    ],
    ['not a 403 text', 'Unauthorized', []],
    ['no error', null, []],
  ])('otherwise the request the 403 text names (%s)', (_, error, expected) => {
    expect(deniedRequests(probe({ error, accessReviews: [{ verb: '*', resource: '*', allowed: false }] }))).toEqual(
      expected,
    );
  });
});

describe('rbac/_grant: one plan per scope', () => {
  test('rules merge verbs per resource, scopes keep request order, names avoid bindings taken in the same scope', () => {
    const user = 'arn:aws:sts::1:assumed-role/Dev.Team/JANE@x';
    const base = 'arn-aws-sts-1-assumed-role-dev.team-jane-x';
    const plans = grantPlans(
      [
        q('get', 'pods', '', 'a'),
        q('list', 'pods', '', 'a'),
        q('get', 'pods', '', 'a'),
        q('get', 'nodes'),
        q('create', 'deployments', 'apps', 'a'),
      ],
      user,
      ['system:authenticated', '{{SessionName}}'],
      [
        binding('RoleBinding', `${base}-access`, { kind: 'Role', name: 'r' }, [], 'a'),
        binding('RoleBinding', `${base}-get-nodes`, { kind: 'Role', name: 'r' }, [], 'b'),
        binding('ClusterRoleBinding', `${base}-get-nodes`, { kind: 'ClusterRole', name: 'r' }, []),
        binding('ClusterRoleBinding', `${base}-get-nodes-2`, { kind: 'ClusterRole', name: 'r' }, []),
        binding('ClusterRoleBinding', `${base}-access-2`, { kind: 'ClusterRole', name: 'r' }, []),
      ],
    );
    expect(plans).toStrictEqual([
      {
        namespace: 'a',
        requests: [
          q('get', 'pods', '', 'a'),
          q('list', 'pods', '', 'a'),
          q('get', 'pods', '', 'a'),
          q('create', 'deployments', 'apps', 'a'),
        ],
        rules: [
          { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] },
        ],
        subject: { kind: 'User', name: user },
        roleName: `${base}-access-2`,
        bindingName: `${base}-access-2`,
      },
      {
        requests: [q('get', 'nodes')],
        rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
        subject: { kind: 'User', name: user },
        roleName: `${base}-get-nodes-3`,
        bindingName: `${base}-get-nodes-3`,
      },
    ]);
  });

  test('the first own group is the subject; the name is a DNS name', () => {
    const [plan] = grantPlans([q('get', 'pods', '', 'a')], 'u', ['system:masters', '--Team_A', 'other'], []);
    expect(plan).toMatchObject({ subject: { kind: 'Group', name: '--Team_A' }, roleName: 'team-a-get-pods' });
  });

  const mine = { kind: 'Group' as const, name: 'devs' };
  test.each<[string, RbacBinding[], string | undefined]>([
    [
      'a Role bound to the own group in that namespace',
      [binding('RoleBinding', 'b', { kind: 'Role', name: 'dev-role' }, [mine], 'a')],
      'dev-role',
    ],
    [
      'a Role also bound to someone else',
      [
        binding('RoleBinding', 'b', { kind: 'Role', name: 'dev-role' }, [mine], 'a'),
        binding('RoleBinding', 'c', { kind: 'Role', name: 'dev-role' }, [{ kind: 'User', name: 'bob' }], 'a'),
      ],
      undefined,
    ],
    [
      'the same Role name shared in another namespace (a different Role)',
      [
        binding('RoleBinding', 'b', { kind: 'Role', name: 'dev-role' }, [mine], 'a'),
        binding('RoleBinding', 'c', { kind: 'Role', name: 'dev-role' }, [{ kind: 'User', name: 'bob' }], 'z'),
      ],
      'dev-role',
    ],
    ['a shipped role', [binding('RoleBinding', 'b', { kind: 'Role', name: 'edit' }, [mine], 'a')], undefined],
    [
      'a system: role',
      [binding('RoleBinding', 'b', { kind: 'Role', name: 'system:controller:x' }, [mine], 'a')],
      undefined,
    ],
    [
      'a Role whose binding also names someone else',
      [binding('RoleBinding', 'b', { kind: 'Role', name: 'dev-role' }, [mine, { kind: 'User', name: 'bob' }], 'a')],
      undefined,
    ],
    [
      'a Role bound to a user who happens to be called like the own group',
      [binding('RoleBinding', 'b', { kind: 'Role', name: 'dev-role' }, [{ kind: 'User', name: 'devs' }], 'a')],
      undefined,
    ],
    [
      'a Role beside a same-named ClusterRole and another Role that other subjects are bound to',
      [
        binding('RoleBinding', 'b', { kind: 'Role', name: 'dev-role' }, [mine], 'a'),
        binding('RoleBinding', 'c', { kind: 'ClusterRole', name: 'dev-role' }, [{ kind: 'User', name: 'bob' }], 'a'),
        binding('RoleBinding', 'd', { kind: 'Role', name: 'ops-role' }, [{ kind: 'User', name: 'bob' }], 'a'),
      ],
      'dev-role',
    ],
    ['an eks: role', [binding('RoleBinding', 'b', { kind: 'Role', name: 'eks:x' }, [mine], 'a')], undefined],
    [
      'a ClusterRole bound in the namespace',
      [binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'c' }, [mine], 'a')],
      undefined,
    ],
    [
      'a Role of another namespace',
      [binding('RoleBinding', 'b', { kind: 'Role', name: 'dev-role' }, [mine], 'z')],
      undefined,
    ],
    [
      'a Role bound to other subjects only',
      [binding('RoleBinding', 'b', { kind: 'Role', name: 'dev-role' }, [{ kind: 'Group', name: 'ops' }], 'a')],
      undefined,
    ],
  ])('extends %s: %s', (_, bindings, extended) => {
    const [plan] = grantPlans([q('get', 'pods', '', 'a')], 'u', ['devs'], bindings);
    expect(plan?.extend?.name).toBe(extended);
    if (extended) expect(plan?.extend).toStrictEqual({ kind: 'Role', name: extended, namespace: 'a', subject: mine });
  });

  test('cluster-wide: a ClusterRole bound to the user itself is extended, with the user as subject', () => {
    const [plan] = grantPlans(
      [q('get', 'nodes')],
      'jane',
      [],
      [
        binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'jane-nodes' }, [
          { kind: 'User', name: 'jane' },
        ]),
        binding('RoleBinding', 'c', { kind: 'ClusterRole', name: 'jane-nodes' }, [{ kind: 'User', name: 'jane' }], 'a'),
      ],
    );
    expect(plan?.extend).toStrictEqual({
      kind: 'ClusterRole',
      name: 'jane-nodes',
      subject: { kind: 'User', name: 'jane' },
    });
    expect(plan?.subject).toEqual({ kind: 'User', name: 'jane' });
  });

  test.each<[string, RbacBinding[]]>([
    [
      'a group called like the user',
      [
        binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'jane-nodes' }, [
          { kind: 'Group', name: 'jane' },
        ]),
      ],
    ],
    [
      'a ClusterRole bound to the user in one namespace only (a RoleBinding grants nothing cluster-wide)',
      [binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'jane-nodes' }, [{ kind: 'User', name: 'jane' }], 'a')],
    ],
    [
      'a ClusterRole that a RoleBinding also grants to someone else in a namespace',
      [
        binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'jane-nodes' }, [
          { kind: 'User', name: 'jane' },
        ]),
        binding('RoleBinding', 'c', { kind: 'ClusterRole', name: 'jane-nodes' }, [{ kind: 'User', name: 'bob' }], 'a'),
      ],
    ],
    [
      // The API server refuses such a binding; evidence read from a file may still hold one.
      'a ClusterRoleBinding whose roleRef is not a ClusterRole',
      [binding('ClusterRoleBinding', 'b', { kind: 'Role', name: 'jane-nodes' }, [{ kind: 'User', name: 'jane' }])],
    ],
  ])('cluster-wide: never extends %s', (_, bindings) => {
    const [plan] = grantPlans([q('get', 'nodes')], 'jane', [], bindings);
    expect(plan?.extend).toBeUndefined();
    expect(plan?.roleName).toBe('jane-get-nodes');
  });

  test('a ClusterRoleBinding that claims a namespace (evidence from a file) is no RoleBinding: never extended, takes no name', () => {
    const [plan] = grantPlans(
      [q('get', 'pods', '', 'a')],
      'u',
      ['devs'],
      [
        binding(
          'ClusterRoleBinding',
          'devs-get-pods',
          { kind: 'Role', name: 'dev-role' },
          [{ kind: 'Group', name: 'devs' }],
          'a',
        ),
      ],
    );
    expect(plan?.extend).toBeUndefined();
    expect(plan?.roleName).toBe('devs-get-pods');
  });

  test('one rule names the role after its verbs and resource; only bindings of the same scope take a name', () => {
    const plans = grantPlans(
      [q('get', 'pods', '', 'a'), q('list', 'pods', '', 'a'), q('get', 'nodes')],
      'u',
      ['devs'],
      [
        binding('RoleBinding', 'devs-get-list-pods', { kind: 'Role', name: 'r' }, [], 'z'),
        binding('ClusterRoleBinding', 'devs-get-list-pods', { kind: 'ClusterRole', name: 'r' }, []),
        binding('RoleBinding', 'devs-get-nodes', { kind: 'Role', name: 'r' }, [], 'a'),
      ],
    );
    expect(plans.map((p) => [p.namespace, p.roleName, p.bindingName])).toEqual([
      ['a', 'devs-get-list-pods', 'devs-get-list-pods'],
      [undefined, 'devs-get-nodes', 'devs-get-nodes'],
    ]);
  });

  test.each<[string, string, string]>([
    ['dots and hyphens trimmed at the start', '.-.Devs', 'devs-get-pods'],
    ['a digit first is kept', '2fa', '2fa-get-pods'],
    // 199 letters, then `_x`: the cut at 200 ends in `-`, which a DNS name may not.
    ['cut to 200 characters, never ending in -', `${'a'.repeat(199)}_x`, 'a'.repeat(199)],
    ['cut to 200 characters, never ending in . or -', `${'a'.repeat(198)}.`, 'a'.repeat(198)],
  ])('role names are DNS names: %s', (_, group, name) => {
    const [plan] = grantPlans([q('get', 'pods', '', 'a')], 'u', [group], []);
    expect(plan?.roleName).toBe(name);
  });
});

describe('rbac/_grant: the narrowest access policy', () => {
  test.each<[DeniedRequest[], string | undefined]>([
    [[q('get', 'pods', '', 'a')], 'AmazonEKSViewPolicy'],
    [[q('get', 'pods/log', '', 'a')], 'AmazonEKSViewPolicy'],
    // view grants pods but none of pods/exec: the subresource decides.
    [[q('get', 'pods/exec', '', 'a')], 'AmazonEKSAdminViewPolicy'],
    [[q('get', 'secrets', '', 'a')], 'AmazonEKSAdminViewPolicy'],
    [[q('create', 'deployments', 'apps', 'a')], 'AmazonEKSEditPolicy'],
    [[q('get', 'pods', '', 'a'), q('create', 'deployments', 'apps', 'a')], 'AmazonEKSEditPolicy'],
    [[q('create', 'pods/exec', '', 'a')], 'AmazonEKSEditPolicy'],
    [[q('create', 'roles', 'rbac.authorization.k8s.io', 'a')], 'AmazonEKSAdminPolicy'],
    [[q('delete', 'nodes')], 'AmazonEKSClusterAdminPolicy'],
  ])('%j needs %s', (requests, policy) => {
    expect(narrowestPolicy(requests)).toBe(policy);
  });
});

describe('rbac/_grant: the fix steps', () => {
  const configMap = {
    name: 'prod',
    region: 'eu-west-1',
    accountId: '111122223333',
    authenticationMode: 'CONFIG_MAP' as const,
  };
  const CONFIG_MAP_WHY =
    '# no access-policy alternative: this cluster is in CONFIG_MAP mode, where EKS reads no access entry (switching is one-way); grant through RBAC (kubectl or Terraform)';

  test('a role only the own group is bound to gets the rules; a cluster-wide request gets a new ClusterRole', () => {
    const steps = grantSteps(
      {
        cluster: configMap,
        rbac: [binding('RoleBinding', 'b', { kind: 'Role', name: 'dev-role' }, [{ kind: 'Group', name: 'devs' }], 'a')],
      },
      undefined,
      [q('get', 'pods/log', '', 'a'), q('list', 'deployments', 'apps', 'a'), q('get', 'nodes', 'metrics.k8s.io')],
      'jane',
      ['system:authenticated', 'devs'],
    );
    expect(steps.map((s) => [s.title, s.key, s.identity])).toEqual([
      [
        'Add get pods/log in namespace a, list deployments.apps in namespace a to Role dev-role, which group devs is bound to',
        'rbac:a:extend:dev-role',
        'a cluster administrator (someone who may create Roles and RoleBindings in the namespace)',
      ],
      [
        'Grant group devs get nodes.metrics.k8s.io cluster-wide: a new ClusterRole and ClusterRoleBinding devs-get-nodes in the cluster',
        'rbac::devs-get-nodes',
        'a cluster administrator (someone who may create ClusterRoles and ClusterRoleBindings)',
      ],
    ]);
    const [extend, create] = steps;
    expect(fixText(extend?.kubectl).split('\n')).toEqual([
      `kubectl patch role dev-role -n a --type json -p '[{"op":"add","path":"/rules/-","value":{"apiGroups":[""],"resources":["pods/log"],"verbs":["get"]}},{"op":"add","path":"/rules/-","value":{"apiGroups":["apps"],"resources":["deployments"],"verbs":["list"]}}]'`,
      "kubectl auth can-i get pods --subresource log -n a '--as=jane' '--as-group=devs'",
      "kubectl auth can-i list deployments.apps -n a '--as=jane' '--as-group=devs'",
    ]);
    expect(fixText(extend?.terraform).split('\n')[0]).toBe(
      '# hashicorp/kubernetes provider: add to the Role a/dev-role where your configuration defines it',
    );
    expect(fixText(extend?.aws)).toBe(CONFIG_MAP_WHY);
    expect(fixText(extend?.eksctl)).toBe(CONFIG_MAP_WHY);
    const kubectl = fixText(create?.kubectl);
    expect(kubectl).toContain('kind: "ClusterRole"\nmetadata:\n  name: "devs-get-nodes"\nrules:');
    expect(kubectl).toContain(
      'kind: "ClusterRoleBinding"\nmetadata:\n  name: "devs-get-nodes"\nroleRef:\n  apiGroup: "rbac.authorization.k8s.io"\n  kind: "ClusterRole"\n  name: "devs-get-nodes"',
    );
    expect(kubectl.split('\n').at(-1)).toBe(
      "kubectl auth can-i get nodes.metrics.k8s.io '--as=jane' '--as-group=devs'",
    );
    const terraform = fixText(create?.terraform);
    expect(terraform).toContain(
      'resource "kubernetes_cluster_role_v1" "devs_get_nodes" {\n  metadata {\n    name = "devs-get-nodes"\n  }',
    );
    expect(terraform).toContain('resource "kubernetes_cluster_role_binding_v1" "devs_get_nodes" {');
    expect(terraform).toContain(
      '  subject {\n    kind = "Group"\n    name = "devs"\n    api_group = "rbac.authorization.k8s.io"\n  }',
    );
  });

  test('bindings not read: a warning first, a namespaced Role for the user, and why no policy is offered', () => {
    const [step] = grantSteps(
      { cluster: { ...configMap, authenticationMode: undefined } },
      undefined,
      [q('get', 'pods', '', 'a')],
      'jane',
      [],
    );
    const kubectl = fixText(step?.kubectl).split('\n');
    expect(kubectl[0]).toBe(
      '# the bindings were not read, so no existing role of jane could be extended: kubectl create refuses a name that exists; list the bindings of the namespace (kubectl get rolebindings -n a -o wide) to extend one instead',
    );
    expect(kubectl.at(-1)).toBe("kubectl auth can-i get pods -n a '--as=jane'");
    expect(fixText(step?.kubectl)).toContain(
      'kind: "RoleBinding"\nmetadata:\n  name: "jane-get-pods"\n  namespace: "a"',
    );
    expect(fixText(step?.terraform)).toContain('resource "kubernetes_role_binding_v1" "jane_get_pods" {');
    expect(fixText(step?.aws)).toBe(
      '# no access-policy alternative offered: the authentication mode was not read, and access policies work only in API or API_AND_CONFIG_MAP mode; grant through RBAC (kubectl or Terraform)',
    );
  });
});
