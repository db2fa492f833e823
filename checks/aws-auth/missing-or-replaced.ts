import { sameArn, stripRolePath } from '../../src/model/arn.js';
import { effectiveRows } from '../../src/model/aws-auth/parse.js';
import type { Evidence, Nodegroup } from '../../src/model/evidence.js';
import type { Simulation } from '../../src/model/simulate.js';
import { comment, hclComment, script, sh, visible } from '../../src/core/command.js';
import { fixTarget } from '../../src/core/fix-target.js';
import { defineCheck, type FixSpec, type FixStep, type Hit } from '../../src/core/types.js';
import { clusterNameOf } from '../../src/core/fix-format.js';
import { resolveMode } from '../mode/resolve.js';
import { isNodeRow, refused } from './_shared.js';
import { awsEntryCommands, entriesUsable, manualEditLines, NO_AWS_CLI } from '../_fix.js';
import { ENTRY_TYPE, missingNodeRows, nodeRowsFix } from '../nodes/node-mappings.js';

type Message = 'absent' | 'absentNoImpact' | 'empty' | 'emptyNoImpact' | 'nodeRowsMissing';

const RISKS = [
  'Restore the rows you had, not a minimal ConfigMap: every principal mapped only in aws-auth stays locked out until its row is back.',
  'If Terraform or Pulumi owns the whole object, the next apply may replace it again: switch to a patch-style resource (`kubernetes_config_map_v1_data` with `force = true`) or to access entries, and add `prevent_destroy`.',
  '`kubectl apply` of a full ConfigMap overwrites rows EKS added for managed node groups and Fargate profiles: merge them in first.',
];

