import { arnLikeMatches } from '../../src/model/text-match.js';
import { parseArn } from '../../src/model/arn.js';
import { defineCheck, type FixSpec, type Hit } from '../../src/core/types.js';
import { awsAuthStep } from '../_fix.js';
import { arnKeyOf, missedByRows, rowRef, rowViews } from './_shared.js';

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
      if (arn === '') continue;
      const parsed = parseArn(arn);
      const account = parsed.ok ? parsed.value.accountId : 'ACCOUNT_ID';
      let messageId: Message | undefined;
      let affects = false;
      if (/[*?]/.test(arn)) {
        messageId = 'wildcard';
        affects = missedByRows(simulation) && arnLikeMatches(arn, simulation.principal.canonicalArn);
      } else if (parsed.ok && parsed.value.service === 'iam' && parsed.value.resource.startsWith('group/')) {
        messageId = 'iamGroup';
        // Membership is not known offline: a refused IAM user of that account is the group row's likely target.
        affects =
          missedByRows(simulation) &&
          simulation.principal.kind === 'user' &&
          simulation.principal.accountId === account;
      } else if (parsed.ok && parsed.value.service === 'iam' && parsed.value.resource === 'root') {
        messageId = 'accountRoot';
        affects =
          missedByRows(simulation) &&
          simulation.principal.kind !== 'root' &&
          simulation.principal.accountId === account;
      }
      if (!messageId) continue;
      hits.push({
        messageId,
        subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
        location: row.arnLocation,
        affectsPrincipal: !row.lost && affects,
        data: {
          where: rowRef(row.block, row.index, row.location),
          key: arnKeyOf(row.block),
          arn: row.arn,
          name: parsed.ok ? parsed.value.resource.split('/').pop() || arn : arn,
          account,
        },
        fix: [
          awsAuthStep(
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
