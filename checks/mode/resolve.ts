import type { AuthenticationMode, Evidence } from '../../src/model/evidence.js';
import { modeFromEvidence } from '../../src/model/simulate.js';

/** The text the EKS API answers access-entry calls with on a CONFIG_MAP cluster (eks-control-plane-facts.md §1.3). */
export const CONFIG_MAP_ONLY_ERROR =
  "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.";

export interface ResolvedMode {
  mode: AuthenticationMode;
  /** cluster-info: DescribeCluster (or --mode) said so; error: inferred from the access-entry API's refusal; assumed: a guess. */
  origin: 'cluster-info' | 'error' | 'assumed';
}

/**
 * The authentication mode as the checks should judge it: what DescribeCluster says, else what an
 * access-entry call's InvalidRequestException implies, else the simulation's assumption (entries
 * given → API_AND_CONFIG_MAP, otherwise CONFIG_MAP).
 */
export function resolveMode(evidence: Evidence): ResolvedMode {
  if (
    !evidence.cluster?.authenticationMode &&
    evidence.unavailable?.accessEntries?.includes('authentication mode must be set to one of')
  )
    return { mode: 'CONFIG_MAP', origin: 'error' };
  return modeFromEvidence(evidence);
}

/** EKS is known (not assumed) to be in CONFIG_MAP mode, so it reads no access entry at all. */
export function accessEntriesIgnored(evidence: Evidence): boolean {
  const { mode, origin } = resolveMode(evidence);
  return mode === 'CONFIG_MAP' && origin !== 'assumed';
}