/** The steps are built from the evidence (see restoreSteps); the messages keep the risks. */
const FIX: FixSpec = { risks: RISKS };

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/missing-or-replaced',
    title: 'aws-auth is absent, empty, or was overwritten without its node rows',
    severity: 'error',
    stage: 'authentication',
    ref: 'C24',
    needs: ['awsAuth'],
    // A whole ConfigMap gone explains less about one principal than a check about its own row or role.
    fallback: 'broad',
    messages: {
      absent: {
        text: 'The ConfigMap kube-system/aws-auth does not exist: in {mode} mode EKS maps no IAM principal through it, so {impact}.',
        remediation: 'Restore aws-auth from your last good copy, or move these principals to access entries.',
        fix: FIX,
      },
      absentNoImpact: {
        text: 'The ConfigMap kube-system/aws-auth does not exist: in {mode} mode EKS maps no IAM principal through it, so only the cluster creator and access entries work; no node group or principal given here depends on it.',
        remediation: 'Make sure nobody is meant to be mapped through aws-auth, or restore it from your last good copy.',
        severity: 'warning',
        fix: FIX,
      },
      empty: {
        text: 'The aws-auth ConfigMap exists but has no mapRoles and no mapUsers{keysNote}: EKS maps no IAM role or user through it, so {impact}.',
        remediation: 'Restore the mapRoles and mapUsers rows from your last good copy.',
        fix: FIX,
      },
      emptyNoImpact: {
        text: 'The aws-auth ConfigMap exists but has no mapRoles and no mapUsers{keysNote}: EKS maps no IAM role or user through it; no node group or principal given here depends on it.',
        remediation:
          'Make sure nobody is meant to be mapped through aws-auth, or restore the rows from your last good copy.',
        severity: 'warning',
        fix: FIX,
      },
      nodeRowsMissing: {
        text: 'The mapRoles block has {rows} but none maps a node, while node group {nodegroups} uses {nodeRoles} and relies on aws-auth in {mode} mode: its nodes cannot join, and existing ones fail on token refresh (aws-auth was probably overwritten by automation){principalNote}.',
        remediation:
          'Add the node row back to mapRoles (rolearn {nodeRole}, username system:node:{{EC2PrivateDNSName}}, groups system:bootstrappers and system:nodes).',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const awsAuth = evidence.awsAuth;
    if (awsAuth === undefined) return [];
    const { mode } = resolveMode(evidence);
    if (mode === 'API') return [];
    const dependent = nodegroupsRelyingOnAwsAuth(evidence, mode);
    const cluster = clusterNameOf(evidence);
    const nodeRole = dependent[0] ? stripRolePath(dependent[0].nodeRole) : 'NODE_ROLE_ARN';
    const principalRefused = refused(simulation) && simulation.via === undefined;
    // Refused, and no other check explains it (a near miss naming another id: a misspelt `maproles`
    // holding its row, an unreadable mapAccounts listing its account, a broken ARN…).
    // With access entries in play (API_AND_CONFIG_MAP) a cluster may rightly have no aws-auth: a
    // refused principal there lacks an access entry (identity/principal-not-mapped), not a row.
    const unexplained =
      principalRefused &&
      mode === 'CONFIG_MAP' &&
      simulation.nearMisses.every((n) => n.checkId === 'aws-auth/missing-or-replaced') &&
      !(
        awsAuth.state === 'present' &&
        (awsAuth.configMap.blocks.mapAccounts.raw ?? '').includes(simulation.principal.accountId)
      );
    const impact = impactOf(dependent, unexplained ? simulation : undefined);
    const blocking = impact !== undefined;
    const data = { mode, cluster, nodeRole, impact: impact ?? '' };

    const lostPrincipal = unexplained ? simulation.principal.canonicalArn : undefined;
    if (awsAuth.state === 'absent') {
      return [
        {
          messageId: blocking ? 'absent' : 'absentNoImpact',
          subject: { kind: 'aws-auth', name: 'kube-system/aws-auth' },
          affectsPrincipal: unexplained,
          data,
          fix: restoreSteps(evidence, mode, { othersLost: true, lostPrincipal }),
        },
      ];
    }
    const { configMap } = awsAuth;
    const { mapRoles, mapUsers } = configMap.blocks;
    const hasRows =
      mapRoles.dropped || mapUsers.dropped || configMap.roleRows.length > 0 || configMap.userRows.length > 0;
    if (!hasRows) {
      const keysNote =
        configMap.miscasedKeys.length > 0
          ? ` (EKS ignores ${configMap.miscasedKeys.map((k) => `data.${k.key}`).join(', ')}: see aws-auth/key-casing)`
          : '';
      const location = mapRoles.location ?? mapUsers.location;
      return [
        {
          messageId: blocking ? 'empty' : 'emptyNoImpact',
          subject: { kind: 'aws-auth', name: 'kube-system/aws-auth' },
          ...(location ? { location } : {}),
          affectsPrincipal: unexplained,
          data: { ...data, keysNote },
          fix: restoreSteps(evidence, mode, { othersLost: true, lostPrincipal }),
        },
      ];
    }
    // A broken block is aws-auth/yaml-invalid; only judge a mapRoles that EKS could read.
    if (mapRoles.dropped || dependent.length === 0) return [];
    const roles = effectiveRows(configMap.roleRows);
    if (roles.some(isNodeRow)) return [];
    const nodeRoles = [...new Set(dependent.map((n) => stripRolePath(n.nodeRole)))];
    const principalLost = unexplained && !nodeRoles.some((r) => sameArn(r, simulation.principal.canonicalArn));
    const hit: Hit<Message> = {
      messageId: 'nodeRowsMissing',
      subject: { kind: 'aws-auth', name: 'data.mapRoles' },
      ...(mapRoles.location ? { location: mapRoles.location } : {}),
      affectsPrincipal:
        unexplained ||
        (simulation !== undefined &&
          nodeRoles.some((r) => sameArn(r, simulation.principal.canonicalArn)) &&
          !simulation.decision.authenticated),
      data: {
        ...data,
        rowCount: roles.length,
        rows: roles.length === 1 ? '1 row' : `${roles.length} rows`,
        nodegroups: dependent.map((n) => n.nodegroupName).join(', '),
        nodeRoles: nodeRoles.join(', '),
        principalNote: principalLost
          ? `; ${simulation.principal.canonicalArn} has no row either, probably lost in the same rewrite`
          : '',
      },
      fix: restoreSteps(evidence, mode, {
        othersLost: principalLost,
        lostPrincipal: principalLost ? simulation.principal.canonicalArn : undefined,
      }),
    };
    return [hit];
  },
});

