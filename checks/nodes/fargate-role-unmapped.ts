import { normaliseEntryType } from '../../src/model/access-entries.js';
import { sameArn, stripRolePath } from '../../src/model/arn.js';
import type { FargateProfile } from '../../src/model/evidence.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { resolveMode } from '../mode/resolve.js';
import { indexRoleRows, mappingRisks, nodeFixData, nodeMappingOf } from './node-mappings.js';

type Message =
  'noMapping' | 'rowIgnoredInApiMode' | 'lostWithBlock' | 'rowHasPath' | 'incompleteRow' | 'wrongEntryType';

const FIX = { kubectl: '{kubectl}', eksctl: '{eksctl}', aws: '{aws}', terraform: '{terraform}', risks: mappingRisks };
const SYMPTOM =
  'Fargate reports "Pod execution role is not found in auth config or does not have all required permissions for launching fargate pods" and starts no pods of {profiles}';

export default defineCheck<Message>({
  meta: {
    id: 'nodes/fargate-role-unmapped',
    title: 'A Fargate pod execution role is not mapped as a Fargate node',
    severity: 'error',
    stage: 'authentication',
    ref: 'C28',
    needs: ['fargateProfiles'],
    messages: {
      noMapping: {
        text: `The pod execution role {role} of {profiles} has {expected} in mode {mode}: ${SYMPTOM}.`,
        remediation: 'Map {role} as a Fargate node: {remedy}.',
        fix: FIX,
      },
      rowIgnoredInApiMode: {
        text: `The pod execution role {role} of {profiles} is mapped only by {where}, and mode API ignores aws-auth: ${SYMPTOM}.`,
        remediation: 'Create a FARGATE_LINUX access entry for {role}.',
        fix: FIX,
      },
      lostWithBlock: {
        text: `The pod execution role {role} of {profiles} is written in aws-auth at line {line}, but its mapRoles block does not parse, so EKS ignores the whole block: ${SYMPTOM}.`,
        remediation: 'Fix the YAML of mapRoles (see aws-auth/yaml-invalid) so the row for {role} is read again.',
        fix: FIX,
      },
      rowHasPath: {
        text: `The pod execution role {role} of {profiles} is mapped by {where} as {rowArn}, with an IAM path: EKS compares against {canonical}, so the row never matches and ${SYMPTOM}.`,
        remediation: 'Write the rolearn of {where} as {canonical}.',
        fix: FIX,
      },
      incompleteRow: {
        text: `The pod execution role {role} of {profiles} is mapped by {where}, but the row lacks {missing}: ${SYMPTOM}.`,
        remediation:
          'Give {where} the username system:node:{{SessionName}} and the groups system:bootstrappers, system:nodes and system:node-proxier.',
        fix: FIX,
      },
      wrongEntryType: {
        text: `The pod execution role {role} of {profiles} has an access entry of type {entryType}, which replaces any aws-auth row: Fargate needs type FARGATE_LINUX, so ${SYMPTOM}.`,
        remediation:
          'Delete the {entryType} entry for {role} and create one of type FARGATE_LINUX; the type cannot be changed in place.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const { mode } = resolveMode(evidence, simulation);
    const byRole = new Map<string, FargateProfile[]>();
    for (const profile of evidence.fargateProfiles ?? []) {
      if (!profile.podExecutionRoleArn) continue;
      const key = stripRolePath(profile.podExecutionRoleArn.trim()).toLowerCase();
      byRole.set(key, [...(byRole.get(key) ?? []), profile]);
    }
    const hits: Hit<Message>[] = [];
    if (byRole.size === 0) return hits;
    const index = indexRoleRows(evidence);
    for (const profiles of byRole.values()) {
      const role = profiles[0]?.podExecutionRoleArn.trim() ?? '';
      const mapping = nodeMappingOf(role, 'fargate', evidence, mode, index);
      if (mapping.status === 'mapped' || mapping.status === 'unknown') continue;
      const canonical = stripRolePath(role);
      const base = {
        role,
        canonical,
        mode,
        profiles: profiles.map((p) => `Fargate profile ${p.fargateProfileName}`).join(', '),
        ...nodeFixData(role, 'fargate', evidence, mode),
      };
      const subject = { kind: 'fargate-profile' as const, name: profiles.map((p) => p.fargateProfileName).join(', ') };
      const affectsPrincipal = simulation !== undefined && sameArn(canonical, simulation.principal.canonicalArn);
      const rowRef = (r: { block: string; index: number; location: { line: number } }): string =>
        `aws-auth ${r.block}[${r.index}] (line ${r.location.line})`;
      switch (mapping.status) {
        case 'none':
          if (mapping.ignoredRow)
            hits.push({
              messageId: 'rowIgnoredInApiMode',
              subject,
              affectsPrincipal,
              location: mapping.ignoredRow.location,
              data: { ...base, where: rowRef(mapping.ignoredRow) },
            });
          else {
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
                      ? 'no FARGATE_LINUX access entry'
                      : 'no FARGATE_LINUX access entry and no aws-auth row',
                remedy:
                  mode === 'CONFIG_MAP'
                    ? 'add an aws-auth row with username system:node:{{SessionName}} and the groups system:bootstrappers, system:nodes, system:node-proxier'
                    : 'create a FARGATE_LINUX access entry',
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
            messageId: 'incompleteRow',
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
