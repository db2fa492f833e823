import { describe, expect, test } from 'vitest';
import { chosenEntryGroup, entryGrantSteps, grantSteps, type DeniedRequest } from '../../../checks/rbac/_grant.js';
import type { FixStep } from '../../../src/core/types.js';
import type { RbacBinding } from '../../../src/model/evidence.js';
import type { Simulation } from '../../../src/model/simulate.js';
import { fixText } from '../../helpers/check-table.js';
import { clusterIn, entry } from '../../helpers/evidence.js';

// Expected texts below are written from Kubernetes RBAC (a Role and its RoleBinding live in one namespace,
// roleRef.kind names the role's kind, User/Group subjects take apiGroup rbac.authorization.k8s.io), kubectl
// (`auth can-i VERB RESOURCE[.GROUP] --subresource S -n NS --as U --as-group G`), the EKS access-policy
// reference (AmazonEKSViewPolicy has no pods/exec, AmazonEKSEditPolicy creates and gets it;
// `--access-scope type=namespace,namespaces=NS` or `type=cluster`) and the hashicorp/kubernetes provider
// (kubernetes_role_v1 `rule`, kubernetes_role_binding_v1 `role_ref` and `subject`).

const ROLE_ARN = 'arn:aws:iam::111122223333:role/dev';
const q = (verb: string, resource: string, group = '', namespace?: string): DeniedRequest => ({
  verb,
  resource,
  group,
  ...(namespace ? { namespace } : {}),
});
/** What grantSteps reads of a simulation: the principal's own access entry. */
const withEntry = (principalArn: string): Simulation => ({ principalEntry: entry(principalArn) }) as Simulation;
const texts = (step: FixStep | undefined) => ({
  title: step?.title,
  key: step?.key,
  identity: step?.identity,
  kubectl: fixText(step?.kubectl),
  eksctl: fixText(step?.eksctl),
  aws: fixText(step?.aws),
  terraform: fixText(step?.terraform),
});
const EKSCTL_CANNOT_ASSOCIATE =
  '# eksctl cannot add a policy to an existing access entry (it attaches policies only when it creates one): use the aws CLI form, aws eks associate-access-policy';
const binding = (
  kind: RbacBinding['kind'],
  name: string,
  roleRef: RbacBinding['roleRef'],
  subjects: RbacBinding['subjects'],
  namespace?: string,
): RbacBinding => ({ kind, name, roleRef, subjects, ...(namespace ? { namespace } : {}) });

