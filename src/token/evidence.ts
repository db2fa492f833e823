/**
 * What the token/* checks read: the facts of one token and what the authenticator (offline) and
 * STS (on replay) made of it. Never a secret: no URL, no signature, no session token, and the
 * access key id only in its redacted form.
 */
import type { Evidence } from '../model/evidence.js';
import type { Partition } from '../model/partitions.js';
import type { TokenCheckId } from './validate.js';

export interface TokenFacts {
  stsHost?: string;
  /** `global` for sts.amazonaws.com. */
  region?: string;
  /** The partition the STS host belongs to (by its region), when known. */
  hostPartition?: Partition;
  /** First four and last four characters. */
  accessKeyId?: string;
  /** The region, service and date of X-Amz-Credential's scope. */
  scope?: { date: string; region: string; service: string };
  signedAt?: string;
  expiresAt?: string;
  signedHeaders: string[];
  expiresParam?: number;
  hasSessionToken?: boolean;
}

export type TokenReplay =
  | {
      outcome: 'identity';
      status: number;
      arn: string;
      account: string;
      userId: string;
      stsDate?: string;
      localDate: string;
    }
  | {
      outcome: 'sts-error';
      status: number;
      code?: string;
      message: string;
      throttled: boolean;
      stsDate?: string;
      localDate: string;
    }
  | { outcome: 'transport-error'; message: string };

export interface TokenEvidence {
  /** Where the token came from: `argument`, `stdin` or `kubeconfig user NAME`. */
  source: string;
  /** The partition the token was judged against (the cluster's). */
  partition: Partition;
  /** The checking clock, ISO 8601. */
  checkedAt: string;
  /** The cluster the token is meant for (`--cluster`), if given. */
  clusterName?: string;
  /** The cluster's region (`--region`), if given. */
  clusterRegion?: string;
  /** `by: 'sts'`: the authenticator would pass it on, but STS can never accept it (stsRefusal). */
  validation: { ok: true } | { ok: false; checkId: TokenCheckId; message: string; by?: 'sts' };
  facts: TokenFacts;
  replay?: TokenReplay;
}

/** The token evidence of a check context. */
export function tokenEvidenceOf(evidence: Evidence): TokenEvidence | undefined {
  return evidence.token;
}
