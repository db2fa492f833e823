import type { Evidence } from '../../src/model/evidence.js';
import { tokenEvidenceOf, type TokenEvidence } from '../../src/token/evidence.js';
import type { Subject } from '../../src/core/types.js';

/** Fix templates and subjects shared by the token/* checks. */
/**
 * The token under judgement. The checks declare no `needs`: without a token they have nothing to
 * say, and listing them as skipped in every lint/explain report would only be noise.
 */
export const tokenOf = (evidence: Evidence): TokenEvidence | undefined => tokenEvidenceOf(evidence);

export const tokenSubject = (token: TokenEvidence): Subject => ({ kind: 'token', name: token.source });

export const clusterOrPlaceholder = (token: TokenEvidence): string => token.clusterName ?? 'CLUSTER_NAME';

/** `4 min 30 s` for a duration in milliseconds. */
export function duration(ms: number): string {
  const total = Math.round(Math.abs(ms) / 1000);
  const [d, h, m, s] = [
    Math.floor(total / 86400),
    Math.floor(total / 3600) % 24,
    Math.floor(total / 60) % 60,
    total % 60,
  ];
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : '', s || total === 0 ? `${s} s` : ''].filter(
    Boolean,
  );
  return parts.slice(0, 2).join(' ');
}

/** The exec stanza that makes kubectl mint a fresh token for every call. */
export const EXEC_FIX = {
  kubectl: `kubectl config set-credentials {user} --exec-api-version=client.authentication.k8s.io/v1beta1 --exec-command=eksauth --exec-arg=token --exec-arg=--cluster --exec-arg={cluster}`,
  eksctl: `eksctl utils write-kubeconfig --cluster {cluster}   # writes an exec entry that mints a token per call`,
  aws: `aws eks update-kubeconfig --name {cluster}   # exec entry running aws eks get-token`,
  terraform: `# provider "kubernetes": an exec block mints per call, unlike data.aws_eks_cluster_auth\nexec {\n  api_version = "client.authentication.k8s.io/v1beta1"\n  command     = "aws"\n  args        = ["eks", "get-token", "--cluster-name", "{cluster}"]\n}`,
} as const;
