import { isAccountId, isIamName, parseArn } from '../../src/model/arn.js';
import type { Evidence } from '../../src/model/evidence.js';
import { isPartition, partitionOfRegion } from '../../src/model/partitions.js';
import { defineCheck, type FixSpec, type Hit } from '../../src/core/types.js';
import { comment, script, sh } from '../../src/core/command.js';
import { fixTarget, regionArgs } from '../../src/core/fix-target.js';
import { awsAuthStep } from '../_fix.js';
import { arnKeyOf, namesPrincipal, nearMissAt, missedByRows, resourceName, rowRef, rowViews } from './_shared.js';

type Message =
  | 'whitespace'
  | 'notAnArn'
  | 'badPartition'
  | 'otherPartition'
  | 'badService'
  | 'hasRegion'
  | 'badAccount'
  | 'badResource'
  | 'noName'
  | 'badName';

const ID = 'aws-auth/malformed-arn';

const FIX: FixSpec = {
  risks: [
    '`kubectl patch` carries the resourceVersion eksauth read: if someone changed aws-auth since, it fails with a conflict; run eksauth again rather than forcing it.',
    'A hand-edited ARN can be wrong in a new way: run `eksauth lint` on the edited file before replacing it.',
  ],
};

const msg = (text: string, remediation: string) => ({ text, remediation, fix: FIX });

