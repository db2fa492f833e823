import { parseAllDocuments } from 'yaml';
import { script, sh, withStdin } from '../../src/core/command.js';
import type { RbacBinding } from '../../src/model/evidence.js';
import { defineCheck, type Hit } from '../../src/core/types.js';

import { liveClusterName, liveRegion } from '../identity/_live-shared.js';

type Message = 'missing' | 'changed';

/** The binding EKS installs for managed node groups (EKS User Guide, troubleshooting: AccessDenied for managed node groups). */
export const NODE_MANAGER = 'eks:node-manager';

/**
 * Bindings every Kubernetes cluster has: if none of them is in the list, the list is a selection
 * (e.g. a file with a few bindings given to --rbac), and an absent eks:node-manager proves nothing.
 */
const ALWAYS_PRESENT = ['cluster-admin', 'system:basic-user', 'system:discovery', 'system:public-info-viewer'];

const MANIFEST = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: eks:node-manager
rules:
  - apiGroups: ['']
    resources: [pods]
    verbs: [get, list, watch, delete]
  - apiGroups: ['']
    resources: [nodes]
    verbs: [get, list, watch, patch]
  - apiGroups: ['']
    resources: [pods/eviction]
    verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: eks:node-manager
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: eks:node-manager
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: User
    name: eks:node-manager`;

/** `kubectl auth reconcile` fed the manifest as data. */
const RECONCILE = script(
  withStdin(sh`kubectl auth reconcile -f -`, {
    format: 'yaml-documents',
    value: parseAllDocuments(MANIFEST).map((d) => d.toJS() as unknown),
  }),
);

const FIX = {
  kubectl: '{reconcile}',
  eksctl:
    "# eksctl does not restore EKS's own RBAC; apply the manifest with kubectl, then check the node groups:\neksctl get nodegroup --cluster {cluster} --region {region}",
  aws: 'aws eks list-nodegroups --cluster-name {cluster} --region {region}\naws eks describe-nodegroup --cluster-name {cluster} --region {region} --nodegroup-name NODEGROUP --query nodegroup.health',
  terraform:
    '# hashicorp/kubernetes provider: manage it only if something keeps deleting it\nresource "kubernetes_cluster_role_binding_v1" "eks_node_manager" {\n  metadata { name = "eks:node-manager" }\n  role_ref {\n    api_group = "rbac.authorization.k8s.io"\n    kind      = "ClusterRole"\n    name      = "eks:node-manager"\n  }\n  subject {\n    kind      = "User"\n    name      = "eks:node-manager"\n    api_group = "rbac.authorization.k8s.io"\n  }\n}',
  risks: [
    'EKS may change these objects over time; the manifest is the one the EKS User Guide shows. `kubectl auth reconcile` adds what is missing and removes nothing.',
    'Whatever deleted them (a GitOps prune, an RBAC clean-up script) will delete them again: exclude `eks:*` objects from it.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'rbac/eks-system-bindings',
    title: "EKS's own RBAC for managed node groups (eks:node-manager) is missing",
    severity: 'warning',
    stage: 'authorization',
    ref: 'C41',
    needs: ['rbac'],
    messages: {
      missing: {
        text: 'None of the {bindingCount} bindings is the ClusterRoleBinding eks:node-manager: EKS needs it to drain and update managed node groups, which then fail with AccessDenied{nodegroupNote}.',
        remediation:
          'Re-create the eks:node-manager ClusterRole and ClusterRoleBinding as the EKS User Guide shows them.',
        fix: FIX,
      },
      changed: {
        text: 'The ClusterRoleBinding eks:node-manager binds {roleRef} to {subjects}, not ClusterRole eks:node-manager to the user eks:node-manager: managed node group operations can fail with AccessDenied{nodegroupNote}.',
        remediation: 'Restore the eks:node-manager ClusterRoleBinding as the EKS User Guide shows it.',
        fix: FIX,
      },
    },
  },
  run({ evidence }) {
    // Stryker disable next-line ArrayDeclaration: the engine runs this check only with the bindings read (needs: rbac)
    const bindings = evidence.rbac ?? [];
    const clusterBindings = bindings.filter((b) => b.kind === 'ClusterRoleBinding');
    if (!clusterBindings.some((b) => ALWAYS_PRESENT.includes(b.name))) return [];
    const denied = (evidence.nodegroups ?? []).filter(
      (n) => !n.selfManaged && n.healthIssues.some((i) => i.code === 'AccessDenied'),
    );
    const managed = (evidence.nodegroups ?? []).filter((n) => !n.selfManaged);
    const nodegroupNote =
      denied.length > 0
        ? ` (node group${denied.length === 1 ? '' : 's'} ${denied.map((n) => n.nodegroupName).join(', ')} already report${denied.length === 1 ? 's' : ''} AccessDenied)`
        : managed.length > 0
          ? ` (the cluster has ${managed.length} managed node group${managed.length === 1 ? '' : 's'})`
          : '';
    const common = {
      bindingCount: bindings.length,
      nodegroupNote,
      cluster: liveClusterName(evidence),
      region: liveRegion(evidence),
      reconcile: RECONCILE,
    };
    const hit = (messageId: Message, extra: Record<string, string> = {}): Hit<Message> => ({
      messageId,
      subject: { kind: 'rbac', name: `ClusterRoleBinding/${NODE_MANAGER}` },
      affectsPrincipal: false,
      data: { ...common, ...extra },
    });
    const binding = clusterBindings.find((b) => b.name === NODE_MANAGER);
    if (!binding) return [hit('missing')];
    if (!isIntact(binding))
      return [
        hit('changed', {
          roleRef: `${binding.roleRef.kind} ${binding.roleRef.name}`,
          subjects: binding.subjects.map((s) => `${s.kind} ${s.name}`).join(', ') || 'no subjects',
        }),
      ];
    return [];
  },
});

function isIntact(binding: RbacBinding): boolean {
  return (
    binding.roleRef.kind === 'ClusterRole' &&
    binding.roleRef.name === NODE_MANAGER &&
    binding.subjects.some((s) => s.kind === 'User' && s.name === NODE_MANAGER)
  );
}
