import { defineCheck } from '../../src/core/types.js';
import { clusterOrPlaceholder, EXEC_FIX, tokenOf, tokenSubject } from './shared.js';

type Message = 'rejected' | 'stsRefuses';

export default defineCheck<Message>({
  meta: {
    id: 'token/malformed',
    title: 'The token is not in the form the authenticator accepts',
    severity: 'error',
    stage: 'token',
    needs: [],
    messages: {
      rejected: {
        text: 'The authenticator refuses the token from {source} before asking STS: {error}.',
        remediation:
          'Pass the token exactly as `aws eks get-token` or `eksauth token` prints it (no padding, quotes or line breaks), or let kubectl mint it through an exec entry.',
        fix: {
          ...EXEC_FIX,
          aws: `aws eks get-token --cluster-name {cluster} | eksauth decode-token -   # a fresh token, checked`,
          risks: [
            'A token is a bearer credential for 15 minutes: do not paste it into tickets or chat while debugging.',
          ],
        },
      },
      stsRefuses: {
        text: 'The authenticator would pass the token from {source} on to STS, but STS can never accept it: {error}. The cluster answers 401 Unauthorized to it every time.',
        remediation:
          'Mint the token with `aws eks get-token`, `eksauth token` or an SDK presigner instead of assembling or editing the URL by hand.',
        fix: {
          ...EXEC_FIX,
          aws: `aws eks get-token --cluster-name {cluster} | eksauth decode-token -   # a fresh token, checked`,
          risks: [
            'A token is a bearer credential for 15 minutes: do not paste it into tickets or chat while debugging.',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const token = tokenOf(evidence);
    if (!token || token.validation.ok || token.validation.checkId !== 'token/malformed') return [];
    return [
      {
        messageId: token.validation.by === 'sts' ? 'stsRefuses' : 'rejected',
        subject: tokenSubject(token),
        affectsPrincipal: true,
        data: {
          source: token.source,
          error: token.validation.message,
          cluster: clusterOrPlaceholder(token),
          user: 'USER',
        },
      },
    ];
  },
});