export default defineCheck<Message>({
  meta: {
    id: ID,
    title: 'An aws-auth row holds an ARN that is not a valid IAM role or user ARN',
    severity: 'error',
    stage: 'authentication',
    ref: 'C22',
    needs: ['awsAuth'],
    messages: {
      whitespace: msg(
        '{where} {key} "{arn}" contains whitespace inside the quotes: EKS compares ARNs literally and never trims them, so this row never matches.',
        'Remove the whitespace: {key}: {suggestion}.',
      ),
      notAnArn: msg(
        '{where} {key} "{arn}" is not an ARN ({reason}), so this row never matches.',
        'Write the full ARN of the role or user, e.g. {suggestion}.',
      ),
      badPartition: msg(
        '{where} {key} {arn} has the partition "{partition}", which does not exist, so this row never matches.',
        'Use the partition of the cluster ({clusterPartition}): {suggestion}.',
      ),
      otherPartition: msg(
        '{where} {key} {arn} is in partition {partition}, but the cluster is in {clusterPartition}: callers of this cluster have {clusterPartition} ARNs, so this row never matches.',
        'Write the ARN in partition {clusterPartition}: {suggestion}.',
      ),
      badService: msg(
        '{where} {key} {arn} is an {service} ARN, not an IAM role or user, so this row never matches.',
        'Map the IAM role or user instead, e.g. {suggestion}.',
      ),
      hasRegion: msg(
        '{where} {key} {arn} has the region "{region}": IAM ARNs have an empty region field, so this row never matches.',
        'Remove the region: {suggestion}.',
      ),
      badAccount: msg(
        '{where} {key} {arn} has the account "{account}", which is not 12 digits, so this row never matches.',
        'Write the 12-digit account id (with its leading zeros) in {where}.',
      ),
      badResource: msg(
        '{where} {key} {arn} names "{resource}", which is not role/NAME or user/NAME, so this row never matches.',
        '{resourceRemedy}.',
      ),
      noName: msg(
        '{where} {key} {arn} ends with "/" and names no role or user, so this row never matches.',
        'Complete the ARN with the role name (without path), e.g. {suggestion}.',
      ),
      badName: msg(
        '{where} {key} {arn} has the name "{name}", which IAM does not allow (1–64 of letters, digits and +=,.@_-), so this row never matches.',
        'Correct the name in {where} to the real role or user name.',
      ),
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const clusterPartition = clusterPartitionOf(evidence);
    const hits: Hit<Message>[] = [];
    for (const row of rowViews(evidence.awsAuth.configMap)) {
      if (row.arn === '') continue;
      const problem = diagnose(row.arn, row.block, clusterPartition);
      if (!problem) continue;
      const where = rowRef(row.block, row.index, row.location);
      const kind = row.block === 'mapUsers' ? 'user' : 'role';
      const name =
        problem.messageId === 'noName'
          ? `${kind.toUpperCase()}_NAME`
          : resourceName(row.arn) || `${kind.toUpperCase()}_NAME`;
      const parsed = parseArn(row.arn.trim());
      const partition =
        parsed.ok && isPartition(parsed.value.partition) ? parsed.value.partition : (clusterPartition ?? 'aws');
      const account = parsed.ok && isAccountId(parsed.value.accountId) ? parsed.value.accountId : 'ACCOUNT_ID';
      const suggestion = problem.corrected ?? `arn:${partition}:iam::${account}:${kind}/${name}`;
      hits.push({
        messageId: problem.messageId,
        subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
        location: row.arnLocation,
        affectsPrincipal:
          !row.lost &&
          missedByRows(simulation) &&
          (nearMissAt(simulation, ID, row.arnLocation) || namesPrincipal(row.arn, simulation)),
        data: {
          where,
          key: arnKeyOf(row.block),
          arnKey: arnKeyOf(row.block),
          arn: row.arn,
          suggestion,
          name,
          clusterPartition: clusterPartition ?? 'aws',
          ...problem.data,
        },
        fix: [
          {
            ...awsAuthStep(
              evidence,
              `Correct the ARN in ${where}`,
              [
                {
                  from: row.arn,
                  to: { block: row.block, arn: suggestion, username: row.username, groups: row.groups },
                },
              ],
              [`correct ${where}: ${row.arn} → ${suggestion}`],
              // A row of a block EKS drops is rewritten with its block (aws-auth/yaml-invalid), not patched alone.
              problem.corrected && !row.lost
                ? [{ block: row.block, index: row.index, set: { [arnKeyOf(row.block)]: problem.corrected } }]
                : [],
            ),
            aws: [
              comment('read the real ARN from IAM instead of typing it (for aws-auth, drop any path after role/):'),
              ...script(
                kind === 'user'
                  ? sh`aws iam get-user --user-name ${name} --query User.Arn --output text ${regionArgs(fixTarget(evidence))}`
                  : sh`aws iam get-role --role-name ${name} --query Role.Arn --output text ${regionArgs(fixTarget(evidence))}`,
              ),
            ],
          },
        ],
      });
    }
    return hits;
  },
});

interface Problem {
  messageId: Message;
  corrected?: string;
  data: Record<string, string>;
}

/** The first thing wrong with the ARN, in the order a reader would fix them; undefined when valid. */
function diagnose(
  arn: string,
  block: 'mapRoles' | 'mapUsers',
  clusterPartition: string | undefined,
): Problem | undefined {
  if (/\s/.test(arn)) {
    const corrected = arn.replace(/\s+/g, '');
    return {
      messageId: 'whitespace',
      ...(diagnose(corrected, block, clusterPartition) ? {} : { corrected }),
      data: {},
    };
  }
  const parsed = parseArn(arn);
  if (!parsed.ok) return { messageId: 'notAnArn', data: { reason: parsed.error } };
  const { partition, service, region, accountId, resource } = parsed.value;
  const rebuilt = (fields: Partial<typeof parsed.value>): string => {
    const f = { ...parsed.value, ...fields };
    return `arn:${f.partition}:${f.service}:${f.region}:${f.accountId}:${f.resource}`;
  };
  // ARNs compare case-insensitively, so `arn:AWS:…` is still fine.
  if (!isPartition(partition.toLowerCase())) {
    return {
      messageId: 'badPartition',
      ...(clusterPartition ? { corrected: rebuilt({ partition: clusterPartition }) } : {}),
      data: { partition },
    };
  }
  if (clusterPartition && partition.toLowerCase() !== clusterPartition) {
    return { messageId: 'otherPartition', corrected: rebuilt({ partition: clusterPartition }), data: { partition } };
  }
  const svc = service.toLowerCase();
  // sts assumed-role is aws-auth/assumed-role-arn; sts federated-user is a valid identity.
  if (svc === 'sts' && /^(assumed-role|federated-user)\//i.test(resource)) return undefined;
  if (svc !== 'iam') return { messageId: 'badService', data: { service } };
  if (region !== '') return { messageId: 'hasRegion', corrected: rebuilt({ region: '' }), data: { region } };
  if (!isAccountId(accountId)) return { messageId: 'badAccount', data: { account: accountId } };
  if (resource.startsWith(':')) {
    return {
      messageId: 'badResource',
      corrected: rebuilt({ resource: resource.replace(/^:+/, '') }),
      data: { resource, resourceRemedy: 'Remove the extra colon before the resource' },
    };
  }
  // Groups, wildcards and root are aws-auth/unsupported-principal.
  if (/[*?]/.test(resource) || resource === 'root' || /^group\//i.test(resource)) return undefined;
  const [type = '', ...rest] = resource.split('/');
  if (type !== 'role' && type !== 'user') {
    const remedy =
      type === 'instance-profile'
        ? `Map the role inside the instance profile (aws iam get-instance-profile --instance-profile-name ${rest[rest.length - 1] ?? 'NAME'} --query 'InstanceProfile.Roles[0].Arn'), without its path`
        : 'Write the resource as role/NAME or user/NAME';
    return { messageId: 'badResource', data: { resource, resourceRemedy: remedy } };
  }
  const name = rest[rest.length - 1] ?? '';
  if (name === '') return { messageId: 'noName', data: {} };
  if (!isIamName(name)) return { messageId: 'badName', data: { name } };
  return undefined;
}

function clusterPartitionOf(evidence: Evidence): string | undefined {
  const cluster = evidence.cluster;
  if (!cluster) return undefined;
  if (cluster.partition) return cluster.partition;
  if (cluster.arn) {
    const parsed = parseArn(cluster.arn);
    if (parsed.ok && isPartition(parsed.value.partition)) return parsed.value.partition;
  }
  return cluster.region ? partitionOfRegion(cluster.region) : undefined;
}
