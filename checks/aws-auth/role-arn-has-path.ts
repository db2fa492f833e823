import { iamPathOf, stripRolePath } from '../../src/model/arn.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { blockFixStep } from './_fix-rows.js';
import { rowViews } from './_shared.js';

type Message = 'hasPath';

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/role-arn-has-path',
    title: 'A mapRoles rolearn includes an IAM path, so it never matches',
    severity: 'error',
    stage: 'authentication',
    ref: 'C15',
    needs: ['awsAuth'],
    messages: {
      hasPath: {
        text: '{where} rolearn {arn} has the IAM path {path}: EKS compares rows with {canonical}, which never has a path, so this row never matches.',
        remediation: 'Write the rolearn as {canonical}: in aws-auth a role ARN must not include its path.',
        fix: {
          risks: [
            '`kubectl patch` carries the resourceVersion eksauth read: if someone changed aws-auth since, it fails with a conflict; run eksauth again rather than forcing it.',
            'A YAML mistake in mapRoles drops every role row, node roles included: run `eksauth lint` on the edited file before replacing it.',
          ],
        },
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const hits: Hit<Message>[] = [];
    for (const row of rowViews(evidence.awsAuth.configMap)) {
      if (row.block !== 'mapRoles') continue;
      const path = iamPathOf(row.arn.trim());
      // `role/aws-reserved/` names no role at all: aws-auth/malformed-arn (noName) says so, with a fix that makes sense.
      if (path === undefined || path === '/' || row.arn.trim().endsWith('/')) continue;
      const canonical = stripRolePath(row.arn.trim());
      hits.push({
        messageId: 'hasPath',
        subject: { kind: 'aws-auth', name: `mapRoles[${row.index}]` },
        location: row.arnLocation,
        affectsPrincipal:
          simulation !== undefined && canonical.toLowerCase() === simulation.principal.canonicalArn.toLowerCase(),
        data: {
          where: `mapRoles[${row.index}] (line ${row.location.line})`,
          arn: row.arn,
          path,
          canonical,
        },
        fix: [blockFixStep(evidence, row.block)],
      });
    }
    return hits;
  },
});
