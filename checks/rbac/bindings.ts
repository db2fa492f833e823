import { editDistance } from '../../src/model/text-match.js';
import type { RbacBinding } from '../../src/model/evidence.js';

/**
 * Groups whose rights do not come from bindings the cluster owner writes: `system:masters` passes
 * every authorization check (the API server's privileged-group authorizer, whatever RBAC says),
 * `system:nodes` is judged by the Node authorizer, and the rest are bound by Kubernetes' or EKS's
 * own bindings (missing ones are rbac/eks-system-bindings, not a typo).
 */
export const BUILT_IN_GROUPS: ReadonlyMap<string, string> = new Map([
  ['system:masters', 'allowed everything by the API server itself, whatever RBAC says'],
  ['system:nodes', 'authorized by the Node authorizer, not by bindings'],
  ['system:bootstrappers', 'bound by the node-bootstrap bindings Kubernetes and EKS create'],
  ['system:node-proxier', 'bound to kube-proxy permissions by Kubernetes default bindings'],
  ['system:authenticated', 'set by the API server on every authenticated request, bound by default bindings'],
  ['system:unauthenticated', 'set by the API server, bound by default bindings'],
  ['system:serviceaccounts', 'set by the API server for service accounts'],
  ['eks:kube-proxy-windows', 'bound by the binding EKS creates for Windows nodes'],
]);

export const isBuiltInGroup = (group: string): boolean =>
  BUILT_IN_GROUPS.has(group) || group.startsWith('system:serviceaccounts:');

/** Where each Group subject is bound: group name → binding names (`ClusterRoleBinding/x`, `RoleBinding ns/y`). */
export function boundGroups(bindings: readonly RbacBinding[]): Map<string, string[]> {
  return subjectsOfKind(bindings, 'Group');
}

export function boundUsers(bindings: readonly RbacBinding[]): Map<string, string[]> {
  return subjectsOfKind(bindings, 'User');
}

function subjectsOfKind(bindings: readonly RbacBinding[], kind: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const binding of bindings) {
    for (const subject of binding.subjects) {
      if (subject.kind !== kind) continue;
      const list = out.get(subject.name) ?? [];
      list.push(bindingRef(binding));
      out.set(subject.name, list);
    }
  }
  return out;
}

export const bindingRef = (b: RbacBinding): string =>
  b.kind === 'ClusterRoleBinding'
    ? `ClusterRoleBinding/${b.name}`
    : `RoleBinding ${b.namespace ?? 'default'}/${b.name}`;

/** A group that RBAC would honour: built in, templated (unknown until rendered), or named by a binding. */
export function isGroupBound(group: string, bound: ReadonlyMap<string, string[]>): boolean {
  return isBuiltInGroup(group) || group.includes('{{') || bound.has(group);
}

/** The bound group nearest to a misspelt one (case, separators, or at most a few edits), if any. */
export function nearestGroup(group: string, bound: ReadonlyMap<string, string[]>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  // Stryker disable next-line MethodExpression: both sides are squashed alike, so upper case compares as lower case does
  const squash = (s: string): string => s.toLowerCase().replace(/[-_.:\s]/g, '');
  for (const name of bound.keys()) {
    if (isBuiltInGroup(name)) continue;
    const distance = squash(name) === squash(group) ? 0 : editDistance(group.toLowerCase(), name.toLowerCase(), 3);
    const limit = Math.max(1, Math.min(3, Math.floor(group.length / 4)));
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
