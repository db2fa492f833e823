import { iamPathOf, stripRolePath } from '../../src/model/arn.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf, eksctlGroupFlags, hclList, sedReplace, shellQuote } from '../../src/core/fix-format.js';
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
          kubectl: `kubectl get configmap aws-auth -n kube-system -o yaml | sed {sed} | kubectl replace -f -`,
          eksctl: `eksctl create iamidentitymapping --cluster {cluster} --arn {canonical} --username {usernameShell} {groupFlags}`,
          aws: `# aws-auth is edited with kubectl; with access entries (API_AND_CONFIG_MAP or API) the path is allowed:\naws eks create-access-entry --cluster-name {cluster} --principal-arn {arn}`,
          terraform: `# terraform-aws-modules/eks//modules/aws-auth\naws_auth_roles = [{ rolearn = "{canonical}", username = "{username}", groups = {hclGroups} }]`,
          risks: [
            '`kubectl replace` fails if someone changed aws-auth since you read it: read it again and retry rather than forcing it.',
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
          cluster: clusterNameOf(evidence),
          usernameShell: shellQuote(row.username || 'USERNAME'),
          username: row.username || 'USERNAME',
          groupFlags: eksctlGroupFlags(row.groups),
          hclGroups: hclList(row.groups),
          sed: sedReplace(row.arn, canonical),
        },
      });
    }
    return hits;
  },
});
