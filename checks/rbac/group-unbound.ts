import { comment, script, shellTemplate } from '../../src/core/command.js';
import { eksctl, fixTarget, awsEks } from '../../src/core/fix-target.js';
import { effectiveEntryGroups } from '../../src/model/access-entries.js';
import { effectiveRows } from '../../src/model/aws-auth/parse.js';
import type { MappingRow, SourceLocation } from '../../src/model/aws-auth/types.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { accessEntriesIgnored, resolveMode } from '../mode/resolve.js';
import { boundGroups, boundUsers, isGroupBound, nearestGroup } from './bindings.js';
import { deniedRequests, grantSteps } from './_grant.js';

type Message = 'forbidsPrincipal' | 'likelyTypo' | 'unbound';

interface Use {
  where: string;
  location?: SourceLocation;
  /** The access entry that maps the group: its groups are changed through the EKS API. */
  entry?: { principalArn: string; groups: string[] };
}

const rowUse = (row: MappingRow): Use => ({
  where: `aws-auth ${row.block}[${row.index}] (line ${row.location.line})`,
  location: row.fieldLocations.groups ?? row.location,
});

const RISKS = [
  'Bind the narrowest ClusterRole that does the job: `view` reads, `edit` writes, `cluster-admin` is everything; a RoleBinding limits it to one namespace.',
  'Renaming a group in a mapping changes it for every principal mapped by that row or entry.',
  "Check the result without the principal's credentials: `kubectl auth can-i --list --as=USER --as-group=GROUP` (impersonation ignores access policies, so it shows RBAC alone).",
];

const FIX = {
  kubectl: '{kubectl}',
  eksctl:
    '# eksctl does not manage RBAC bindings; bind the group with kubectl, or fix the name in the mapping:\n{eksctl}',
  aws: '{aws}',
  terraform:
    '# hashicorp/kubernetes provider\nresource "kubernetes_cluster_role_binding_v1" "{slug}" {\n  metadata { name = "{slug}" }\n  role_ref {\n    api_group = "rbac.authorization.k8s.io"\n    kind      = "ClusterRole"\n    name      = "view"\n  }\n  subject {\n    kind      = "Group"\n    name      = "{group}"\n    api_group = "rbac.authorization.k8s.io"\n  }\n}',
  risks: RISKS,
};

