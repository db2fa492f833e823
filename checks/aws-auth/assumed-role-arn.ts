import { canonicalizeArn, parseArn } from '../../src/model/arn.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { blockFixStep } from './_fix-rows.js';
import { arnKeyOf, isPrincipalArn, nearMissAt, missedByRows, rowRef, rowViews } from './_shared.js';

type Message = 'sessionArn';

const ID = 'aws-auth/assumed-role-arn';

export default defineCheck<Message>({
  meta: {
    id: ID,
    title: 'An aws-auth row names an STS assumed-role session ARN, which never matches',
    severity: 'error',
    stage: 'authentication',
    ref: 'C17',
    needs: ['awsAuth'],
    messages: {
      sessionArn: {
        text: '{where} {key} {arn} is an STS session ARN: EKS never canonicalises aws-auth rows, while every caller arrives as the role ARN {roleArn}, so this row never matches.',
        remediation:
          'Write the {key} as {roleArn}, and put {{SessionName}} in the username if you need the session name.',
        fix: {
          risks: [
            'The row then matches every session of {roleName}, not only {session}: if it grants system:masters, every holder of the role becomes cluster admin.',
            '`kubectl patch` carries the resourceVersion eksauth read: if someone changed aws-auth since, it fails with a conflict; run eksauth again rather than forcing it.',
            'If {roleArn} already has a row, the later row wins: merge the two rather than adding a second one.',
          ],
        },
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const hits: Hit<Message>[] = [];
    for (const row of rowViews(evidence.awsAuth.configMap)) {
      const arn = row.arn.trim();
      const parsed = parseArn(arn);
      if (!parsed.ok || parsed.value.service !== 'sts' || !parsed.value.resource.startsWith('assumed-role/')) continue;
      const parts = parsed.value.resource.split('/');
      const canonical = canonicalizeArn(arn);
      const roleName = parts.length >= 3 ? parts.slice(1, -1).join('/') : (parts[1] ?? '');
      const roleArn = canonical.ok
        ? canonical.value.canonicalArn
        : `arn:${parsed.value.partition}:iam::${parsed.value.accountId}:role/${roleName}`;
      const session = parts.length >= 3 ? (parts[parts.length - 1] ?? '') : '';
      hits.push({
        messageId: 'sessionArn',
        subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
        location: row.arnLocation,
        affectsPrincipal:
          !row.lost &&
          missedByRows(simulation) &&
          (nearMissAt(simulation, ID, row.arnLocation) || isPrincipalArn(simulation, roleArn)),
        data: {
          where: rowRef(row.block, row.index, row.location),
          key: arnKeyOf(row.block),
          arn: row.arn,
          roleArn,
          roleName,
          session: session || '(none)',
        },
        fix: row.block === 'mapRoles' ? [blockFixStep(evidence, row.block)] : [],
      });
    }
    return hits;
  },
});
