import { defineCheck } from '../../src/core/types.js';
import { clusterOrPlaceholder, EXEC_FIX, tokenOf, tokenSubject } from './shared.js';

type Message = 'notSigned';

export default defineCheck<Message>({
  meta: {
    id: 'token/cluster-id-not-signed',
    title: 'The token does not sign the x-k8s-aws-id header',
    severity: 'error',
    stage: 'token',
    needs: [],
    messages: {
      notSigned: {
        text: 'The token signs only {signedHeaders}: without a signed x-k8s-aws-id header the authenticator refuses it for every cluster.',
        remediation:
          'Mint tokens with a client that signs the cluster name (`aws eks get-token`, `aws-iam-authenticator token` or `eksauth token`) instead of a hand-built presigned URL.',
        fix: {
          ...EXEC_FIX,
          risks: [
            'Code that presigns GetCallerIdentity itself must add the `x-k8s-aws-id` header before signing, not after.',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const token = tokenOf(evidence);
    if (!token || token.validation.ok || token.validation.checkId !== 'token/cluster-id-not-signed') return [];
    const signed = token.facts.signedHeaders.filter(Boolean);
    return [
      {
        messageId: 'notSigned',
        subject: tokenSubject(token),
        affectsPrincipal: true,
        data: {
          signedHeaders: signed.length > 0 ? signed.join(';') : 'no headers',
          cluster: clusterOrPlaceholder(token),
          user: 'USER',
        },
      },
    ];
  },
});
