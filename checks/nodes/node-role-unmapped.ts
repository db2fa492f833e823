import { defineCheck } from '../../src/core/types.js';
import { isWindowsAmi, mappingRisks, type NodeKind } from './node-mappings.js';
import { groupByRole, unmappedRoleHits } from './unmapped-role.js';

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
  run(context) {
    const roles = groupByRole(context.evidence.nodegroups ?? [], (g) => g.nodeRole).map((groups) => ({
      role: groups[0].nodeRole.trim(),
      kind: (groups.some((g) => isWindowsAmi(g.amiType)) ? 'windows' : 'linux') as NodeKind,
      subject: { kind: 'nodegroup' as const, name: groups.map((g) => g.nodegroupName).join(', ') },
      data: {
        nodegroups: groups
          .map((g) => `${g.selfManaged ? 'self-managed ' : ''}node group ${g.nodegroupName}`)
          .join(', '),
      },
    }));
    return unmappedRoleHits(context, roles, {
      noMapping: 'noMapping',
      rowIgnoredInApiMode: 'rowIgnoredInApiMode',
      lostWithBlock: 'lostWithBlock',
      rowHasPath: 'rowHasPath',
      incompleteRow: 'notANodeMapping',
      wrongEntryType: 'wrongEntryType',
    });
  },
});
