import { arnLikeMatches } from '../../src/model/text-match.js';
import { parseArn } from '../../src/model/arn.js';
import { defineCheck, type FixSpec, type Hit } from '../../src/core/types.js';
import type { Document, YAMLMap } from 'yaml';
import type { Evidence } from '../../src/model/evidence.js';
import type { Principal } from '../../src/model/principal.js';
import type { FixStep } from '../../src/core/types.js';
import { comment, hclComment, run, sh } from '../../src/core/command.js';
import { awsAuthStep } from '../_fix.js';
import { cleanShape, exactPatchLines, rowsPlan, setField } from './_exact-edit.js';
import { arnKeyOf, missedByRows, rowRef, rowViews, type RowView } from './_shared.js';

type Message = 'iamGroup' | 'wildcard' | 'accountRoot';

const RISKS = [
  'A role that a whole team assumes gives every member the same Kubernetes identity: put {{SessionName}} in the username so that audit logs tell them apart.',
  '`kubectl replace` fails if someone changed aws-auth since you read it: read it again and retry rather than forcing it.',
];

const FIX: FixSpec = { risks: RISKS };

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/unsupported-principal',
    title: 'An aws-auth row names an IAM group, a wildcard or the account root',
    severity: 'error',
    stage: 'authentication',
    ref: 'C20',
    needs: ['awsAuth'],
    messages: {
      iamGroup: {
        text: '{where} {key} {arn} is an IAM group: groups are not principals (nobody ever calls STS as a group), so this row never matches; members arrive as their own user ARNs.',
        remediation: 'Map a role that the members of {name} may assume, or map each user on its own row.',
        fix: FIX,
      },
      wildcard: {
        text: '{where} {key} {arn} contains a wildcard: aws-auth compares ARNs literally, so this row matches nobody.',
        remediation: 'List every role or user on its own row (or, for a whole account, use mapAccounts).',
        fix: FIX,
      },
      accountRoot: {
        text: '{where} {key} {arn} is the account root: it matches only the root user of {account} signing in with root credentials, not every principal of the account.',
        remediation:
          'Map the roles and users themselves; only if you mean every principal of {account}, list the account under mapAccounts.',
        severity: 'warning',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const hits: Hit<Message>[] = [];
    for (const row of rowViews(evidence.awsAuth.configMap)) {
      const arn = row.arn.trim();
      const parsed = parseArn(arn);
      const account = parsed.ok ? parsed.value.accountId : 'ACCOUNT_ID';
      const kind = unsupportedKind(arn);
      if (!kind) continue;
      const { messageId, name } = kind;
      const affects = missedByRows(simulation) && concerns(messageId, arn, account, simulation.principal);
      hits.push({
        messageId,
        subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
        location: row.arnLocation,
        affectsPrincipal: !row.lost && affects,
        data: {
          where: rowRef(row.block, row.index, row.location),
          key: arnKeyOf(row.block),
          arn: row.arn,
          name,
          account,
        },
        fix: [
          !row.lost && affects && simulation
            ? principalRowFix(evidence, row, messageId, name, simulation.principal)
            : awsAuthStep(
                evidence,
                `Replace ${row.arn} with one row per role or user`,
                [
                  {
                    from: row.arn,
                    to: {
                      block: 'mapRoles',
                      arn: `arn:${parsed.ok && parsed.value.partition !== '' ? parsed.value.partition : 'aws'}:iam::${account}:role/ROLE_NAME`,
                      username: row.username || 'ROLE_NAME:{{SessionName}}',
                      groups: row.groups,
                    },
                  },
                ],
                [`${rowRef(row.block, row.index, row.location)}: replace ${row.arn} with one row per role or user`],
              ),
        ],
      });
    }
    return hits;
  },
});

/**
 * Which unsupported form a (trimmed) ARN has, with the name the messages use: the resource's last
 * segment (for a group, its name as `aws iam get-group` takes it), or the whole ARN.
 */
function unsupportedKind(arn: string): { messageId: Message; name: string } | undefined {
  const parsed = parseArn(arn);
  const name = parsed.ok ? parsed.value.resource.split('/').pop() || arn : arn;
  if (/[*?]/.test(arn)) return { messageId: 'wildcard', name };
  if (!parsed.ok || parsed.value.service !== 'iam') return undefined;
  if (parsed.value.resource.startsWith('group/')) return { messageId: 'iamGroup', name };
  if (parsed.value.resource === 'root') return { messageId: 'accountRoot', name };
  return undefined;
}