describe('rbac/_grant: the exact grant, per dialect', () => {
  test('namespaced requests: a new Role and RoleBinding for the first own group, and the access-policy alternative scoped to the namespace', () => {
    const [step, ...rest] = grantSteps(
      { cluster: clusterIn('API_AND_CONFIG_MAP'), rbac: [] },
      withEntry(ROLE_ARN),
      [q('get', 'pods/exec', '', 'team-a'), q('create', 'pods/exec', '', 'team-a')],
      'jane',
      ['system:authenticated', 'devs', 'ops'],
    );
    expect(rest).toEqual([]);
    expect(texts(step)).toEqual({
      title:
        'Grant group devs get pods/exec in namespace team-a, create pods/exec in namespace team-a: a new Role and RoleBinding devs-get-create-pods-exec in namespace team-a',
      key: 'rbac:team-a:devs-get-create-pods-exec',
      identity: 'a cluster administrator (someone who may create Roles and RoleBindings in the namespace)',
      kubectl: [
        "kubectl create -f - <<'EOF'",
        'apiVersion: "rbac.authorization.k8s.io/v1"',
        'kind: "Role"',
        'metadata:',
        '  name: "devs-get-create-pods-exec"',
        '  namespace: "team-a"',
        'rules:',
        '  - apiGroups:',
        '      - ""',
        '    resources:',
        '      - "pods/exec"',
        '    verbs:',
        '      - "get"',
        '      - "create"',
        '---',
        'apiVersion: "rbac.authorization.k8s.io/v1"',
        'kind: "RoleBinding"',
        'metadata:',
        '  name: "devs-get-create-pods-exec"',
        '  namespace: "team-a"',
        'roleRef:',
        '  apiGroup: "rbac.authorization.k8s.io"',
        '  kind: "Role"',
        '  name: "devs-get-create-pods-exec"',
        'subjects:',
        '  - apiGroup: "rbac.authorization.k8s.io"',
        '    kind: "Group"',
        '    name: "devs"',
        'EOF',
        "kubectl auth can-i get pods --subresource exec -n team-a '--as=jane' '--as-group=devs' '--as-group=ops'",
        "kubectl auth can-i create pods --subresource exec -n team-a '--as=jane' '--as-group=devs' '--as-group=ops'",
      ].join('\n'),
      eksctl: [
        '# alternative to RBAC: AmazonEKSEditPolicy grants get pods/exec in namespace team-a, create pods/exec in namespace team-a',
        EKSCTL_CANNOT_ASSOCIATE,
      ].join('\n'),
      aws: [
        '# alternative to RBAC: AmazonEKSEditPolicy grants get pods/exec in namespace team-a, create pods/exec in namespace team-a',
        `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn ${ROLE_ARN} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy --access-scope 'type=namespace,namespaces=team-a'`,
      ].join('\n'),
      terraform: [
        '# hashicorp/kubernetes provider',
        'resource "kubernetes_role_v1" "devs_get_create_pods_exec" {',
        '  metadata {',
        '    name = "devs-get-create-pods-exec"',
        '    namespace = "team-a"',
        '  }',
        '  rule {',
        '    api_groups = [""]',
        '    resources = ["pods/exec"]',
        '    verbs = ["get", "create"]',
        '  }',
        '}',
        'resource "kubernetes_role_binding_v1" "devs_get_create_pods_exec" {',
        '  metadata {',
        '    name = "devs-get-create-pods-exec"',
        '    namespace = "team-a"',
        '  }',
        '  role_ref {',
        '    api_group = "rbac.authorization.k8s.io"',
        '    kind = "Role"',
        '    name = "devs-get-create-pods-exec"',
        '  }',
        '  subject {',
        '    kind = "Group"',
        '    name = "devs"',
        '    api_group = "rbac.authorization.k8s.io"',
        '  }',
        '}',
      ].join('\n'),
    });
  });

  test('cluster-wide requests: a new ClusterRole and ClusterRoleBinding, and the alternative scoped to the cluster', () => {
    const [step] = grantSteps(
      { cluster: clusterIn('API'), rbac: [] },
      withEntry(ROLE_ARN),
      [q('list', 'nodes'), q('get', 'nodes', 'metrics.k8s.io')],
      'jane',
      ['2fa-team'],
    );
    expect(texts(step)).toEqual({
      title:
        'Grant group 2fa-team list nodes cluster-wide, get nodes.metrics.k8s.io cluster-wide: a new ClusterRole and ClusterRoleBinding 2fa-team-access in the cluster',
      key: 'rbac::2fa-team-access',
      identity: 'a cluster administrator (someone who may create ClusterRoles and ClusterRoleBindings)',
      kubectl: [
        "kubectl create -f - <<'EOF'",
        'apiVersion: "rbac.authorization.k8s.io/v1"',
        'kind: "ClusterRole"',
        'metadata:',
        '  name: "2fa-team-access"',
        'rules:',
        '  - apiGroups:',
        '      - ""',
        '    resources:',
        '      - "nodes"',
        '    verbs:',
        '      - "list"',
        '  - apiGroups:',
        '      - "metrics.k8s.io"',
        '    resources:',
        '      - "nodes"',
        '    verbs:',
        '      - "get"',
        '---',
        'apiVersion: "rbac.authorization.k8s.io/v1"',
        'kind: "ClusterRoleBinding"',
        'metadata:',
        '  name: "2fa-team-access"',
        'roleRef:',
        '  apiGroup: "rbac.authorization.k8s.io"',
        '  kind: "ClusterRole"',
        '  name: "2fa-team-access"',
        'subjects:',
        '  - apiGroup: "rbac.authorization.k8s.io"',
        '    kind: "Group"',
        '    name: "2fa-team"',
        'EOF',
        "kubectl auth can-i list nodes '--as=jane' '--as-group=2fa-team'",
        "kubectl auth can-i get nodes.metrics.k8s.io '--as=jane' '--as-group=2fa-team'",
      ].join('\n'),
      eksctl: [
        '# alternative to RBAC: AmazonEKSAdminViewPolicy grants list nodes cluster-wide, get nodes.metrics.k8s.io cluster-wide',
        EKSCTL_CANNOT_ASSOCIATE,
      ].join('\n'),
      aws: [
        '# alternative to RBAC: AmazonEKSAdminViewPolicy grants list nodes cluster-wide, get nodes.metrics.k8s.io cluster-wide',
        `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn ${ROLE_ARN} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy --access-scope 'type=cluster'`,
      ].join('\n'),
      terraform: [
        '# hashicorp/kubernetes provider',
        // A Terraform name may not start with a digit.
        'resource "kubernetes_cluster_role_v1" "_2fa_team_access" {',
        '  metadata {',
        '    name = "2fa-team-access"',
        '  }',
        '  rule {',
        '    api_groups = [""]',
        '    resources = ["nodes"]',
        '    verbs = ["list"]',
        '  }',
        '  rule {',
        '    api_groups = ["metrics.k8s.io"]',
        '    resources = ["nodes"]',
        '    verbs = ["get"]',
        '  }',
        '}',
        'resource "kubernetes_cluster_role_binding_v1" "_2fa_team_access" {',
        '  metadata {',
        '    name = "2fa-team-access"',
        '  }',
        '  role_ref {',
        '    api_group = "rbac.authorization.k8s.io"',
        '    kind = "ClusterRole"',
        '    name = "2fa-team-access"',
        '  }',
        '  subject {',
        '    kind = "Group"',
        '    name = "2fa-team"',
        '    api_group = "rbac.authorization.k8s.io"',
        '  }',
        '}',
      ].join('\n'),
    });
  });

  test('a ClusterRole only the user is bound to gets the rules: patched in place, no namespace anywhere', () => {
    const [step] = grantSteps(
      {
        cluster: clusterIn('API'),
        rbac: [
          binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'jane-nodes' }, [
            { kind: 'User', name: 'jane' },
          ]),
        ],
      },
      undefined,
      [q('delete', 'nodes')],
      'jane',
      [],
    );
    expect(texts(step)).toEqual({
      title: 'Add delete nodes cluster-wide to ClusterRole jane-nodes, which user jane is bound to',
      key: 'rbac::extend:jane-nodes',
      identity: 'a cluster administrator (someone who may create ClusterRoles and ClusterRoleBindings)',
      kubectl: [
        `kubectl patch clusterrole jane-nodes --type json -p '[{"op":"add","path":"/rules/-","value":{"apiGroups":[""],"resources":["nodes"],"verbs":["delete"]}}]'`,
        "kubectl auth can-i delete nodes '--as=jane'",
      ].join('\n'),
      eksctl:
        '# no access-policy alternative: the principal has no access entry, and creating one would replace its aws-auth mapping (and the groups it brings); grant through RBAC (kubectl or Terraform)',
      aws: '# no access-policy alternative: the principal has no access entry, and creating one would replace its aws-auth mapping (and the groups it brings); grant through RBAC (kubectl or Terraform)',
      terraform: [
        '# hashicorp/kubernetes provider: add to the ClusterRole jane-nodes where your configuration defines it',
        'rule {',
        '  api_groups = [""]',
        '  resources = ["nodes"]',
        '  verbs = ["delete"]',
        '}',
      ].join('\n'),
    });
  });

  test('cluster-wide and bindings not read: the warning points at the ClusterRoleBindings', () => {
    const [step] = grantSteps(
      { cluster: clusterIn('CONFIG_MAP') },
      undefined,
      [q('list', 'namespaces')],
      'arn:aws:iam::111122223333:user/Jane',
      [],
    );
    expect(fixText(step?.kubectl).split('\n')[0]).toBe(
      '# the bindings were not read, so no existing role of arn:aws:iam::111122223333:user/Jane could be extended: kubectl create refuses a name that exists; list the bindings of the cluster (kubectl get clusterrolebindings -o wide) to extend one instead',
    );
    expect(step?.title).toBe(
      'Grant user arn:aws:iam::111122223333:user/Jane list namespaces cluster-wide: a new ClusterRole and ClusterRoleBinding arn-aws-iam-111122223333-user-jane-list-namespaces in the cluster',
    );
  });
});

