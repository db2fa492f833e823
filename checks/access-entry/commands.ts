import { CLUSTER_ADMIN_POLICY, RESERVED_USERNAME_PREFIXES } from '../../src/model/access-entries.js';
import type { Evidence } from '../../src/model/evidence.js';
import { clusterNameOf, hclList, regionOf, shellQuote } from '../../src/core/fix-format.js';

/** An access entry to create, in the words of CreateAccessEntry and AssociateAccessPolicy. */
export interface EntryPlan {
  principalArn: string;
  type: 'STANDARD' | 'EC2_LINUX' | 'EC2_WINDOWS' | 'FARGATE_LINUX';
  /** Only STANDARD entries take a username; omitted: EKS's default. */
  username?: string;
  /** Groups EKS accepts (none starting with `system:`). */
  groups: string[];
  /** Access policies to associate at cluster scope, by name. */
  policies: string[];
}

export const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];
export const FARGATE_GROUPS = ['system:bootstrappers', 'system:nodes', 'system:node-proxier'];

export const policyArn = (partition: string, name: string): string =>
  `arn:${partition}:eks::aws:cluster-access-policy/${name}`;

export const partitionOf = (arn: string): string => /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';

/**
 * The access entry that reproduces an aws-auth row: node rows become EC2_LINUX (or FARGATE_LINUX)
 * entries, `system:masters` becomes AmazonEKSClusterAdminPolicy (entries refuse `system:` groups),
 * and a username is kept only when EKS accepts it.
 */
export function planFromRow(principalArn: string, row: { username: string; groups: readonly string[] }): EntryPlan {
  if (row.groups.includes('system:node-proxier') && row.username.startsWith('system:node:'))
    return { principalArn, type: 'FARGATE_LINUX', groups: [], policies: [] };
  if (row.groups.includes('system:nodes') && row.username.startsWith('system:node:')) {
    return {
      principalArn,
      type: row.groups.includes('eks:kube-proxy-windows') ? 'EC2_WINDOWS' : 'EC2_LINUX',
      groups: [],
      policies: [],
    };
  }
  const username =
    row.username !== '' &&
    !RESERVED_USERNAME_PREFIXES.some((p) => row.username.startsWith(p)) &&
    sessionNameHasColon(row.username)
      ? row.username
      : undefined;
  return {
    principalArn,
    type: 'STANDARD',
    ...(username !== undefined ? { username } : {}),
    groups: row.groups.filter((g) => !g.startsWith('system:') && !g.includes('{{')),
    policies: row.groups.includes('system:masters') ? [CLUSTER_ADMIN_POLICY] : [],
  };
}

/** `{{SessionName}}` in an access-entry username needs a `:` somewhere before it. */
export function sessionNameHasColon(username: string): boolean {
  const at = username.indexOf('{{SessionName}}');
  return at < 0 || username.slice(0, at).includes(':');
}

/** aws CLI commands creating the entry and associating its policies. */
export function awsCommands(evidence: Evidence, plan: EntryPlan): string {
  const cluster = clusterNameOf(evidence);
  const create = [
    `aws eks create-access-entry --cluster-name ${shellQuote(cluster)} --principal-arn ${plan.principalArn}`,
  ];
  if (plan.type !== 'STANDARD') create.push(`--type ${plan.type}`);
  if (plan.username !== undefined) create.push(`--username ${shellQuote(plan.username)}`);
  if (plan.groups.length > 0) create.push(`--kubernetes-groups ${plan.groups.map(shellQuote).join(' ')}`);
  return [create.join(' '), ...plan.policies.map((name) => associateCommand(evidence, plan.principalArn, name))].join(
    '\n',
  );
}

export function associateCommand(
  evidence: Evidence,
  principalArn: string,
  policy: string,
  scope = 'type=cluster',
): string {
  return `aws eks associate-access-policy --cluster-name ${shellQuote(clusterNameOf(evidence))} --principal-arn ${principalArn} --policy-arn ${policyArn(partitionOf(principalArn), policy)} --access-scope ${scope}`;
}

/** eksctl reads access entries from a config file; this feeds one on standard input. */
export function eksctlCommand(evidence: Evidence, plans: readonly EntryPlan[]): string {
  const lines = [
    `cat <<'EOF' | eksctl create accessentry -f -`,
    'apiVersion: eksctl.io/v1alpha5',
    'kind: ClusterConfig',
    'metadata:',
    `  name: ${clusterNameOf(evidence)}`,
    `  region: ${regionOf(evidence)}`,
    'accessConfig:',
    '  accessEntries:',
  ];
  for (const plan of plans) {
    lines.push(`    - principalARN: ${plan.principalArn}`);
    if (plan.type !== 'STANDARD') lines.push(`      type: ${plan.type}`);
    if (plan.username !== undefined) lines.push(`      kubernetesUsername: ${JSON.stringify(plan.username)}`);
    if (plan.groups.length > 0) lines.push(`      kubernetesGroups: ${hclList(plan.groups)}`);
    if (plan.policies.length > 0) {
      lines.push('      accessPolicies:');
      for (const name of plan.policies)
        lines.push(
          `        - policyARN: ${policyArn(partitionOf(plan.principalArn), name)}`,
          '          accessScope:',
          '            type: cluster',
        );
    }
  }
  lines.push('EOF');
  return lines.join('\n');
}

/** terraform-aws-modules/eks `access_entries`. */
export function terraformBlock(plans: readonly EntryPlan[]): string {
  const lines = ['# terraform-aws-modules/eks', 'access_entries = {'];
  plans.forEach((plan, i) => {
    lines.push(`  ${entryKey(plan.principalArn, i)} = {`, `    principal_arn = "${plan.principalArn}"`);
    if (plan.type !== 'STANDARD') lines.push(`    type          = "${plan.type}"`);
    if (plan.username !== undefined) lines.push(`    user_name     = ${JSON.stringify(plan.username)}`);
    if (plan.groups.length > 0) lines.push(`    kubernetes_groups = ${hclList(plan.groups)}`);
    if (plan.policies.length > 0) {
      lines.push('    policy_associations = {');
      for (const name of plan.policies) {
        lines.push(
          `      ${snake(name)} = {`,
          `        policy_arn   = "${policyArn(partitionOf(plan.principalArn), name)}"`,
          '        access_scope = { type = "cluster" }',
          '      }',
        );
      }
      lines.push('    }');
    }
    lines.push('  }');
  });
  lines.push('}');
  return lines.join('\n');
}

const snake = (name: string): string =>
  name
    .replace(/^AmazonEKS/, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase() || 'policy';

function entryKey(arn: string, index: number): string {
  const name = arn.split('/').pop() ?? '';
  const key = name.replace(/[^A-Za-z0-9_-]/g, '_').toLowerCase();
  return /^[a-z_]/.test(key) ? key : `entry_${index}`;
}
