import { normaliseEntryType } from '../../src/model/access-entries.js';
import { iamPathOf, sameArn, stripRolePath } from '../../src/model/arn.js';
import { effectiveRows } from '../../src/model/aws-auth/parse.js';
import type { MappingRow, SourceLocation } from '../../src/model/aws-auth/types.js';
import type { AccessEntry, AuthenticationMode, Evidence } from '../../src/model/evidence.js';
import { comment, hclAttr, hclComment, option, script, type HclScript, type Script } from '../../src/core/command.js';
import { eksctl, eksctlGroupArgs, fixTarget } from '../../src/core/fix-target.js';
import { manualEditLines, NO_AWS_CLI } from '../_fix.js';
import { awsCommands, eksctlCommand, terraformBlock, type EntryPlan } from '../access-entry/commands.js';

export type NodeKind = 'linux' | 'windows' | 'fargate';

/** What EKS writes for each kind of node role (eks-control-plane-facts.md §4.1). */
export const NODE_USERNAME: Record<NodeKind, string> = {
  linux: 'system:node:{{EC2PrivateDNSName}}',
  windows: 'system:node:{{EC2PrivateDNSName}}',
  fargate: 'system:node:{{SessionName}}',
};
export const NODE_ROW_GROUPS: Record<NodeKind, string[]> = {
  linux: ['system:bootstrappers', 'system:nodes'],
  windows: ['system:bootstrappers', 'system:nodes', 'eks:kube-proxy-windows'],
  fargate: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
};
/** Access-entry types that make a role a node of this kind (EC2 is Auto Mode's). */
export const NODE_ENTRY_TYPES: Record<NodeKind, string[]> = {
  linux: ['EC2_LINUX', 'EC2'],
  windows: ['EC2_WINDOWS', 'EC2'],
  fargate: ['FARGATE_LINUX'],
};
export const ENTRY_TYPE: Record<NodeKind, EntryPlan['type']> = {
  linux: 'EC2_LINUX',
  windows: 'EC2_WINDOWS',
  fargate: 'FARGATE_LINUX',
};

export const isWindowsAmi = (amiType: string | undefined): boolean =>
  (amiType ?? '').toUpperCase().startsWith('WINDOWS');

export type NodeMapping =
  | { status: 'mapped' | 'unknown' }
  | { status: 'none'; ignoredRow?: MappingRow }
  | { status: 'lost-with-block'; location: SourceLocation }
  | { status: 'only-with-path'; row: MappingRow }
  | { status: 'incomplete-row'; row: MappingRow; missing: string[] }
  | { status: 'wrong-entry'; entry: AccessEntry };

export interface RoleRowIndex {
  /** Effective mapRoles rows by lower-cased ARN (the first row wins, as a lookup would find it). */
  byArn: Map<string, MappingRow>;
  /** Effective rows whose rolearn has an IAM path, by the lower-cased path-less ARN. */
  byPathlessArn: Map<string, MappingRow>;
}

/** Indexes the effective mapRoles rows once, so checks over many roles stay linear. */
export function indexRoleRows(evidence: Evidence): RoleRowIndex {
  const index: RoleRowIndex = { byArn: new Map(), byPathlessArn: new Map() };
  if (evidence.awsAuth?.state !== 'present') return index;
  for (const row of effectiveRows(evidence.awsAuth.configMap.roleRows)) {
    const arn = row.arn.trim();
    const key = arn.toLowerCase();
    if (!index.byArn.has(key)) index.byArn.set(key, row);
    if ((iamPathOf(arn) ?? '/') !== '/') {
      const pathless = stripRolePath(arn).toLowerCase();
      if (!index.byPathlessArn.has(pathless)) index.byPathlessArn.set(pathless, row);
    }
  }
  return index;
}

/**
 * How EKS maps a node role, given the mode: an access entry of a node type wins (API modes), else
 * an aws-auth row (not in API) with a `system:node:` username and the node groups. A row that
 * only exists in a block that does not parse maps nothing.
 */
