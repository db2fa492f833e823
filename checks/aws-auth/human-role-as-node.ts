import { stripRolePath } from '../../src/model/arn.js';
import { comment, script, sh, visible, type Script } from '../../src/core/command.js';
import { awsAuthPatch, editedBlocks, fixTarget } from '../../src/core/fix-target.js';
import { defineCheck, type FixSpec, type FixStep, type Hit } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { clusterNameOf, hclList } from '../../src/core/fix-format.js';
import { awsAuthStep, awsEntryCommands, entriesUsable, manualEditLines, NO_AWS_CLI, type EntryPlan } from '../_fix.js';
import { correctArn } from './_fix-rows.js';
import { isNodeRow, listText, resourceName, rowRef, rowViews, viaRow, type RowView } from './_shared.js';

type Message = 'humanRole' | 'notANodeRole' | 'clusterServiceRole';

/** Words in a role name that point at a person or a pipeline rather than an EC2 instance. */
const HUMAN_WORDS = [
  'admin',
  'administrator',
  'terraform',
  'ci',
  'cicd',
  'deploy',
  'deployer',
  'github',
  'gitlab',
  'jenkins',
  'developer',
  'developers',
  'user',
  'users',
  'engineer',
  'readonly',
  'poweruser',
];
const HUMAN_SUBSTRINGS = ['admin', 'terraform', 'github', 'gitlab', 'jenkins', 'developer', 'deploy'];
/** Words that say the role is for machines that run pods (a CI runner node group is still nodes). */
const NODE_WORDS = ['node', 'nodes', 'worker', 'workers', 'nodegroup', 'ng', 'karpenter', 'fargate', 'instance'];
const NODE_SUBSTRINGS = ['noderole', 'nodeinstance', 'workernode', 'podexecution', 'nodegroup'];

/** The fix steps are built from the row (see ownIdentityStep); the message keeps the risks. */
const FIX: FixSpec = {
  risks: [
    'If nodes really run with {arn}, removing its node mapping stops them from joining: move those nodes to a dedicated node role first.',
    'EKS says a node role must not be the role that creates or administers clusters: separating the roles is the fix, not a wider mapping.',
    'The row keeps only the groups it had besides the node groups: the role gets in, and reaches what those groups (and system:authenticated) are bound to; grant what it needs with RBAC (eksauth doctor --can names the refused request).',
    'AmazonEKSViewPolicy is read-only: pick the narrowest policy the role really needs.',
  ],
};