export default defineCheck<Message>({
  meta: {
    id: 'rbac/group-unbound',
    title: 'A mapped group is named by no RoleBinding or ClusterRoleBinding',
    severity: 'warning',
    stage: 'authorization',
    ref: 'C38',
    needs: ['rbac'],
    messages: {
      forbidsPrincipal: {
        severity: 'error',
        text: '{principal} is mapped to the group {group} by {where}, and none of the {bindingCount} bindings names it; with no access policy and no binding for the user {username}, every request but API discovery is 403 Forbidden{nearestNote}.',
        remediation:
          'Bind {group} with a RoleBinding or ClusterRoleBinding{renameHint}, or associate an access policy with {principal}.',
        fix: FIX,
      },
      likelyTypo: {
        text: 'The group {group} (mapped by {where}) is named by none of the {bindingCount} bindings, but {nearest} is bound by {nearestBinding}: probably a misspelling.',
        remediation: 'Rename {group} to {nearest} in {where}, or bind {group} itself.',
        fix: FIX,
      },
      unbound: {
        text: 'The group {group} (mapped by {where}) is named by none of the {bindingCount} bindings: it grants nothing, and EKS never checks that a group is bound.',
        remediation: 'Bind {group} with a RoleBinding or ClusterRoleBinding, or remove it from {where}.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    // Stryker disable next-line ArrayDeclaration: the engine runs this check only with the bindings read (needs: rbac)
    const bindings = evidence.rbac ?? [];
    const bound = boundGroups(bindings);
    const users = boundUsers(bindings);
    const { mode, origin } = resolveMode(evidence);
    const uses = new Map<string, [Use, ...Use[]]>();
    const add = (group: string, use: Use): void => {
      if (isGroupBound(group, bound)) return;
      const list = uses.get(group);
      if (list) list.push(use);
      else uses.set(group, [use]);
    };

    const awsAuthIgnored =
      mode === 'API' &&
      // Stryker disable next-line ConditionalExpression,StringLiteral: an assumed mode is never API (modeFromEvidence)
      origin !== 'assumed';
    if (evidence.awsAuth?.state === 'present' && !awsAuthIgnored) {
      const configMap = evidence.awsAuth.configMap;
      for (const row of [...effectiveRows(configMap.roleRows), ...effectiveRows(configMap.userRows)]) {
        for (const group of row.groups) add(group, rowUse(row));
      }
    }
    if (!accessEntriesIgnored(evidence)) {
      for (const entry of evidence.accessEntries ?? []) {
        for (const group of effectiveEntryGroups(entry))
          add(group, {
            where: `the access entry for ${entry.principalArn}`,
            entry: { principalArn: entry.principalArn, groups: entry.kubernetesGroups },
          });
      }
    }

    // The principal: blocked when every group it gets is unbound and nothing else grants it anything.
    const decision = simulation?.decision;
    const principalGroups = decision?.authenticated ? decision.groups : [];
    const username = decision?.username ?? '';
    // With no group, nothing below is for the principal (forPrincipal needs one of its groups).
    const blocked =
      simulation !== undefined &&
      principalGroups.every((g) => !isGroupBound(g, bound)) &&
      simulation.policies.length === 0 &&
      !users.has(username);
    // A templated group (`team-{{SessionName}}`) is unbound as the principal's row renders it: an entry's
    // groups are never templates, and the loops above added every other group already.
    const via = simulation?.via;
    if (via?.kind === 'aws-auth-row')
      for (const group of principalGroups) if (!uses.has(group)) add(group, rowUse(via.row));

    // What the principal was refused: the grant must cover exactly that (binding `view` would not grant a write).
    const requests = blocked && evidence.probe ? deniedRequests(evidence.probe) : [];
    const hits: Hit<Message>[] = [];
    for (const [group, list] of uses) {
      const [first] = list;
      const where = list.length > 1 ? `${first.where} and ${list.length - 1} more` : first.where;
      const nearest = nearestGroup(group, bound);
      // Stryker disable next-line ArrayDeclaration: nearestGroup returns only a key of bound
      const nearestBinding = nearest ? (bound.get(nearest) ?? []).join(', ') : '';
      const forPrincipal = blocked && principalGroups.includes(group);
      const messageId: Message = forPrincipal ? 'forbidsPrincipal' : nearest ? 'likelyTypo' : 'unbound';
      const slug =
        group
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '-')
          .replace(/^-+|-+$/g, '') || 'group';
      const entryUse = list.find((u) => u.entry)?.entry;
      const rename = nearest ?? 'BOUND_GROUP';
      hits.push({
        messageId,
        subject: { kind: 'rbac', name: group },
        ...(first.location ? { location: first.location } : {}),
        affectsPrincipal: forPrincipal,
        ...(forPrincipal && requests.length > 0
          ? { fix: grantSteps(evidence, simulation, requests, username, [group]) }
          : {}),
        data: {
          group,
          where,
          bindingCount: bindings.length,
          nearest: nearest ?? '',
          nearestBinding,
          nearestNote: nearest
            ? `; the bound group nearest to it is ${nearest} (${nearestBinding}), probably a misspelling`
            : '',
          renameHint: nearest ? ` (or rename it to ${nearest} in ${first.where})` : '',
          principal: simulation?.principal.input ?? '',
          username,
          slug,
          kubectl:
            nearest && !entryUse
              ? shellTemplate(
                  '# In {where}, rename the group {group} to {nearest}:\nkubectl edit configmap aws-auth -n kube-system',
                  {
                    where: first.where,
                    group,
                    nearest,
                  },
                )
              : shellTemplate(
                  'kubectl create clusterrolebinding {name} --clusterrole=view --group={group}\nkubectl auth can-i --list --as={user} --as-group={group}',
                  { name: `${slug}-view`, group, user: username || 'USER' },
                ),
          eksctl: entryUse
            ? script(eksctl(fixTarget(evidence), 'get', 'accessentry', ['--principal-arn', entryUse.principalArn]))
            : script(eksctl(fixTarget(evidence), 'get', 'iamidentitymapping')),
          aws: entryUse
            ? [
                comment("Replace the entry's groups (the list given replaces the old one):"),
                ...script(
                  awsEks(fixTarget(evidence), 'update-access-entry', [
                    '--principal-arn',
                    entryUse.principalArn,
                    '--kubernetes-groups',
                    ...entryUse.groups.map((g) => (g === group ? rename : g)),
                  ]),
                ),
              ]
            : '# The aws CLI cannot edit aws-auth or RBAC; use kubectl.',
        },
      });
    }
    return hits;
  },
});