export function nodeMappingOf(
  roleArn: string,
  kind: NodeKind,
  evidence: Evidence,
  mode: AuthenticationMode,
  index: RoleRowIndex = indexRoleRows(evidence),
): NodeMapping {
  const canonical = stripRolePath(roleArn.trim());
  const configMap = evidence.awsAuth?.state === 'present' ? evidence.awsAuth.configMap : undefined;
  const row = index.byArn.get(canonical.toLowerCase());
  if (mode !== 'CONFIG_MAP') {
    const entry = evidence.accessEntries?.find((e) => sameArn(stripRolePath(e.principalArn), canonical));
    if (entry)
      return NODE_ENTRY_TYPES[kind].includes(normaliseEntryType(entry.type))
        ? { status: 'mapped' }
        : { status: 'wrong-entry', entry };
    if (mode === 'API')
      return evidence.accessEntries === undefined
        ? { status: 'unknown' }
        : { status: 'none', ...(row ? { ignoredRow: row } : {}) };
    if (evidence.accessEntries === undefined && !row) return { status: 'unknown' };
  }
  if (evidence.awsAuth === undefined) return { status: 'unknown' };
  if (!configMap) return { status: 'none' };
  if (row) {
    const missing = NODE_ROW_GROUPS[kind].filter((g) => !row.groups.includes(g));
    const usernameOk =
      kind === 'fargate' ? row.username === NODE_USERNAME.fargate : row.username.startsWith('system:node:');
    if (!usernameOk) missing.unshift(`username ${NODE_USERNAME[kind]}`);
    return missing.length === 0 ? { status: 'mapped' } : { status: 'incomplete-row', row, missing };
  }
  const lost = configMap.lostRows.find(
    (r) => r.block === 'mapRoles' && sameArn(stripRolePath(r.arn.trim()), canonical),
  );
  if (lost) return { status: 'lost-with-block', location: lost.location };
  const withPath = index.byPathlessArn.get(canonical.toLowerCase());
  if (withPath) return { status: 'only-with-path', row: withPath };
  return { status: 'none' };
}

/** The commands that give a node role its mapping, in the form the mode accepts. */
export function nodeFixData(
  roleArn: string,
  kind: NodeKind,
  evidence: Evidence,
  mode: AuthenticationMode,
): { cluster: string; kubectl: Script; eksctl: Script; aws: Script; terraform: HclScript } {
  const canonical = stripRolePath(roleArn.trim());
  const t = fixTarget(evidence);
  const username = NODE_USERNAME[kind];
  const groups = NODE_ROW_GROUPS[kind];
  const plan: EntryPlan = { principalArn: roleArn.trim(), type: ENTRY_TYPE[kind], groups: [], policies: [] };
  if (mode !== 'CONFIG_MAP')
    return {
      cluster: t.cluster,
      kubectl: [
        comment('access entries are managed through the EKS API, not kubectl: use the aws CLI, eksctl or Terraform'),
      ],
      eksctl: eksctlCommand(evidence, [plan]),
      aws: awsCommands(evidence, plan),
      terraform: terraformBlock([plan]),
    };
  return {
    cluster: t.cluster,
    kubectl: manualEditLines([
      `add to data.mapRoles: - rolearn: ${canonical}, username: ${username}, groups: [${groups.join(', ')}]`,
    ]),
    eksctl: script(
      eksctl(t, 'create', 'iamidentitymapping', [
        ...option('--arn', canonical),
        ...option('--username', username),
        ...eksctlGroupArgs(groups),
      ]),
    ),
    aws: [NO_AWS_CLI],
    terraform: [
      hclComment('terraform-aws-modules/eks//modules/aws-auth'),
      hclAttr('aws_auth_roles', [{ rolearn: canonical, username, groups: [...groups] }]),
    ],
  };
}

export const mappingRisks = [
  'aws-auth is read whole: one YAML mistake in mapRoles drops every role row, node roles included. Run `eksauth lint` on the edited file before applying it.',
  'Never delete aws-auth to get past an error: every principal mapped only there loses access, nodes included.',
  'A node-type access entry (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX) cannot be changed to another type later, and takes no groups or policies.',
  'Do not reuse a node role for people or pipelines: whoever assumes it is treated as a node.',
];