/** The cluster's service role mapped as a node: drop the row; nodes keep (or get) their own role's mapping. */
const CLUSTER_ROLE_FIX: FixSpec = {
  kubectl: `{kubectl}`,
  eksctl: `eksctl delete iamidentitymapping --cluster {cluster} --arn {arn}`,
  aws: `{nodeEntries}`,
  terraform: `# remove {arn} (the cluster's service role, var.iam_role_arn) from aws_auth_roles;\n# node rows name the node role ({nodeRoleText}); eks_managed_node_groups add theirs`,
  risks: [
    'Only the EKS control plane uses the cluster role: no node runs with it, so its node row grants nothing that nodes need.',
    'A node-type access entry (EC2_LINUX, FARGATE_LINUX) cannot change type later: create it for the node role only.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/human-role-as-node',
    title: 'A human or CI role is mapped with a node username or node groups',
    severity: 'error',
    stage: 'authentication',
    ref: 'C29',
    needs: ['awsAuth'],
    messages: {
      humanRole: {
        text: '{where} maps {arn} as a node (username "{username}", groups {groups}), but {reason}: whoever uses it {effect}.',
        remediation: 'Map {name} with its own username and groups, and run nodes under a dedicated node role.',
        fix: FIX,
      },
      notANodeRole: {
        text: '{where} maps {arn} as a node (username "{username}", groups {groups}), but it is the role of no node group or Fargate profile given ({known}): unless self-managed nodes or Karpenter use it, whoever uses it {effect}.',
        remediation: 'Check who uses {name}; if it is not a node role, map it with its own username and groups.',
        severity: 'warning',
        fix: FIX,
      },
      clusterServiceRole: {
        text: "{where} maps {arn} as a node, but it is the cluster's service role (DescribeCluster roleArn), which only the EKS control plane assumes: nodes run under their node group's role or Fargate profile's pod execution role ({nodeRoleText}), never this one.",
        remediation:
          "Remove the cluster's service role from the node rows; map (or give an access entry to) the node role instead.",
        severity: 'warning',
        fix: CLUSTER_ROLE_FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const knownNodeRoles = [
      ...(evidence.nodegroups ?? []).map((n) => n.nodeRole),
      ...(evidence.fargateProfiles ?? []).map((f) => f.podExecutionRoleArn),
    ].map((arn) => stripRolePath(arn).toLowerCase());
    const known = new Set(knownNodeRoles);
    const nodeInventory = known.size > 0;
    const clusterRole = evidence.cluster?.roleArn?.trim();
    const clusterRoleKey = clusterRole ? stripRolePath(clusterRole).toLowerCase() : undefined;
    const hits: Hit<Message>[] = [];
    for (const row of rowViews(evidence.awsAuth.configMap)) {
      if (row.block !== 'mapRoles' || row.arn === '' || !isNodeRow(row)) continue;
      const canonical = stripRolePath(row.arn.trim());
      const isClusterRole = canonical.toLowerCase() === clusterRoleKey;
      if (known.has(canonical.toLowerCase()) && !isClusterRole) continue;
      const name = resourceName(row.arn);
      const reason = humanReason(name);
      if (!reason && !nodeInventory && !isClusterRole) continue;
      const mapped = !row.lost && viaRow(simulation, row.block, row.index);
      hits.push({
        messageId: isClusterRole ? 'clusterServiceRole' : reason ? 'humanRole' : 'notANodeRole',
        subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
        location: row.location,
        affectsPrincipal: mapped,
        data: {
          where: rowRef(row.block, row.index, row.location),
          arn: row.arn,
          name: name || 'ROLE',
          username: row.username,
          groups: listText(row.groups),
          reason: reason ?? '',
          effect: row.username.includes('{{EC2PrivateDNSName}}')
            ? 'gets 401 Unauthorized: the session name is not an EC2 instance id, so EKS cannot render the username ("SessionName did not contain an instance id")'
            : 'is treated as a node, and the node authorizer refuses almost everything else (403 Forbidden)',
          known: [
            ...new Set([
              ...(evidence.nodegroups ?? []).map((n) => n.nodegroupName),
              ...(evidence.fargateProfiles ?? []).map((f) => f.fargateProfileName),
            ]),
          ].join(', '),
          cluster: clusterNameOf(evidence),
          hclGroups: hclList(row.groups.filter((g) => !g.startsWith('system:node') && g !== 'system:bootstrappers')),
          ...(isClusterRole
            ? {
                ...clusterRoleData(evidence, clusterRoleKey),
                kubectl: removeRowLines(evidence, row, clusterRole ?? row.arn),
              }
            : {}),
        },
        ...(isClusterRole ? {} : { fix: [ownIdentityStep(evidence, row, name || 'ROLE')] }),
      });
    }
    return hits;
  },
});

/** The node roles doctor read (never the cluster role), each with the access-entry type its nodes need. */
function nodeRoles(evidence: Evidence, clusterRoleKey: string | undefined) {
  const roles = [
    ...(evidence.nodegroups ?? []).map((n) => ({ arn: n.nodeRole, type: 'EC2_LINUX' as const })),
    ...(evidence.fargateProfiles ?? []).map((f) => ({ arn: f.podExecutionRoleArn, type: 'FARGATE_LINUX' as const })),
  ].filter((r) => r.arn.trim() !== '' && stripRolePath(r.arn.trim()).toLowerCase() !== clusterRoleKey);
  const seen = new Set<string>();
  return roles.filter((r) => {
    const key = stripRolePath(r.arn.trim()).toLowerCase();
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * The node side of the fix: access entries name the node group's role (or the Fargate profile's),
 * never the cluster's service role; with no node role read, the command that finds it.
 */
function clusterRoleData(evidence: Evidence, clusterRoleKey: string | undefined) {
  const t = fixTarget(evidence);
  const roles = nodeRoles(evidence, clusterRoleKey);
  const lookup = script(
    comment('no node group or Fargate profile role was read: look the node role up, and never use the cluster role'),
    sh`aws eks list-nodegroups --cluster-name ${t.cluster}`,
    sh`aws eks describe-nodegroup --cluster-name ${t.cluster} --nodegroup-name NODEGROUP --query nodegroup.nodeRole --output text`,
  );
  const usable = entriesUsable(evidence);
  let nodeEntries: Script;
  if (roles.length === 0) nodeEntries = lookup;
  else if (usable !== 'yes')
    nodeEntries = [
      NO_AWS_CLI,
      comment(
        usable === 'no'
          ? 'in CONFIG_MAP mode EKS reads node roles from aws-auth only: keep the node role rows there'
          : 'the authentication mode was not read: access entries work only in API or API_AND_CONFIG_MAP mode',
      ),
    ];
  else
    nodeEntries = script(
      comment("nodes authenticate with the node role, never the cluster's service role:"),
      ...roles.flatMap((r) =>
        awsEntryCommands(t, { principalArn: r.arn.trim(), type: r.type, groups: [], policies: [] }),
      ),
    );
  return {
    nodeRoleText: roles.length > 0 ? roles.map((r) => r.arn.trim()).join(', ') : 'not read',
    nodeEntries,
  };
}

/** Why the role looks like a person's or a pipeline's, or undefined. */
function humanReason(name: string): string | undefined {
  if (/^AWSReservedSSO_/i.test(name)) return `${name} is an IAM Identity Center (SSO) role, assumed by people`;
  const lower = name.toLowerCase();
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  if (words.some((w) => NODE_WORDS.includes(w)) || NODE_SUBSTRINGS.some((s) => lower.includes(s))) return undefined;
  const word = words.find((w) => HUMAN_WORDS.includes(w)) ?? HUMAN_SUBSTRINGS.find((s) => lower.includes(s));
  return word ? `its name ${name} ("${word}") looks like a human or CI role` : undefined;
}

const NODE_ONLY_GROUPS = ['system:bootstrappers', 'system:nodes', 'system:node-proxier', 'eks:kube-proxy-windows'];

/**
 * The row given its own identity: username `<role name>:{{SessionName}}` (each session its own
 * user), the node groups dropped and its other groups kept, the ARN as EKS matches it (no path);
 * an exact patch of the block at the version read. An access entry is offered only where the
 * cluster reads them: on CONFIG_MAP that needs the one-way mode switch, which fixing one row does
 * not warrant, so the aws CLI form says so instead.
 */
function ownIdentityStep(evidence: Evidence, row: RowView, name: string): FixStep {
  const username = `${name}:{{SessionName}}`;
  const groups = row.groups.filter((g) => !NODE_ONLY_GROUPS.includes(g));
  const arn = correctArn(row.arn);
  const arnKey = row.row?.keys.find((k) => k.toLowerCase() === 'rolearn') ?? 'rolearn';
  const where = rowRef(row.block, row.index, row.location);
  const step = awsAuthStep(
    evidence,
    `Give ${visible(name)} its own identity in ${where}: username ${visible(username)}, the node groups removed${groups.length > 0 ? ` (${visible(groups.join(', '))} kept)` : ''}`,
    [{ from: row.arn, to: { block: 'mapRoles', arn, username, groups } }],
    [`in ${where}: username ${username}, groups [${groups.join(', ')}] (no node groups)`],
    // A row of a block EKS drops is rewritten with its block (aws-auth/yaml-invalid), not patched alone.
    row.lost
      ? []
      : [
          {
            block: 'mapRoles',
            index: row.index,
            set: { ...(arn !== row.arn ? { [arnKey]: arn } : {}), username, groups },
          },
        ],
  );
  const t = fixTarget(evidence);
  const usable = entriesUsable(evidence);
  const plan: EntryPlan = {
    principalArn: arn,
    type: 'STANDARD',
    username,
    groups: groups.filter((g) => !g.startsWith('system:')),
    policies: ['AmazonEKSViewPolicy'],
  };
  const aws: Script =
    usable === 'no'
      ? [
          NO_AWS_CLI,
          comment(
            'an access entry instead needs the one-way switch of this CONFIG_MAP cluster to API_AND_CONFIG_MAP (see mode/config-map-only): correcting the row is enough',
          ),
        ]
      : [
          comment(
            usable === 'yes'
              ? 'alternative to the row: a STANDARD access entry, which EKS reads before aws-auth'
              : 'alternative to the row, only where the cluster reads access entries (authentication mode API_AND_CONFIG_MAP or API): a STANDARD access entry',
          ),
          ...script(...awsEntryCommands(t, plan)),
        ];
  return { ...step, aws };
}

/** The cluster role's row removed: an exact patch of the block at the version read, else a hand edit. */
function removeRowLines(evidence: Evidence, row: RowView, clusterRole: string): Script {
  const blocks = row.lost ? undefined : editedBlocks(evidence, [{ block: 'mapRoles', index: row.index }]);
  return blocks
    ? script(awsAuthPatch(evidence, blocks))
    : manualEditLines([
        `in ${rowRef(row.block, row.index, row.location)}: remove the row of ${clusterRole}, the cluster's service role`,
      ]);
}
