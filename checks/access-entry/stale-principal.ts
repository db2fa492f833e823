import { comment, hclComment, script, type Script } from '../../src/core/command.js';
import { associationKeys, associationsOf, entryKey, type EntryType } from '../_fix.js';
import { awsEks, eksctl, fixTarget } from '../../src/core/fix-target.js';
import type { AccessEntry, Evidence } from '../../src/model/evidence.js';
import { isNodeEntryType, normaliseEntryType, policyName } from '../../src/model/access-entries.js';
import { sameArn, stripRolePath } from '../../src/model/arn.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf } from '../../src/core/fix-format.js';
import { awsCommands, eksctlCommand, terraformBlock, type EntryPlan } from './commands.js';
import { accessEntriesIgnored } from '../mode/resolve.js';

type Message = 'recreatedAfterEntry';

/** EKS timestamps are epoch seconds on the wire; files may hold ISO-8601. undefined when unreadable. */
export function toMillis(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed);
  return Number.isFinite(ms) ? ms : undefined;
}

export default defineCheck<Message>({
  meta: {
    id: 'access-entry/stale-principal',
    title: 'The IAM principal was recreated after its access entry was made',
    severity: 'error',
    stage: 'authentication',
    ref: 'C35',
    needs: ['accessEntries', 'principalDetails'],
    messages: {
      recreatedAfterEntry: {
        text: 'IAM created {iamArn} at {createDate}, after its access entry (created {entryCreatedAt}): the entry most likely still holds the unique ID of the earlier principal with this ARN, and EKS refuses the new one with 401 Unauthorized. This is a heuristic: EKS does not show the stored ID.',
        remediation:
          'Delete the access entry for {entryArn} and create it again, with the same type, groups and access policies.',
        fix: {
          kubectl: '# kubectl cannot see or change access entries. After recreating it, check:\nkubectl auth whoami',
          eksctl: '{eksctl}',
          aws: '{aws}',
          terraform: '{terraform}',
          risks: [
            'Between delete and create the principal has no access: do it from another admin principal, never from the one being fixed.',
            'Deleting the entry also removes its access-policy associations: associate them again (the commands above do).',
            'If the recreated role is the only admin, keep the cluster creator or another admin entry until the new entry works.',
          ],
        },
      },
    },
  },
  run({ evidence, simulation }) {
    if (accessEntriesIgnored(evidence)) return [];
    const details = evidence.principalDetails;
    const created = toMillis(details?.createDate);
    if (!details || created === undefined) return [];
    const hits: Hit<Message>[] = [];
    const cluster = clusterNameOf(evidence);
    for (const entry of evidence.accessEntries ?? []) {
      if (!sameArn(stripRolePath(entry.principalArn), stripRolePath(details.arn))) continue;
      const entryCreated = toMillis(entry.createdAt);
      if (entryCreated === undefined || created <= entryCreated) continue;
      const plan = recreatePlan(entry);
      const t = fixTarget(evidence);
      const aws: Script = [
        ...script(awsEks(t, 'delete-access-entry', ['--principal-arn', entry.principalArn])),
        ...awsCommands(evidence, plan),
      ];
      const key = entryKey(entry.principalArn);
      const replaced = [
        `module.eks.aws_eks_access_entry.this["${key}"]`,
        ...associationKeys(plan).map((a) => `module.eks.aws_eks_access_policy_association.this["${key}_${a.key}"]`),
      ];
      hits.push({
        messageId: 'recreatedAfterEntry',
        subject: { kind: 'access-entry', name: entry.principalArn },
        affectsPrincipal:
          simulation !== undefined && sameArn(stripRolePath(details.arn), simulation.principal.canonicalArn),
        data: {
          iamArn: details.arn,
          entryArn: entry.principalArn,
          createDate: iso(created),
          entryCreatedAt: iso(entryCreated),
          cluster,
          aws,
          eksctl: eksctlRecreate(evidence, plan),
          terraform: [
            hclComment(
              `Replace the entry so it is created again for the current principal (${key}: its key in access_entries), and its policy associations with it (deleting the entry deleted them; their keys are those of policy_associations below):`,
            ),
            hclComment(`terraform apply ${replaced.map((r) => `-replace='${r}'`).join(' ')}`),
            hclComment('It should read:'),
            ...terraformBlock([plan]),
          ],
          entryKey: (entry.principalArn.split('/').pop() ?? 'entry').toLowerCase().replace(/[^a-z0-9_-]/g, '_'),
        },
      });
    }
    return hits;
  },
});

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The entry as EKS holds it, to create again: its type (EKS's own word, kept even when this list
 * is older than EKS), username and groups where the type takes them, and every access-policy
 * association with its exact scope.
 */
export function recreatePlan(entry: AccessEntry): EntryPlan {
  const type = normaliseEntryType(entry.type || undefined) as EntryType;
  const node = isNodeEntryType(type);
  return {
    principalArn: entry.principalArn,
    type,
    ...(entry.username && !node ? { username: entry.username } : {}),
    groups: node ? [] : entry.kubernetesGroups,
    policies: [],
    associations: (entry.associatedAccessPolicies ?? []).map((p) => ({
      policy: policyName(p.policyArn),
      scope:
        p.accessScope.type === 'cluster'
          ? { type: 'cluster' as const }
          : { type: 'namespace' as const, namespaces: p.accessScope.namespaces },
    })),
  };
}

/**
 * The entry types eksctl's config accepts, and those it takes without access policies
 * (eksctl-io/eksctl pkg/apis/eksctl.io/v1alpha5/access_entry.go, validateAccessEntries at
 * 99984adb): HYPERPOD_LINUX is not among them.
 */
const EKSCTL_TYPES: readonly string[] = [
  'STANDARD',
  'EC2',
  'EC2_LINUX',
  'EC2_WINDOWS',
  'FARGATE_LINUX',
  'HYBRID_LINUX',
];
const EKSCTL_NO_POLICIES: readonly string[] = ['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX'];

/** eksctl's delete and create, or (when eksctl cannot create this entry again) why not, and nothing deleted. */
function eksctlRecreate(evidence: Evidence, plan: EntryPlan): Script {
  const cannot = !EKSCTL_TYPES.includes(plan.type)
    ? `access entries of type ${plan.type} are unknown to eksctl`
    : EKSCTL_NO_POLICIES.includes(plan.type) && associationsOf(plan).length > 0
      ? `eksctl's config refuses access policies on an entry of type ${plan.type}`
      : undefined;
  if (cannot !== undefined)
    return [
      comment(`${cannot}: eksctl could delete the entry but not create it again, so use the aws CLI or Terraform`),
    ];
  const t = fixTarget(evidence);
  return [
    ...script(eksctl(t, 'delete', 'accessentry', ['--principal-arn', plan.principalArn])),
    ...eksctlCommand(evidence, [plan]),
  ];
}
