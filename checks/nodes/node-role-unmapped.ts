import { normaliseEntryType } from '../../src/model/access-entries.js';
import { sameArn, stripRolePath } from '../../src/model/arn.js';
import type { Nodegroup } from '../../src/model/evidence.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { resolveMode } from '../mode/resolve.js';
import {
  indexRoleRows,
  isWindowsAmi,
  mappingRisks,
  nodeFixData,
  nodeMappingOf,
  NODE_USERNAME,
  type NodeKind,
} from './node-mappings.js';

type Message =
  'noMapping' | 'rowIgnoredInApiMode' | 'lostWithBlock' | 'rowHasPath' | 'notANodeMapping' | 'wrongEntryType';

const FIX = { kubectl: '{kubectl}', eksctl: '{eksctl}', aws: '{aws}', terraform: '{terraform}', risks: mappingRisks };

export default defineCheck<Message>({
  meta: {
    id: 'nodes/node-role-unmapped',
    title: 'A node group role has no node mapping, so its nodes cannot join',
    severity: 'error',
    stage: 'authentication',
    ref: 'C25',
    needs: ['nodegroups'],
    messages: {
      noMapping: {
        text: 'The node role {role} of {nodegroups} has {expected} in mode {mode}: its kubelets get 401 Unauthorized ("Unable to register node with API server: Unauthorized") and the nodes stay NotReady or never join.',
        remediation: 'Map {role} as a node: {remedy}.',
        fix: FIX,
      },
      rowIgnoredInApiMode: {
        text: 'The node role {role} of {nodegroups} is mapped only by {where}, and mode API ignores aws-auth: its kubelets get 401 Unauthorized and the nodes cannot join.',
        remediation: 'Create an {entryType} access entry for {role}.',
        fix: FIX,
      },
      lostWithBlock: {
        text: 'The node role {role} of {nodegroups} is written in aws-auth at line {line}, but its mapRoles block does not parse, so EKS ignores the whole block: the nodes cannot join.',
        remediation: 'Fix the YAML of mapRoles (see aws-auth/yaml-invalid) so the row for {role} is read again.',
        fix: FIX,
      },
      rowHasPath: {
        text: 'The node role {role} of {nodegroups} is mapped by {where} as {rowArn}, with an IAM path: EKS compares against {canonical}, so the row never matches and the nodes cannot join.',
        remediation: 'Write the rolearn of {where} as {canonical}.',
        fix: FIX,
      },
      notANodeMapping: {
        text: 'The node role {role} of {nodegroups} is mapped by {where}, but the row lacks {missing}: the kubelets are not recognised as nodes and get 401 or 403.',
        remediation: 'Give {where} the username {username} and the groups {groups}.',
        fix: FIX,
      },
      wrongEntryType: {
        text: 'The node role {role} of {nodegroups} has an access entry of type {entryType}, which replaces any aws-auth row: nodes need type {expectedType}, so they cannot join.',
        remediation:
          'Delete the {entryType} entry for {role} and create one of type {expectedType}; the type cannot be changed in place.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const { mode } = resolveMode(evidence, simulation);
    const byRole = new Map<string, Nodegroup[]>();
    for (const group of evidence.nodegroups ?? []) {
      if (!group.nodeRole) continue;
      const key = stripRolePath(group.nodeRole.trim()).toLowerCase();
      byRole.set(key, [...(byRole.get(key) ?? []), group]);
    }
    const hits: Hit<Message>[] = [];
    if (byRole.size === 0) return hits;
    const index = indexRoleRows(evidence);
    for (const groups of byRole.values()) {
      const role = groups[0]?.nodeRole.trim() ?? '';
      const kind: NodeKind = groups.some((g) => isWindowsAmi(g.amiType)) ? 'windows' : 'linux';
      const mapping = nodeMappingOf(role, kind, evidence, mode, index);
      if (mapping.status === 'mapped' || mapping.status === 'unknown') continue;
      const canonical = stripRolePath(role);
      const expectedType = kind === 'windows' ? 'EC2_WINDOWS' : 'EC2_LINUX';
      const groupsNeeded =
        kind === 'windows'
          ? 'system:bootstrappers, system:nodes, eks:kube-proxy-windows'
          : 'system:bootstrappers, system:nodes';
      const base = {
        role,
        canonical,
        mode,
        entryType: expectedType,
        expectedType,
        nodegroups: groups
          .map((g) => `${g.selfManaged ? 'self-managed ' : ''}node group ${g.nodegroupName}`)
          .join(', '),
        username: NODE_USERNAME[kind],
        groups: groupsNeeded,
        ...nodeFixData(role, kind, evidence, mode),
      };
      const subject = { kind: 'nodegroup' as const, name: groups.map((g) => g.nodegroupName).join(', ') };
      const affectsPrincipal = simulation !== undefined && sameArn(canonical, simulation.principal.canonicalArn);
      const rowRef = (r: { block: string; index: number; location: { line: number } }): string =>
        `aws-auth ${r.block}[${r.index}] (line ${r.location.line})`;
      switch (mapping.status) {
        case 'none':
          if (mapping.ignoredRow) {
            hits.push({
              messageId: 'rowIgnoredInApiMode',
              subject,
              affectsPrincipal,
              location: mapping.ignoredRow.location,
              data: { ...base, where: rowRef(mapping.ignoredRow) },
            });
          } else {
            hits.push({
              messageId: 'noMapping',
              subject,
              affectsPrincipal,
              data: {
                ...base,
                expected:
                  mode === 'CONFIG_MAP'
                    ? 'no aws-auth row'
                    : mode === 'API'
                      ? `no ${expectedType} access entry`
                      : `no ${expectedType} access entry and no aws-auth row`,
                remedy:
                  mode === 'CONFIG_MAP'
                    ? `add an aws-auth row with username ${NODE_USERNAME[kind]} and the groups ${groupsNeeded}`
                    : `create an ${expectedType} access entry`,
              },
            });
          }
          break;
        case 'lost-with-block':
          hits.push({
            messageId: 'lostWithBlock',
            subject,
            affectsPrincipal,
            location: mapping.location,
            data: {
              ...base,
              line: mapping.location.line,
              kubectl: `# The row is there but unreadable: fix the YAML error in data.mapRoles (quote values that start with {{), run \`eksauth lint\` on the result, then:\nkubectl edit configmap aws-auth -n kube-system`,
            },
          });
          break;
        case 'only-with-path':
          hits.push({
            messageId: 'rowHasPath',
            subject,
            affectsPrincipal,
            location: mapping.row.fieldLocations.arn ?? mapping.row.location,
            data: { ...base, where: rowRef(mapping.row), rowArn: mapping.row.arn },
          });
          break;
        case 'incomplete-row':
          hits.push({
            messageId: 'notANodeMapping',
            subject,
            affectsPrincipal,
            location: mapping.row.location,
            data: { ...base, where: rowRef(mapping.row), missing: mapping.missing.join(', ') },
          });
          break;
        case 'wrong-entry':
          hits.push({
            messageId: 'wrongEntryType',
            subject,
            affectsPrincipal,
            data: {
              ...base,
              entryType: normaliseEntryType(mapping.entry.type),
              aws: `aws eks delete-access-entry --cluster-name ${base.cluster} --principal-arn ${mapping.entry.principalArn}\n${base.aws}`,
              eksctl: `eksctl delete accessentry --cluster ${base.cluster} --principal-arn ${mapping.entry.principalArn}\n${base.eksctl}`,
            },
          });
          break;
      }
    }
    return hits;
  },
});