/** Whether a row of that form is likely the one meant for the principal that no row matched. */
function concerns(messageId: Message, arn: string, account: string, principal: Principal): boolean {
  switch (messageId) {
    case 'wildcard':
      return arnLikeMatches(arn, principal.canonicalArn);
    case 'iamGroup':
      // Membership is not known offline: a refused IAM user of that account is the group row's likely target.
      return principal.kind === 'user' && principal.accountId === account;
    case 'accountRoot':
      return principal.kind !== 'root' && principal.accountId === account;
  }
}

/**
 * For the blocked principal the row was meant for: a row of its own with the row's username and
 * groups, in the block its ARN belongs in. A group or wildcard row matches nobody, so it is replaced;
 * an account-root row still maps the root user, so it stays. Other members are not known offline:
 * the fix says so.
 */
function principalRowFix(
  evidence: Evidence,
  row: RowView,
  messageId: Message,
  group: string,
  principal: Principal,
): FixStep {
  const block = principal.kind === 'user' ? 'mapUsers' : 'mapRoles';
  const arn = principal.canonicalArn;
  const replace = messageId !== 'accountRoot';
  const where = rowRef(row.block, row.index, row.location);
  const others =
    messageId === 'iamGroup'
      ? `doctor cannot see group membership: apply this only if \`aws iam get-group --group-name ${group}\` lists ${principal.name}, and give every other member a row of its own`
      : messageId === 'wildcard'
        ? `every other role or user ${row.arn} was meant to match needs a row of its own`
        : `${row.arn} stays: it maps the root user only`;
  const note = `${replace ? `replaces ${where} (${row.arn}, which matches nobody) with` : 'adds'} a row for ${arn}, the principal this run diagnosed, with the username and groups of ${where}; ${others}`;
  const step = awsAuthStep(
    evidence,
    `${replace ? `Replace ${row.arn} with` : 'Add'} a row for ${arn}`,
    [{ ...(replace ? { from: row.arn } : {}), to: { block, arn, username: row.username, groups: row.groups } }],
    [note],
  );
  const shape = cleanShape({ arn, username: row.username, groups: row.groups });
  const arnKey = arnKeyOf(block);
  const plan =
    replace && block === row.block
      ? rowsPlan(evidence, {
          [block]: {
            rows: [
              {
                index: row.index,
                shape,
                mutate: (doc: Document, map: YAMLMap) => (setField(doc, map, arnKey, arn), true),
              },
            ],
          },
        })
      : rowsPlan(evidence, {
          ...(replace ? { [row.block]: { rows: [{ index: row.index }] } } : {}),
          [block]: {
            append: [
              {
                row: { [arnKey]: arn, ...(row.username !== '' ? { username: row.username } : {}), groups: row.groups },
                shape,
              },
            ],
          },
        });
  const kubectl = exactPatchLines(evidence, plan, [note]);
  const fixed = kubectl ? { ...step, kubectl } : step;
  return messageId === 'iamGroup' ? withMembershipCaveat(fixed, group, principal) : fixed;
}

/**
 * A group row is replaced by a row for the refused user on the guess that the user is a member:
 * doctor cannot see IAM group membership. Every dialect says so (and the aws CLI one shows how to
 * check), not only the kubectl comment.
 */
function withMembershipCaveat(step: FixStep, group: string, principal: Principal): FixStep {
  const caveat = `only if ${principal.name} is a member of the IAM group ${group}: doctor cannot see group membership, it assumed it because ${principal.name} is refused and the group row matches nobody`;
  return {
    ...step,
    title: `${step.title} (${caveat})`,
    eksctl: [comment(caveat), ...(step.eksctl ?? [])],
    aws: [
      comment(`${caveat}; check it first (the row is wrong for anyone the group does not list):`),
      run(sh`aws iam get-group --group-name ${group} --query ${'Users[].Arn'}`),
      ...(step.aws ?? []),
    ],
    terraform: [hclComment(caveat), ...(step.terraform ?? [])],
  };
}
