import { defineCheck, type Hit } from '../../src/core/types.js';
import type { TokenFacts } from '../../src/token/evidence.js';
import { tokenOf, tokenSubject } from './shared.js';

type Message = 'scopeMismatch' | 'regionDisabled' | 'unreachable' | 'throttled' | 'stsRefused';

/** The credential scope must name the host's region (us-east-1 for the global host) and `sts`. */
export function scopeMatchesHost(facts: TokenFacts): boolean {
  if (!facts.scope || !facts.region) return true;
  const expected = facts.region === 'global' ? 'us-east-1' : facts.region;
  return facts.scope.region === expected && facts.scope.service === 'sts';
}

const CODES_WITH_OWN_CHECK = new Set(['SignatureDoesNotMatch', 'ExpiredToken', 'RegionDisabledException']);

export default defineCheck<Message>({
  meta: {
    id: 'token/sts-endpoint',
    title: 'STS cannot verify the token at the endpoint it names',
    severity: 'error',
    stage: 'token',
    ref: 'C12',
    needs: [],
    messages: {
      scopeMismatch: {
        text: 'The token targets {host} but is signed for {scopeRegion}/{scopeService}: STS refuses a signature scoped to another region or service.',
        remediation:
          'Mint the token with a client that derives the scope from the endpoint (`aws eks get-token --region {hostRegion}` or `eksauth token`).',
        fix: {
          kubectl: `kubectl config view --minify -o jsonpath='{.users[0].user.exec}'   # which client mints the token`,
          eksctl: `eksctl utils write-kubeconfig --cluster {cluster} --region {hostRegion}`,
          aws: `aws eks get-token --cluster-name {cluster} --region {hostRegion} | eksauth decode-token -`,
          terraform: `# exec block of provider "kubernetes"\nargs = ["eks", "get-token", "--cluster-name", "{cluster}", "--region", "{hostRegion}"]`,
          risks: ['Hand-rolled presigners often hard-code us-east-1 for the scope while targeting a regional host.'],
        },
      },
      regionDisabled: {
        text: 'STS is not active in {region} for this account ({stsMessage}); the authenticator replays to the host the token names, so every such token fails.',
        remediation:
          'Activate STS in {region} (IAM console, Account settings) or mint tokens for a region where it is active with `--region`.',
        fix: {
          kubectl: `kubectl config view --minify -o jsonpath='{.users[0].user.exec.args}'   # the --region used to mint`,
          eksctl: `eksctl utils write-kubeconfig --cluster {cluster} --region CLUSTER_REGION`,
          aws: `aws iam get-account-summary   # then enable the region under IAM > Account settings > STS`,
          terraform: `# STS regional activation is an account setting, not in the AWS provider; use --region in the exec args`,
          risks: [
            'Opt-in regions also need v2 (regional) session tokens: global STS tokens are v1 unless the account says otherwise.',
          ],
        },
      },
      unreachable: {
        text: 'The STS host {host} could not be reached from here ({error}); the authenticator calls it from the control plane, so the cause may be local (proxy, firewall, DNS).',
        remediation:
          'Check that {host} answers from here (`curl -sI https://{host}/`; curl, the aws CLI and eksauth all go through HTTPS_PROXY unless NO_PROXY names the host), or run the replay from a network that reaches AWS.',
        severity: 'warning',
        fix: {
          kubectl: `# kubectl never calls STS itself; the exec plugin does`,
          eksctl: `# eksctl, the aws CLI and eksauth read the same HTTPS_PROXY and NO_PROXY: set them if this network needs a proxy`,
          aws: `aws sts get-caller-identity --region {hostRegion}`,
          terraform: `# provider "aws" { endpoints { sts = "https://{host}" } } if a private endpoint is required`,
          risks: ['A VPC endpoint for STS changes which host you must reach but not the host a token names.'],
        },
      },
      throttled: {
        text: 'STS throttled the replay ({stsMessage}): the authenticator answers 429 and the client sees Unauthorized until the rate drops.',
        remediation:
          'Reduce GetCallerIdentity calls against this account (cache tokens: `eksauth token` does), then retry.',
        severity: 'warning',
        fix: {
          kubectl: `# kubectl re-runs the exec plugin only when the token expires; many parallel kubectls each mint their own`,
          eksctl: `# eksctl is not the source of the calls: look for loops of aws sts get-caller-identity`,
          aws: `aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=GetCallerIdentity --max-results 50`,
          terraform: `# many kubernetes/helm providers in parallel each mint tokens: reduce -parallelism`,
          risks: ["Throttling is per account and region: another team's automation can cause it."],
        },
      },
      stsRefused: {
        text: 'STS refuses the token with HTTP {status} {code}: {stsMessage}.',
        remediation:
          'Check the credentials that minted the token with `aws sts get-caller-identity`: keys that were deleted or deactivated fail here.',
        fix: {
          kubectl: `kubectl config view --minify -o jsonpath='{.users[0].user.exec.env}'   # which profile the exec plugin uses`,
          eksctl: `# eksctl mints with the same credentials: run it with the profile you expect`,
          aws: `aws sts get-caller-identity`,
          terraform: `# check the provider's profile/assume_role settings`,
          risks: ['InvalidClientTokenId usually means the access key was deleted or belongs to another partition.'],
        },
      },
    },
  },
  run({ evidence }) {
    const token = tokenOf(evidence);
    if (!token) return [];
    const subject = tokenSubject(token);
    const host = token.facts.stsHost ?? '(unknown host)';
    const hostRegion = token.facts.region === 'global' ? 'us-east-1' : (token.facts.region ?? 'REGION');
    const common = { host, hostRegion, cluster: token.clusterName ?? 'CLUSTER_NAME' };
    const hits: Hit<Message>[] = [];
    // Only a token the authenticator would pass on to STS can fail at STS.
    if (token.validation.ok && !scopeMatchesHost(token.facts) && token.facts.scope) {
      hits.push({
        messageId: 'scopeMismatch',
        subject,
        affectsPrincipal: true,
        data: { ...common, scopeRegion: token.facts.scope.region, scopeService: token.facts.scope.service },
      });
    }
    const replay = token.replay;
    if (replay?.outcome === 'transport-error')
      hits.push({ messageId: 'unreachable', subject, data: { ...common, error: replay.message } });
    if (replay?.outcome === 'sts-error') {
      const data = {
        ...common,
        region: hostRegion,
        stsMessage: replay.message,
        status: replay.status,
        code: replay.code ?? '(no error code)',
      };
      if (replay.throttled) hits.push({ messageId: 'throttled', subject, data });
      else if (replay.code === 'RegionDisabledException' || /not activated in this region/i.test(replay.message))
        hits.push({ messageId: 'regionDisabled', subject, affectsPrincipal: true, data });
      else if (
        !CODES_WITH_OWN_CHECK.has(replay.code ?? '') &&
        !/signature expired|request has expired|not yet current/i.test(replay.message)
      ) {
        hits.push({ messageId: 'stsRefused', subject, affectsPrincipal: true, data });
      }
    }
    return hits;
  },
});
