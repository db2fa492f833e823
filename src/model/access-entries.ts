import { parseArn, sameArn, stripRolePath } from './arn.js';
import type { AccessEntry, AssociatedAccessPolicy } from './evidence.js';
import type { Principal } from './principal.js';

/** Entry types are spelled `EC2_Linux` in the guide and `EC2_LINUX` on the wire: compare case-insensitively. */
export const normaliseEntryType = (type: string | undefined): string => (type ?? 'STANDARD').toUpperCase();

const NODE_ENTRY_TYPES = new Set([
  'EC2_LINUX',
  'EC2_WINDOWS',
  'EC2',
  'FARGATE_LINUX',
  'HYBRID_LINUX',
  'HYPERPOD_LINUX',
]);
export const isNodeEntryType = (type: string | undefined): boolean => NODE_ENTRY_TYPES.has(normaliseEntryType(type));

/** Prefixes EKS refuses in custom access-entry usernames (and, for `system:`, in groups). */
export const RESERVED_USERNAME_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'] as const;

export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

/** `arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy` → `AmazonEKSViewPolicy`. */
export const policyName = (policyArn: string): string => policyArn.split('/').pop() ?? policyArn;

/**
 * An access entry belongs to the principal when its ARN, path removed, names the same role or
 * user: IAM names are unique in an account whatever the path, and entries may carry the path.
 */
export function entryMatchesPrincipal(entry: AccessEntry, principal: Principal): boolean {
  return sameArn(stripRolePath(entry.principalArn), principal.canonicalArn);
}

/** The username EKS uses when the entry sets none (grant-k8s-access.adoc, "default usernames"). */
export function defaultEntryUsername(entry: AccessEntry): string {
  const type = normaliseEntryType(entry.type);
  if (type === 'EC2_LINUX' || type === 'EC2_WINDOWS' || type === 'EC2') return 'system:node:{{EC2PrivateDNSName}}';
  if (type === 'FARGATE_LINUX' || type === 'HYBRID_LINUX' || type === 'HYPERPOD_LINUX')
    return 'system:node:{{SessionName}}';
  const parsed = parseArn(entry.principalArn);
  if (!parsed.ok) return entry.principalArn;
  const { partition, accountId, resource } = parsed.value;
  if (resource.startsWith('role/')) {
    // Stryker disable next-line StringLiteral: pop() of a split() result is never undefined
    const name = resource.split('/').pop() ?? '';
    return `arn:${partition}:sts::${accountId}:assumed-role/${name}/{{SessionName}}`;
  }
  return entry.principalArn;
}

export function effectiveEntryUsername(entry: AccessEntry): string {
  return entry.username !== undefined && entry.username !== '' ? entry.username : defaultEntryUsername(entry);
}

/** Groups EKS gives node-type entries; only EC2_LINUX's are documented (UNCONFIRMED for the rest). */
export function effectiveEntryGroups(entry: AccessEntry): string[] {
  if (isNodeEntryType(entry.type) && entry.kubernetesGroups.length === 0) return ['system:nodes'];
  return entry.kubernetesGroups;
}

export function describePolicy(policy: AssociatedAccessPolicy): string {
  const scope =
    policy.accessScope.type === 'cluster'
      ? 'cluster-wide'
      : `namespaces ${policy.accessScope.namespaces.join(', ') || '(none)'}`;
  return `${policyName(policy.policyArn)} (${scope})`;
}

export const isClusterAdminPolicy = (policy: AssociatedAccessPolicy): boolean =>
  policyName(policy.policyArn) === CLUSTER_ADMIN_POLICY && policy.accessScope.type === 'cluster';