/** Managed node groups whose role has no access entry, so their nodes authenticate through aws-auth. */
function nodegroupsRelyingOnAwsAuth(evidence: Evidence, mode: 'CONFIG_MAP' | 'API_AND_CONFIG_MAP'): Nodegroup[] {
  const nodegroups = evidence.nodegroups ?? [];
  if (mode === 'CONFIG_MAP') return nodegroups;
  const entries = evidence.accessEntries;
  if (entries === undefined) return [];
  return nodegroups.filter(
    (n) => !entries.some((e) => sameArn(stripRolePath(e.principalArn), stripRolePath(n.nodeRole))),
  );
}

/** Who is blocked now, or undefined when nobody we know of is. */
function impactOf(dependent: readonly Nodegroup[], refusedSimulation: Simulation | undefined): string | undefined {
  const parts: string[] = [];
  if (refusedSimulation) parts.push(`${refusedSimulation.principal.canonicalArn} gets 401 Unauthorized`);
  if (dependent.length > 0)
    parts.push(
      `nodes of ${dependent.map((n) => n.nodegroupName).join(', ')} cannot join, and existing ones fail on token refresh`,
    );
  return parts.length > 0 ? parts.join(', and ') : undefined;
}

/**
 * What can be restored exactly, then what only the owners know. The node rows EKS writes come back
 * from the node groups' and Fargate profiles' roles (DescribeNodegroup, DescribeFargateProfile) by an
 * exact change, the same step nodes/node-role-unmapped prints (so the plan runs it once). Any other
 * row (people, pipelines, the refused principal's) is in no evidence: that step says so and is a
 * hand merge from the last good copy, linted before it is applied.
 */
function restoreSteps(
  evidence: Evidence,
  mode: 'CONFIG_MAP' | 'API_AND_CONFIG_MAP',
  lost: { othersLost: boolean; lostPrincipal: string | undefined },
): FixStep[] {
  const rows = missingNodeRows(evidence, mode);
  const t = fixTarget(evidence);
  const steps: FixStep[] = [];
  if (rows.length > 0) {
    const usable = entriesUsable(evidence);
    steps.push({
      title: `Restore the node rows EKS writes for ${visible(rows.map((r) => r.rolearn).join(', '))} (from the node groups' and Fargate profiles' roles)`,
      ...nodeRowsFix(evidence, rows),
      aws:
        usable === 'yes'
          ? [
              comment('alternative to the rows: node-type access entries, which EKS reads before aws-auth'),
              ...script(
                ...rows.flatMap((r) =>
                  awsEntryCommands(t, { principalArn: r.roleArn, type: ENTRY_TYPE[r.kind], groups: [], policies: [] }),
                ),
              ),
            ]
          : [NO_AWS_CLI],
    });
  }
  if (!lost.othersLost) return steps;
  const whose = lost.lostPrincipal !== undefined ? `, the row of ${visible(lost.lostPrincipal)} among them` : '';
  const createdNow = evidence.awsAuth?.state === 'absent' && rows.length === 0;
  steps.push({
    title: `Put back the other rows from your last good copy (Git, a backup, Terraform state)${whose}: no evidence here holds them, only their owners know their usernames and groups`,
    kubectl: createdNow
      ? [
          comment('write aws-auth.yaml from your last good copy, then check and create it:'),
          ...script(sh`eksauth lint aws-auth.yaml`, sh`kubectl create -f aws-auth.yaml`),
        ]
      : manualEditLines([`merge in the rows you had from your last good copy${whose}; keep the node rows EKS wrote`]),
    eksctl: [
      comment(
        'for each row of your last good copy: eksctl create iamidentitymapping with its --arn, --username and --group values',
      ),
    ],
    aws: [NO_AWS_CLI],
    terraform: [
      hclComment(
        'list every row you had in aws_auth_roles / aws_auth_users (terraform-aws-modules/eks//modules/aws-auth',
      ),
      hclComment('patches aws-auth instead of owning it), and protect it with lifecycle { prevent_destroy = true }'),
    ],
  });
  return steps;
}
