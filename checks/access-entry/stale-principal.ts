import { hclComment, script, type Script } from '../../src/core/command.js';
import { entryKey } from '../_fix.js';
import { awsEks, fixTarget } from '../../src/core/fix-target.js';
import { isNodeEntryType, normaliseEntryType, policyName } from '../../src/model/access-entries.js';
import { sameArn, stripRolePath } from '../../src/model/arn.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf } from '../../src/core/fix-format.js';
import { associateCommand, awsCommands, eksctlCommand, terraformBlock, type EntryPlan } from './commands.js';
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
          eksctl: 'eksctl delete accessentry --cluster {cluster} --principal-arn {entryArn}\n{eksctl}',
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
      const type = normaliseEntryType(entry.type || undefined);
      const policies = entry.associatedAccessPolicies ?? [];
      const plan: EntryPlan = {
        principalArn: entry.principalArn,
        type: type === 'EC2_WINDOWS' || type === 'FARGATE_LINUX' || type === 'EC2_LINUX' ? type : 'STANDARD',
        ...(entry.username && !isNodeEntryType(type) ? { username: entry.username } : {}),
        groups: isNodeEntryType(type) ? [] : entry.kubernetesGroups,
        policies: [],
      };
      const t = fixTarget(evidence);
      const aws: Script = [
        ...script(awsEks(t, 'delete-access-entry', ['--principal-arn', entry.principalArn])),
        ...awsCommands(evidence, plan),
        ...policies.flatMap((p) =>
          associateCommand(
            evidence,
            entry.principalArn,
            policyName(p.policyArn),
            p.accessScope.type === 'cluster' ? undefined : p.accessScope.namespaces,
          ),
        ),
      ];
      const clusterPolicies = policies
        .filter((p) => p.accessScope.type === 'cluster')
        .map((p) => policyName(p.policyArn));
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
          eksctl: eksctlCommand(evidence, [{ ...plan, policies: clusterPolicies }]),
          terraform: [
            hclComment(
              `Replace the entry so it is created again for the current principal (${entryKey(entry.principalArn)}: its key in access_entries):`,
            ),
            hclComment(
              `terraform apply -replace='module.eks.aws_eks_access_entry.this["${entryKey(entry.principalArn)}"]'`,
            ),
            hclComment('It should read:'),
            ...terraformBlock([{ ...plan, policies: clusterPolicies }]),
          ],
          entryKey: (entry.principalArn.split('/').pop() ?? 'entry').toLowerCase().replace(/[^a-z0-9_-]/g, '_'),
        },
      });
    }
    return hits;
  },
});

const iso = (ms: number): string => new Date(ms).toISOString();
