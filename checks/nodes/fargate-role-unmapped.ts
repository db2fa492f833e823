import { defineCheck } from '../../src/core/types.js';
import { mappingRisks } from './node-mappings.js';
import { groupByRole, unmappedRoleHits } from './unmapped-role.js';

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
  run(context) {
    const roles = groupByRole(context.evidence.fargateProfiles ?? [], (p) => p.podExecutionRoleArn).map((profiles) => ({
      role: profiles[0].podExecutionRoleArn.trim(),
      kind: 'fargate' as const,
      subject: { kind: 'fargate-profile' as const, name: profiles.map((p) => p.fargateProfileName).join(', ') },
      data: { profiles: profiles.map((p) => `Fargate profile ${p.fargateProfileName}`).join(', ') },
    }));
    return unmappedRoleHits(context, roles, {
      noMapping: 'noMapping',
      rowIgnoredInApiMode: 'rowIgnoredInApiMode',
      lostWithBlock: 'lostWithBlock',
      rowHasPath: 'rowHasPath',
      incompleteRow: 'incompleteRow',
      wrongEntryType: 'wrongEntryType',
    });
  },
});
