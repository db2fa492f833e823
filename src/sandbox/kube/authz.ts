import { policyName } from '../../model/access-entries.js';
import type { AssociatedAccessPolicy } from '../../model/evidence.js';
import type { KubeObject } from '../scenario/types.js';
import { RESOURCE_TYPES } from './resources.js';
import { ACCESS_POLICY_RULES, ruleAllows, type PolicyRule, type RequestAttributes } from './rules.js';
import type { KubeStore } from './store.js';

export interface UserInfo {
  username: string;
  uid: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** The authenticated user plus what only EKS's webhook authorizer knows: the entry's access policies. */
export interface Subject {
  user: UserInfo;
  policies: AssociatedAccessPolicy[];
}

const type = (resource: string) => RESOURCE_TYPES.find((t) => t.resource === resource);

interface Binding {
  namespace?: string;
  roleRef: { kind: string; name: string };
  subjects: { kind: string; name: string; namespace?: string }[];
}

function bindingsFor(store: KubeStore, user: UserInfo): Binding[] {
  const clusterBindings = type('clusterrolebindings');
  const roleBindings = type('rolebindings');
  const all = [
    ...(clusterBindings ? store.list(clusterBindings) : []),
    ...(roleBindings ? store.list(roleBindings) : []),
  ];
  return all
    .map((o) => ({
      namespace: o.metadata.namespace,
      roleRef: o.roleRef as Binding['roleRef'],
      subjects: (o.subjects as Binding['subjects'] | undefined) ?? [],
    }))
    .filter((b) =>
      b.subjects.some(
        (s) => (s.kind === 'User' && s.name === user.username) || (s.kind === 'Group' && user.groups.includes(s.name)),
      ),
    );
}

function rulesOf(store: KubeStore, binding: Binding): PolicyRule[] {
  const kind = binding.roleRef.kind === 'Role' ? type('roles') : type('clusterroles');
  if (!kind) return [];
  const role: KubeObject | undefined = store.get(kind, binding.namespace, binding.roleRef.name);
  return (role?.rules as PolicyRule[] | undefined) ?? [];
}

/** RBAC: the rules bound to this user in `namespace` (cluster-wide ones included), as SSRR lists them. */
export function rbacRules(store: KubeStore, user: UserInfo, namespace: string | undefined): PolicyRule[] {
  return bindingsFor(store, user)
    .filter((b) => b.namespace === undefined || b.namespace === namespace)
    .flatMap((b) => rulesOf(store, b));
}

/** The namespaces of an access scope may end in `*` (`dev-*`). */
const scopeCovers = (policy: AssociatedAccessPolicy, namespace: string | undefined): boolean =>
  policy.accessScope.type === 'cluster' ||
  (namespace !== undefined &&
    policy.accessScope.namespaces.some((ns) =>
      ns.endsWith('*') ? namespace.startsWith(ns.slice(0, -1)) : ns === namespace,
    ));

export interface AuthorizationDecision {
  allowed: boolean;
  /** Which authorizer allowed it, for the review's `reason`. */
  reason: string;
}

/**
 * EKS's authorizer chain, reduced to what the sandbox needs: system:masters, RBAC, then the
 * access-policy webhook. Allowed if any allows (they never deny explicitly).
 */
export function authorize(store: KubeStore, subject: Subject, attrs: RequestAttributes): AuthorizationDecision {
  const { user } = subject;
  if (user.groups.includes('system:masters')) return { allowed: true, reason: 'system:masters' };
  const namespace = attrs.resource?.namespace;
  for (const binding of bindingsFor(store, user)) {
    if (binding.namespace !== undefined && binding.namespace !== namespace) continue;
    if (rulesOf(store, binding).some((rule) => ruleAllows(rule, attrs))) {
      return {
        allowed: true,
        reason: `RBAC: allowed by ${binding.namespace ? `RoleBinding "${binding.namespace}/…"` : 'ClusterRoleBinding'} of ${binding.roleRef.kind} "${binding.roleRef.name}"`,
      };
    }
  }
  for (const policy of subject.policies) {
    const rules = ACCESS_POLICY_RULES[policyName(policy.policyArn)] ?? [];
    if (!scopeCovers(policy, namespace)) continue;
    // A namespace-scoped policy never covers cluster-scoped resources.
    if (policy.accessScope.type === 'namespace' && (attrs.path !== undefined || namespace === undefined)) continue;
    if (rules.some((rule) => ruleAllows(rule, attrs)))
      return { allowed: true, reason: `EKS access policy ${policyName(policy.policyArn)}` };
  }
  return { allowed: false, reason: '' };
}

/** The upstream Forbidden message (`configmaps "aws-auth" is forbidden: User "x" cannot get …`). */
export function forbiddenMessage(user: UserInfo, attrs: RequestAttributes): string {
  if (attrs.path !== undefined) return `forbidden: User "${user.username}" cannot ${attrs.verb} path "${attrs.path}"`;
  const r = attrs.resource ?? { group: '', resource: '' };
  const qualified = r.group ? `${r.resource}.${r.group}` : r.resource;
  const subject = r.name ? `${qualified} "${r.name}"` : qualified;
  const where = r.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${user.username}" cannot ${attrs.verb} resource "${r.subresource ? `${r.resource}/${r.subresource}` : r.resource}" in API group "${r.group}" ${where}`;
}
