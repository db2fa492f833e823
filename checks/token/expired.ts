import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterOrPlaceholder, duration, EXEC_FIX, tokenOf, tokenSubject } from './shared.js';

type Message = 'expired' | 'credentialsExpired' | 'stsExpired';

export default defineCheck<Message>({
  meta: {
    id: 'token/expired',
    title: 'The token has expired',
    severity: 'error',
    stage: 'token',
    ref: 'C09',
    needs: [],
    messages: {
      expired: {
        text: 'The token was signed at {signedAt} and expired at {expiresAt}, {ago} before {checkedAt}: the authenticator refuses a token 15 minutes after its X-Amz-Date.',
        remediation:
          "Let kubectl mint a token per call with an exec entry; never store a token (Terraform's aws_eks_cluster_auth is read once per run).",
        fix: {
          ...EXEC_FIX,
          risks: ['If the token is fresh but still "expired", compare clocks: see token/clock-skew.'],
        },
      },
      credentialsExpired: {
        text: 'STS says the credentials that signed the token have expired ({stsMessage}): a token dies with its signing session, even inside its 15 minutes.',
        remediation:
          'Refresh the credentials (for example `aws sso login`, or a new role session) and mint a new token.',
        fix: {
          ...EXEC_FIX,
          aws: 'aws sts get-caller-identity   # fails the same way until the credentials are renewed',
          risks: [
            "`eksauth token` advertises the session's own expiry when it is earlier than 14 minutes; `aws eks get-token` does not.",
          ],
        },
      },
      stsExpired: {
        text: 'STS refuses the replay as expired ({stsMessage}).',
        remediation: "Mint a fresh token; if it is refused right away too, compare this machine's clock with AWS's.",
        fix: { ...EXEC_FIX, risks: ['A clock that is behind makes every token look expired: see token/clock-skew.'] },
      },
    },
  },
  run({ evidence }) {
    const token = tokenOf(evidence);
    if (!token) return [];
    const base = { subject: tokenSubject(token), affectsPrincipal: true };
    const common = { cluster: clusterOrPlaceholder(token), user: 'USER' };
    const hits: Hit<Message>[] = [];
    if (!token.validation.ok && token.validation.checkId === 'token/expired' && token.facts.expiresAt) {
      const ago = duration(Date.parse(token.checkedAt) - Date.parse(token.facts.expiresAt));
      hits.push({
        ...base,
        messageId: 'expired',
        data: {
          ...common,
          signedAt: token.facts.signedAt ?? '?',
          expiresAt: token.facts.expiresAt,
          checkedAt: token.checkedAt,
          ago,
        },
      });
    }
    const replay = token.replay;
    if (replay?.outcome === 'sts-error') {
      if (replay.code === 'ExpiredToken')
        hits.push({ ...base, messageId: 'credentialsExpired', data: { ...common, stsMessage: replay.message } });
      else if (/signature expired|request has expired/i.test(replay.message))
        hits.push({ ...base, messageId: 'stsExpired', data: { ...common, stsMessage: replay.message } });
    }
    return hits;
  },
});
