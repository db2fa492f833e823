import { defineCheck, type Hit } from '../../src/core/types.js';
import { duration, tokenOf, tokenSubject } from './shared.js';

type Message = 'futureDated' | 'notYetValid' | 'stsClockDiffers' | 'awsRefusedDate' | 'clockBehind' | 'clockOff';

/**
 * How far clocks may disagree before we say so. STS accepts ordinary requests up to 5 minutes
 * off; its tolerance for future-dated presigned GetCallerIdentity is UNCONFIRMED
 * (authenticator-facts.md §1.6), so this is where we start to warn, not a proven limit.
 */
export const SKEW_WARNING_MS = 5 * 60_000;
/** The authenticator refuses a token 15 minutes after its X-Amz-Date, by its own clock (facts §1.5). */
const TOKEN_WINDOW_MS = 15 * 60_000;

const NTP_FIX = {
  kubectl: 'date -u   # on the machine that runs kubectl; compare with an NTP source',
  eksctl: '# eksctl does not set clocks: fix NTP on the host (chrony, systemd-timesyncd)\nchronyc tracking',
  aws: "aws sts get-caller-identity --debug 2>&1 | grep -i '^date'   # the time AWS answers with",
  terraform: '# Terraform runners need NTP too: a skewed CI runner mints skewed tokens',
  risks: ['Stepping a clock back or forward on a busy host can upset other time-based credentials (TOTP, Kerberos).'],
};

