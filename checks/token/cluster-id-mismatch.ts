import { defineCheck } from '../../src/core/types.js';
import { tokenOf, tokenSubject } from './shared.js';
import { scopeMatchesHost } from './sts-endpoint.js';

type Message = 'signatureMismatch';

export const TIME_PROBLEM = /not yet current|signature expired|request has expired/i;

export default defineCheck<Message>({
  meta: {
    id: 'token/cluster-id-mismatch',
    title: 'The token was minted for another cluster name',
    severity: 'error',
    stage: 'token',
    ref: 'C10',
    needs: [],
    messages: {
      signatureMismatch: {
        text: 'Replayed with x-k8s-aws-id: {cluster}, STS answers SignatureDoesNotMatch: the token was minted for another cluster name (case and spelling count) or was altered.',
        remediation:
          'Mint the token for exactly `{cluster}`: check the `--cluster-name` argument of the exec entry used for this cluster.',
        fix: {
          kubectl: `kubectl config view --minify -o jsonpath='{.users[0].user.exec.args}'   # the cluster name must be exactly {cluster}`,
          eksctl: `eksctl utils write-kubeconfig --cluster {cluster}`,
          aws: `aws eks update-kubeconfig --name {cluster}   # rewrites the exec args with this name`,
          terraform: `# exec block of provider "kubernetes": use the cluster resource, not a literal\nargs = ["eks", "get-token", "--cluster-name", aws_eks_cluster.this.name]`,
          risks: [
            'Several kubeconfig contexts may share one user entry: fixing the name for one cluster breaks the others, so give each cluster its own user.',
            'Outposts local clusters sign with the cluster id (`--cluster-id`), not the name.',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const token = tokenOf(evidence);
    const replay = token?.replay;
    if (
      !token ||
      token.clusterName === undefined ||
      replay?.outcome !== 'sts-error' ||
      replay.code !== 'SignatureDoesNotMatch'
    )
      return [];
    // STS also answers SignatureDoesNotMatch for a wrong-region scope and for time problems;
    // token/sts-endpoint, token/expired and token/clock-skew name those causes.
    if (!scopeMatchesHost(token.facts) || TIME_PROBLEM.test(replay.message)) return [];
    return [
      {
        messageId: 'signatureMismatch',
        subject: tokenSubject(token),
        affectsPrincipal: true,
        data: { cluster: token.clusterName },
      },
    ];
  },
});
