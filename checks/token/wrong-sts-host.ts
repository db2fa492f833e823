import { defineCheck } from '../../src/core/types.js';
import { clusterOrPlaceholder, tokenOf, tokenSubject } from './shared.js';

type Message = 'wrongHost';

export default defineCheck<Message>({
  meta: {
    id: 'token/wrong-sts-host',
    title: 'The token points at an STS host the cluster does not accept',
    severity: 'error',
    stage: 'token',
    ref: 'C12',
    needs: [],
    messages: {
      wrongHost: {
        text: 'The token is presigned for {host}, which the authenticator of a cluster in partition {partition} refuses: {error}.',
        remediation:
          "Mint the token in the cluster's own partition and region: pass `--region {region}` (the cluster's region) to the token command.",
        fix: {
          kubectl: `kubectl config view --minify -o jsonpath='{.users[0].user.exec.args}'   # add --region {region} to these args`,
          eksctl: `eksctl utils write-kubeconfig --cluster {cluster} --region {region}`,
          aws: `aws eks update-kubeconfig --name {cluster} --region {region}`,
          terraform: `# exec block of provider "kubernetes"\nargs = ["eks", "get-token", "--cluster-name", "{cluster}", "--region", "{region}"]`,
          risks: [
            'Changing the region of the exec entry also changes which regional STS endpoint your credentials must be able to reach.',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const token = tokenOf(evidence);
    if (!token || token.validation.ok || token.validation.checkId !== 'token/wrong-sts-host') return [];
    return [
      {
        messageId: 'wrongHost',
        subject: tokenSubject(token),
        affectsPrincipal: true,
        data: {
          host: token.facts.stsHost || '(no host)',
          partition: token.partition,
          error: token.validation.message,
          cluster: clusterOrPlaceholder(token),
          region: token.clusterRegion ?? 'CLUSTER_REGION',
        },
      },
    ];
  },
});