export default defineCheck<Message>({
  meta: {
    id: 'token/clock-skew',
    title: 'A clock is far enough off to matter',
    severity: 'warning',
    stage: 'token',
    ref: 'C11',
    needs: [],
    messages: {
      futureDated: {
        text: "The token is dated {signedAt}, {ahead} ahead of this machine's clock ({checkedAt}): the clock where it was minted, or this one, is off.",
        remediation:
          'Synchronise the clock of the machine that mints tokens (NTP, e.g. `chronyc tracking`), then mint a new token.',
        fix: {
          kubectl: 'date -u   # on the machine that runs kubectl; compare with an NTP source',
          eksctl: '# eksctl does not set clocks: fix NTP on the host (chrony, systemd-timesyncd)',
          aws: "aws sts get-caller-identity --debug 2>&1 | grep -i '^date'   # the time AWS answers with",
          terraform: '# Terraform runners need NTP too: a skewed CI runner mints skewed tokens',
          risks: [
            'Stepping a clock back or forward on a busy host can upset other time-based credentials (TOTP, Kerberos).',
          ],
        },
      },
      notYetValid: {
        text: 'STS refuses the token as not yet valid ({stsMessage}): the clock where it was minted is ahead of AWS.',
        remediation: 'Synchronise the clock of the machine that mints tokens (NTP), then mint a new token.',
        severity: 'error',
        fix: {
          kubectl: 'date -u   # on the machine that runs kubectl; compare with an NTP source',
          eksctl: '# eksctl does not set clocks: fix NTP on the host (chrony, systemd-timesyncd)',
          aws: 'aws sts get-caller-identity   # fails with "Signature not yet current" too while the clock is ahead',
          terraform: '# Terraform runners need NTP too: a skewed CI runner mints skewed tokens',
          risks: [
            'Stepping a clock back or forward on a busy host can upset other time-based credentials (TOTP, Kerberos).',
          ],
        },
      },
      clockBehind: {
        text: "This machine's clock is {skew} behind AWS's (measured from STS's answer to GetCallerIdentity): every token minted here, by `aws eks get-token`, kubectl's exec plugin or eksauth, is more than 15 minutes old by EKS's clock when it arrives, so EKS answers 401 Unauthorized. AWS API calls still work because the AWS SDKs correct their own clock; presigned tokens do not.",
        remediation: "Synchronise this machine's clock (NTP); tokens minted afterwards are accepted.",
        severity: 'error',
        fix: NTP_FIX,
      },
      clockOff: {
        text: "This machine's clock is {skew} {direction} AWS's (measured from STS's answer to GetCallerIdentity): {consequence}.",
        remediation: "Synchronise this machine's clock (NTP).",
        fix: NTP_FIX,
      },
      awsRefusedDate: {
        text: "{error}. The AWS SDK corrects its clock from AWS's answer and retries, so a refusal that stays means the correction could not happen (retries used up, or a proxy that rewrites the Date header); tokens minted here are judged by the same wrong clock.",
        remediation: "Synchronise this machine's clock (NTP), then run the command again.",
        severity: 'error',
        fix: {
          kubectl: 'date -u   # compare with an NTP source; tokens minted with this clock are refused too',
          eksctl: '# eksctl does not set clocks: fix NTP on the host (chrony, systemd-timesyncd)\nchronyc tracking',
          aws: 'aws sts get-caller-identity   # fails with the same "Signature expired" while the clock is off',
          terraform: '# Terraform runners need NTP too: a skewed CI runner cannot call AWS at all',
          risks: [
            'Stepping a clock back or forward on a busy host can upset other time-based credentials (TOTP, Kerberos).',
          ],
        },
      },
      stsClockDiffers: {
        text: "STS's clock read {stsDate} when this machine's read {localDate}, {skew} apart: expiry judged on this machine is off by as much.",
        remediation: "Synchronise this machine's clock (NTP) before trusting the expiry findings here.",
        fix: {
          kubectl: 'date -u   # compare with the Date header STS sent',
          eksctl: '# eksctl does not set clocks: fix NTP on the host (chrony, systemd-timesyncd)',
          aws: "aws sts get-caller-identity --debug 2>&1 | grep -i '^date'",
          terraform: '# not a Terraform setting: fix NTP on the machine',
          risks: [
            'Stepping a clock back or forward on a busy host can upset other time-based credentials (TOTP, Kerberos).',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const hits: Hit<Message>[] = [];
    const offset = evidence.caller?.clockOffsetMs ?? 0;
    if (offset > TOKEN_WINDOW_MS)
      hits.push({
        messageId: 'clockBehind',
        subject: { kind: 'credentials', name: 'this machine' },
        affectsPrincipal: true,
        data: { skew: duration(offset) },
      });
    else if (Math.abs(offset) > SKEW_WARNING_MS)
      hits.push({
        messageId: 'clockOff',
        subject: { kind: 'credentials', name: 'this machine' },
        data: {
          skew: duration(offset),
          direction: offset > 0 ? 'behind' : 'ahead of',
          consequence:
            offset > 0
              ? `tokens minted here are accepted for ${duration(TOKEN_WINDOW_MS - offset)} instead of 15 min, while kubectl reuses them for 14 min, so requests fail with 401 Unauthorized for part of every token's life`
              : "tokens minted here are dated in the future; EKS's authenticator accepts that, but STS may refuse the replay as not yet current (its tolerance is unconfirmed)",
        },
      });
    // One finding is enough: every call from this machine is refused for the same reason.
    const refused = Object.values(evidence.failures ?? {}).find((f) => f.code === 'clock-skew');
    if (refused)
      hits.push({
        messageId: 'awsRefusedDate',
        subject: { kind: 'credentials', name: 'this machine' },
        affectsPrincipal: true,
        data: { action: refused.action, error: refused.message.replace(/\.$/, '') },
      });
    const token = tokenOf(evidence);
    if (!token) return hits;
    const subject = tokenSubject(token);
    const checkedAt = Date.parse(token.checkedAt);
    if (token.facts.signedAt && Date.parse(token.facts.signedAt) - checkedAt > SKEW_WARNING_MS) {
      const ahead = duration(Date.parse(token.facts.signedAt) - checkedAt);
      hits.push({
        messageId: 'futureDated',
        subject,
        data: { signedAt: token.facts.signedAt, checkedAt: token.checkedAt, ahead },
      });
    }
    const replay = token.replay;
    if (replay?.outcome === 'sts-error' && /not yet current/i.test(replay.message)) {
      hits.push({ messageId: 'notYetValid', subject, affectsPrincipal: true, data: { stsMessage: replay.message } });
    }
    if (replay && replay.outcome !== 'transport-error' && replay.stsDate) {
      const skew = Date.parse(replay.stsDate) - Date.parse(replay.localDate);
      // The Date header has whole seconds: anything under the threshold is noise.
      if (Math.abs(skew) > SKEW_WARNING_MS) {
        hits.push({
          messageId: 'stsClockDiffers',
          subject,
          data: {
            stsDate: new Date(Date.parse(replay.stsDate)).toISOString(),
            localDate: replay.localDate,
            skew: duration(skew),
          },
        });
      }
    }
    return hits;
  },
});
