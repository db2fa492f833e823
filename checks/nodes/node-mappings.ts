import { normaliseEntryType } from '../../src/model/access-entries.js';
import { sameArn, stripRolePath } from '../../src/model/arn.js';
import { effectiveRows } from '../../src/model/aws-auth/parse.js';
import type { MappingRow, SourceLocation } from '../../src/model/aws-auth/types.js';
import type { AccessEntry, AuthenticationMode, Evidence } from '../../src/model/evidence.js';
import { comment, hclAttr, hclComment, option, script, type HclScript, type Script } from '../../src/core/command.js';
import {
  addRowsCommand,
  awsAuthPatch,
  editedBlocks,
  eksctl,
  eksctlGroupArgs,
  fixTarget,
} from '../../src/core/fix-target.js';
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
  amiType?.toUpperCase().startsWith('WINDOWS') === true;

export type NodeMapping =
  | { status: 'mapped' | 'unknown' }
  | { status: 'none'; ignoredRow?: MappingRow }
  | { status: 'lost-with-block'; location: SourceLocation }
  | { status: 'only-with-path'; row: MappingRow }
  | { status: 'incomplete-row'; row: MappingRow; missing: string[] }
  | { status: 'wrong-entry'; entry: AccessEntry };

export interface RoleRowIndex {
  /**
   * Effective rows by lower-cased ARN, as the authenticator looks them up: mapRoles first, then
   * mapUsers (the first row wins).
   */
  byArn: Map<string, MappingRow>;
  /** Effective mapRoles rows, by the lower-cased path-less ARN (to find a row written with the path). */
  byPathlessArn: Map<string, MappingRow>;
}

/** Indexes the effective rows once, so checks over many roles stay linear. */
export function indexRoleRows(evidence: Evidence): RoleRowIndex {
  const index: RoleRowIndex = { byArn: new Map(), byPathlessArn: new Map() };
  if (evidence.awsAuth?.state !== 'present') return index;
  const { roleRows, userRows } = evidence.awsAuth.configMap;
  for (const row of effectiveRows(roleRows)) {
    // Untrimmed: a quoted ARN with spaces matches nothing (aws-auth/malformed-arn says why).
    const arn = row.arn;
    // One effective row per lower-cased rolearn: a later row with the same key overrides the earlier.
    index.byArn.set(arn.toLowerCase(), row);
    // A row without a path is found by byArn first, so every row can be indexed here too.
    const pathless = stripRolePath(arn).toLowerCase();
    if (!index.byPathlessArn.has(pathless)) index.byPathlessArn.set(pathless, row);
  }
  // A role ARN no mapRoles row has is looked up in mapUsers too, and matches there today
  // (corrections-turn-2.md §4; aws-auth/wrong-section flags the row).
  for (const row of effectiveRows(userRows)) {
    const key = row.arn.toLowerCase();
    if (!index.byArn.has(key)) index.byArn.set(key, row);
  }
  return index;
}

/**
 * How EKS maps a node role (`roleArn` trimmed, as the node group or Fargate profile names it), given the mode: an access entry of a node type wins (API modes), else
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
  const canonical = stripRolePath(roleArn);
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
  const lost = configMap.lostRows.find((r) => r.block === 'mapRoles' && sameArn(stripRolePath(r.arn), canonical));
  if (lost) return { status: 'lost-with-block', location: lost.location };
  const withPath = index.byPathlessArn.get(canonical.toLowerCase());
  if (withPath) return { status: 'only-with-path', row: withPath };
  return { status: 'none' };
}

/** The commands that give a node role (`roleArn` trimmed) its mapping, in the form the mode accepts. */
export function nodeFixData(
  roleArn: string,
  kind: NodeKind,
  evidence: Evidence,
  mode: AuthenticationMode,
): { cluster: string; kubectl: Script; eksctl: Script; aws: Script; terraform: HclScript } {
  const canonical = stripRolePath(roleArn);
  const t = fixTarget(evidence);
  const username = NODE_USERNAME[kind];
  const groups = NODE_ROW_GROUPS[kind];
  const plan: EntryPlan = { principalArn: roleArn, type: ENTRY_TYPE[kind], groups: [], policies: [] };
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
  const missing = missingNodeRows(evidence, mode);
  // Every unmapped node role is added by one step (the same for each of their findings, so the plan
  // keeps it once and no second patch meets a changed resourceVersion).
  const rows = missing.some((r) => r.rolearn.toLowerCase() === canonical.toLowerCase())
    ? missing
    : [{ roleArn, rolearn: canonical, username, groups: [...groups], kind }];
  return { cluster: t.cluster, ...nodeRowsFix(evidence, rows), aws: [NO_AWS_CLI] };
}

/** The aws-auth row EKS writes for a node role. */
export interface NodeRow {
  /** The role as the node group or Fargate profile names it (an IAM path kept: access entries want it). */
  roleArn: string;
  /** The row's ARN: without the IAM path, as EKS matches aws-auth rows. */
  rolearn: string;
  username: string;
  groups: string[];
  kind: NodeKind;
}