describe('rbac/_grant: an access entry with no usable group', () => {
  const DEV = 'arn:aws:iam::111122223333:role/platform/Dev';
  const ADD_GROUP = {
    title:
      'Give the access entry for arn:aws:iam::111122223333:role/platform/Dev the Kubernetes group dev-access (a name eksauth chose: the entry has no group, and RBAC binds groups); the next step grants it',
    key: undefined,
    identity: 'an IAM principal allowed eks:UpdateAccessEntry on the cluster',
    kubectl:
      '# access entries are managed through the EKS API, not kubectl: use the aws CLI (or Terraform) for this step',
    eksctl:
      '# eksctl cannot change an existing access entry (it has no update accessentry, and create accessentry fails on an entry that exists; deleting and re-creating it locks the principal out in between): use the aws CLI form, aws eks update-access-entry',
    // update-access-entry replaces the entry's list of groups; the entry has none, so nothing is lost.
    aws: `aws eks update-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${DEV} --kubernetes-groups dev-access`,
    terraform: ['# terraform-aws-modules/eks v20+: in access_entries.dev', 'kubernetes_groups = ["dev-access"]'].join(
      '\n',
    ),
  };

  test('the group eksauth chooses is named after the principal, never a path or a system: group', () => {
    expect(chosenEntryGroup(DEV)).toBe('dev-access');
    expect(chosenEntryGroup('arn:aws:iam::111122223333:user/system:Ops')).toBe('system-ops-access');
    expect(chosenEntryGroup('arn:aws:iam::111122223333:root')).toBe('arn-aws-iam-111122223333-root-access');
  });

  test('no denied request known: the entry gets a group, bound to view, with AmazonEKSViewPolicy as the alternative', () => {
    const [add, bind, ...rest] = entryGrantSteps(
      {
        cluster: clusterIn('API'),
        rbac: [
          binding('ClusterRoleBinding', 'dev-access-view', { kind: 'ClusterRole', name: 'edit' }, []),
          binding('RoleBinding', 'dev-access-view-2', { kind: 'ClusterRole', name: 'view' }, [], 'a'),
        ],
      },
      undefined,
      entry(DEV, { kubernetesGroups: ['system:masters', '{{SessionName}}'] }),
      [],
      'arn:aws:sts::111122223333:assumed-role/Dev/s',
    );
    expect(rest).toEqual([]);
    expect(texts(add)).toEqual(ADD_GROUP);
    expect(texts(bind)).toEqual({
      title:
        'Bind group dev-access to the view ClusterRole (reads only; name the refused request with doctor --can for an exact grant)',
      key: undefined,
      identity: 'a cluster administrator (someone who may create ClusterRoleBindings)',
      // The ClusterRoleBinding name dev-access-view is taken; a RoleBinding's name is not a ClusterRoleBinding's.
      kubectl: [
        "kubectl create clusterrolebinding dev-access-view-2 '--clusterrole=view' '--group=dev-access'",
        "kubectl auth can-i --list '--as=arn:aws:sts::111122223333:assumed-role/Dev/s' '--as-group=dev-access'",
      ].join('\n'),
      eksctl: '# eksctl does not manage RBAC bindings: use kubectl or Terraform',
      aws: [
        '# alternative to RBAC: AmazonEKSViewPolicy grants reads',
        `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn ${DEV} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope 'type=cluster'`,
      ].join('\n'),
      terraform: [
        '# hashicorp/kubernetes provider',
        'resource "kubernetes_cluster_role_binding_v1" "dev_access_view_2" {',
        '  metadata {',
        '    name = "dev-access-view-2"',
        '  }',
        '  role_ref {',
        '    api_group = "rbac.authorization.k8s.io"',
        '    kind = "ClusterRole"',
        '    name = "view"',
        '  }',
        '  subject {',
        '    kind = "Group"',
        '    name = "dev-access"',
        '    api_group = "rbac.authorization.k8s.io"',
        '  }',
        '}',
      ].join('\n'),
    });
  });

  test('an own group is bound as it is (no group step); where the cluster reads no entry, the aws CLI offers nothing', () => {
    const steps = entryGrantSteps(
      { cluster: clusterIn('CONFIG_MAP'), rbac: [] },
      undefined,
      entry(DEV, { kubernetesGroups: ['system:authenticated', 'team2', 'ops'] }),
      [],
      'dev',
    );
    expect(steps.map(texts)).toMatchObject([
      {
        title:
          'Bind group team2 to the view ClusterRole (reads only; name the refused request with doctor --can for an exact grant)',
        kubectl: [
          "kubectl create clusterrolebinding team2-view '--clusterrole=view' '--group=team2'",
          "kubectl auth can-i --list '--as=dev' '--as-group=team2'",
        ].join('\n'),
        aws: '# the aws CLI cannot create RBAC bindings: use kubectl or Terraform',
      },
    ]);
    expect(fixText(steps[0]?.terraform).split('\n')[1]).toBe(
      'resource "kubernetes_cluster_role_binding_v1" "team2_view" {',
    );
  });

  test('denied requests known and own groups: no group step; the grant goes to the first, can-i impersonates them all', () => {
    const steps = entryGrantSteps(
      { cluster: clusterIn('API'), rbac: [] },
      undefined,
      entry(DEV, { kubernetesGroups: ['system:authenticated', 'team2', 'ops'] }),
      [q('list', 'services', '', 'a')],
      'dev',
    );
    expect(steps.map((s) => s.title)).toEqual([
      'Grant group team2 list services in namespace a: a new Role and RoleBinding team2-list-services in namespace a',
    ]);
    expect(fixText(steps[0]?.kubectl).split('\n').at(-1)).toBe(
      "kubectl auth can-i list services -n a '--as=dev' '--as-group=team2' '--as-group=ops'",
    );
  });

  test('denied requests known: the group step, then the exact grant to that group', () => {
    const steps = entryGrantSteps(
      { cluster: clusterIn('API'), rbac: [] },
      withEntry(DEV),
      entry(DEV),
      [q('get', 'pods/exec', '', 'a')],
      'dev',
    );
    expect(steps.map((s) => s.title)).toEqual([
      ADD_GROUP.title,
      'Grant group dev-access get pods/exec in namespace a: a new Role and RoleBinding dev-access-get-pods-exec in namespace a',
    ]);
    expect(texts(steps[0])).toEqual(ADD_GROUP);
    expect(fixText(steps[1]?.kubectl).split('\n').at(-1)).toBe(
      "kubectl auth can-i get pods --subresource exec -n a '--as=dev' '--as-group=dev-access'",
    );
    expect(fixText(steps[1]?.aws).split('\n')[0]).toBe(
      '# alternative to RBAC: AmazonEKSAdminViewPolicy grants get pods/exec in namespace a',
    );
  });
});
