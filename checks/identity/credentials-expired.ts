import { run, script, sh } from '../../src/core/command.js';
import { defineCheck, type Hit } from '../../src/core/types.js';

import { duration } from '../token/shared.js';
import { execError, liveClusterName, liveRegion, profileFlag, profileOf } from './_live-shared.js';

type Message = 'ssoExpired' | 'tokenExpired' | 'execExpired' | 'expiresSoon';

/** AWS error codes that mean "these credentials have expired". */
export const EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException']);

/** What the AWS CLI, botocore and the JS SDK print for an expired SSO session or session token. */
const EXPIRED_TEXT =
  /ExpiredToken|security token included in the request is expired|SSO (access )?token has (either )?expired|SSO session .*(has )?expired|Token has expired and refresh failed|Error loading SSO Token/i;
const SSO_TEXT = /\bSSO\b|sso_session|aws sso login/i;

/** Tokens minted from credentials that expire sooner than this are worth a warning. */
const SOON_MS = 15 * 60_000;

const FIX = {
  kubectl: `{login}\nkubectl get --raw /version   # kubectl runs the exec plugin again with fresh credentials`,
  eksctl: `{login}\neksctl get cluster --name {cluster} --region {region} {profileFlag}`,
  aws: `{login}\naws sts get-caller-identity {profileFlag}`,
  terraform: `# Log in before plan/apply, and let the kubernetes provider mint tokens per call:\nexec {\n  api_version = "client.authentication.k8s.io/v1beta1"\n  command     = "aws"\n  args        = concat(["eks", "get-token", "--cluster-name", "{cluster}", "--region", "{region}"], {profileArgs})\n}`,
  risks: [
    "SSO sessions last 1 to 12 hours (set on the permission set), so long CI jobs and Terraform applies can outlive them: give CI a role assumed through OIDC instead of a person's session.",
    '`aws sso login` opens a browser; on a headless host add `--no-browser` and open the printed URL elsewhere.',
    'Unsetting AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN hands the chain to the next source (profile, SSO, instance role): check who you are afterwards with `aws sts get-caller-identity`.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'identity/credentials-expired',
    title: 'The AWS credentials or the SSO session have expired',
    severity: 'error',
    stage: 'client',
    ref: 'C06',
    needs: [],
    messages: {
      ssoExpired: {
        text: 'The SSO session{profileNote} has expired ({action}: {error}). No token can be minted, so the API server is never reached (this is not a 401 from EKS).',
        remediation: 'Log in again with `aws sso login`{profileHint}.',
        fix: FIX,
      },
      tokenExpired: {
        text: 'The temporary credentials{sourceNote} have expired ({action}: {error}). No token can be minted, so the API server is never reached (this is not a 401 from EKS).',
        remediation:
          'Get fresh credentials from their source (log in again, or re-run the command that exported them).',
        fix: FIX,
      },
      execExpired: {
        text: 'The exec plugin of kubeconfig context {context} ({command}{execProfileNote}) failed with "{error}": its credentials have expired, so kubectl gets no token and never reaches the cluster.',
        remediation: 'Refresh the credentials the exec entry uses, e.g. `aws sso login`{profileHint}.',
        fix: FIX,
      },
      expiresSoon: {
        severity: 'warning',
        text: 'The credentials of {caller} ({source}) expire at {expiresAt}, {remaining} after {now} ({nowLabel}): every token minted from them stops working then too.',
        remediation: 'Refresh the credentials before a long-running job starts.',
        fix: FIX,
      },
    },
  },
  run({ evidence }) {
    const profile = profileOf(evidence);
    const sso = (text: string): boolean => SSO_TEXT.test(text) || /SSO/i.test(evidence.caller?.credentialSource ?? '');
    const common = (isSso: boolean) => ({
      cluster: liveClusterName(evidence),
      region: liveRegion(evidence),
      profileFlag: profileFlag(profile),
      profileHint: profile ? ` with profile ${profile}` : '',
      profileArgs: profileFlag(profile),
      login: isSso
        ? script(sh`aws sso login ${profileFlag(profile)}`)
        : [
            run(sh`unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`, 'if stale keys were exported'),
            run(sh`aws sso login ${profileFlag(profile)}`, 'or re-run whatever issued the credentials'),
          ],
    });
    const hits: Hit<Message>[] = [];
    const subject = { kind: 'credentials' as const, name: profile ? `profile ${profile}` : 'default credential chain' };

    const callerFailure = evidence.failures?.caller;
    const assume = evidence.assumeRole;
    const assumeExpired = assume?.outcome === 'refused' && EXPIRED_CODES.has(assume.code) ? assume : undefined;
    const failure =
      // A request refused for its date is failure code clock-skew (token/clock-skew), never this one.
      callerFailure?.code === 'expired-credentials'
        ? { action: callerFailure.action, error: callerFailure.message.replace(/\.$/, '') }
        : assumeExpired
          ? { action: 'sts:AssumeRole', error: `${assumeExpired.code}: ${assumeExpired.message.replace(/\.$/, '')}` }
          : undefined;
    if (failure) {
      const isSso = sso(failure.error);
      hits.push({
        messageId: isSso ? 'ssoExpired' : 'tokenExpired',
        subject,
        affectsPrincipal: true,
        data: {
          ...common(isSso),
          ...failure,
          profileNote: profile ? ` of profile ${profile}` : '',
          sourceNote: evidence.caller
            ? ` from ${evidence.caller.credentialSource}`
            : profile
              ? ` of profile ${profile}`
              : '',
        },
      });
      return hits;
    }

    const error = execError(evidence);
    const exec = evidence.kubeconfig?.exec;
    if (error !== undefined && exec && EXPIRED_TEXT.test(error)) {
      const isSso = sso(error);
      hits.push({
        messageId: 'execExpired',
        subject: { kind: 'kubeconfig', name: evidence.kubeconfig?.context ?? '' },
        affectsPrincipal: true,
        data: {
          ...common(isSso),
          context: evidence.kubeconfig?.context ?? '',
          command: exec.command,
          execProfileNote: profile ? `, profile ${profile}` : '',
          error,
        },
      });
    }

    // Still valid, but not for long: judged against a clock from the evidence, never this machine's.
    const caller = evidence.caller;
    const nowText = evidence.probe?.serverDate ?? evidence.token?.checkedAt;
    if (caller?.expiresAt && nowText) {
      const remaining = Date.parse(caller.expiresAt) - Date.parse(nowText);
      if (remaining > 0 && remaining < SOON_MS) {
        hits.push({
          messageId: 'expiresSoon',
          subject: { kind: 'credentials', name: caller.arn },
          affectsPrincipal: false,
          data: {
            ...common(sso(caller.credentialSource)),
            caller: caller.arn,
            source: caller.credentialSource,
            expiresAt: caller.expiresAt,
            remaining: duration(remaining),
            now: nowText,
            nowLabel: evidence.probe?.serverDate ? "the API server's Date header" : 'when the check ran',
          },
        });
      }
    }
    return hits;
  },
});