/** Groups owners (node groups, Fargate profiles) by their role as EKS compares it: no path, any case. */
export function groupByRole<T>(owners: readonly T[], roleOf: (owner: T) => string): [T, ...T[]][] {
  const byRole = new Map<string, [T, ...T[]]>();
  for (const owner of owners) {
    const role = roleOf(owner).trim();
    if (!role) continue;
    // Stryker disable next-line MethodExpression: upper- or lower-casing the key gives the same groups
    const key = stripRolePath(role).toLowerCase();
    const group = byRole.get(key);
    if (group) group.push(owner);
    else byRole.set(key, [owner]);
  }
  return [...byRole.values()];
}

/**
 * The node rows aws-auth lacks: every node group role (from DescribeNodegroup) and Fargate pod
 * execution role (DescribeFargateProfile) that neither a row nor an access entry maps, as the row
 * EKS writes for it. None in API mode, which ignores aws-auth.
 */
export function missingNodeRows(evidence: Evidence, mode: AuthenticationMode): NodeRow[] {
  if (mode === 'API') return [];
  const index = indexRoleRows(evidence);
  const roles: { arn: string; kind: NodeKind }[] = [
    ...groupByRole(evidence.nodegroups ?? [], (g) => g.nodeRole).map((groups) => ({
      arn: groups[0].nodeRole.trim(),
      kind: (groups.some((g) => isWindowsAmi(g.amiType)) ? 'windows' : 'linux') as NodeKind,
    })),
    ...groupByRole(evidence.fargateProfiles ?? [], (p) => p.podExecutionRoleArn).map((profiles) => ({
      arn: profiles[0].podExecutionRoleArn.trim(),
      kind: 'fargate' as const,
    })),
  ];
  const seen = new Set<string>();
  return roles.flatMap(({ arn, kind }) => {
    const rolearn = stripRolePath(arn);
    // One role used by node groups and a Fargate profile gets one row (the first kind's).
    if (seen.has(rolearn.toLowerCase()) || nodeMappingOf(arn, kind, evidence, mode, index).status !== 'none') return [];
    seen.add(rolearn.toLowerCase());
    return [{ roleArn: arn, rolearn, username: NODE_USERNAME[kind], groups: [...NODE_ROW_GROUPS[kind]], kind }];
  });
}

/**
 * The node rows added to mapRoles exactly (a patch at the version read, or the ConfigMap created
 * when EKS holds none; fetch, edit by hand, lint and replace only when the block does not parse),
 * and the same rows for eksctl and Terraform.
 */
export function nodeRowsFix(
  evidence: Evidence,
  rows: readonly NodeRow[],
): { kubectl: Script; eksctl: Script; terraform: HclScript } {
  const t = fixTarget(evidence);
  const plain = rows.map(({ rolearn, username, groups }) => ({ rolearn, username, groups }));
  // undefined for a block EKS drops (addRowsCommand never rewrites what go-yaml refuses).
  const command = addRowsCommand(evidence, 'mapRoles', plain);
  return {
    kubectl: command
      ? script(command)
      : manualEditLines(
          plain.map(
            (r) =>
              `add to data.mapRoles: - rolearn: ${r.rolearn}, username: ${r.username}, groups: [${r.groups.join(', ')}]`,
          ),
        ),
    eksctl: script(
      ...plain.map((r) =>
        eksctl(t, 'create', 'iamidentitymapping', [
          ...option('--arn', r.rolearn),
          ...option('--username', r.username),
          ...eksctlGroupArgs(r.groups),
        ]),
      ),
    ),
    terraform: [hclComment('terraform-aws-modules/eks//modules/aws-auth'), hclAttr('aws_auth_roles', plain)],
  };
}

/**
 * The row of a node role corrected in place (path dropped from its rolearn, node username and the
 * missing node groups added, other groups kept), at the version read; undefined when the block
 * cannot be edited exactly.
 */
export function correctedNodeRow(
  evidence: Evidence,
  row: MappingRow,
  kind: NodeKind,
  fix: { arn?: string; missing?: readonly string[] },
): Script | undefined {
  const set: Record<string, string | string[]> = {};
  // Stryker disable next-line StringLiteral: an effective mapRoles row always has a rolearn key, in some case
  if (fix.arn !== undefined) set[row.keys.find((k) => k.toLowerCase() === 'rolearn') ?? 'rolearn'] = fix.arn;
  // An incomplete row always lacks something.
  if (fix.missing) {
    if (fix.missing.some((m) => m.startsWith('username '))) set.username = NODE_USERNAME[kind];
    set.groups = [...row.groups, ...NODE_ROW_GROUPS[kind].filter((g) => !row.groups.includes(g))];
  }
  const blocks = editedBlocks(evidence, [{ block: row.block, index: row.index, set }]);
  return blocks ? script(awsAuthPatch(evidence, blocks)) : undefined;
}

export const mappingRisks = [
  'aws-auth is read whole: one YAML mistake in mapRoles drops every role row, node roles included. Run `eksauth lint` on the edited file before applying it.',
  'Never delete aws-auth to get past an error: every principal mapped only there loses access, nodes included.',
  'A node-type access entry (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX) cannot be changed to another type later, and takes no groups or policies.',
  'Do not reuse a node role for people or pipelines: whoever assumes it is treated as a node.',
];
