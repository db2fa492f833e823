import { canonicalizeArn, iamPathOf, parseArn, type PrincipalKind } from './arn.js';
import type { ClusterCreator } from './evidence.js';
import type { Partition } from './partitions.js';
import { fail, ok, type Result } from './result.js';

/**
 * The principal under diagnosis, in every form EKS looks at it: the ARN the user typed, the
 * canonical ARN the authenticator matches on, and, when the input told us, the IAM path that the
 * canonical form cannot carry.
 */
export interface Principal {
  input: string;
  kind: PrincipalKind;
  partition: Partition;
  accountId: string;
  /** Role or user name without path. */
  name: string;
  /** IAM path (`/` when none) if the input was an IAM ARN; undefined when it is not known. */
  path?: string;
  /** The ARN the authenticator matches aws-auth rows against: no path, no session. */
  canonicalArn: string;
  /** The IAM ARN with its path, when known (what an access entry is keyed by). */
  iamArn: string;
  /** Role session name, from an STS ARN or `--session-name`; undefined when unknown; "" for non-roles. */
  sessionName?: string;
}

export function principalFromArn(input: string, sessionName?: string): Result<Principal> {
  const trimmed = input.trim();
  const canonical = canonicalizeArn(trimmed);
  if (!canonical.ok) return canonical;
  const { kind, partition, accountId } = canonical.value;
  const parsed = parseArn(trimmed);
  if (!parsed.ok) return parsed;
  const resourceParts = parsed.value.resource.split('/');
  if (kind === 'role' && parsed.value.service === 'iam') {
    // Stryker disable next-line StringLiteral: split() returns at least one element
    const name = resourceParts[resourceParts.length - 1] ?? '';
    if (name === '') return fail(`role arn '${trimmed}' has no role name (it ends with '/')`);
    // Stryker disable next-line StringLiteral: an IAM role ARN always has a path (`/` at least)
    const path = iamPathOf(trimmed) ?? '/';
    return ok({
      input: trimmed,
      kind,
      partition,
      accountId,
      name,
      path,
      // The authenticator only ever sees the STS form, which has no path.
      canonicalArn: `arn:${partition}:iam::${accountId}:role/${name}`,
      iamArn: trimmed,
      ...(sessionName !== undefined ? { sessionName } : {}),
    });
  }
  if (kind === 'role') {
    const name = resourceParts.slice(1, -1).join('/');
    return ok({
      input: trimmed,
      kind,
      partition,
      accountId,
      name,
      canonicalArn: canonical.value.canonicalArn,
      iamArn: canonical.value.canonicalArn,
      sessionName: sessionName ?? canonical.value.sessionName ?? '',
    });
  }
  // The account root's resource is `root`: its last part is its name too.
  // Stryker disable next-line StringLiteral: split() returns at least one element
  const name = resourceParts[resourceParts.length - 1] ?? '';
  return ok({
    input: trimmed,
    kind,
    partition,
    accountId,
    name,
    // Stryker disable next-line StringLiteral: an IAM user ARN always has a path (`/` at least)
    ...(kind === 'user' ? { path: iamPathOf(trimmed) ?? '/' } : {}),
    canonicalArn: canonical.value.canonicalArn,
    iamArn: canonical.value.canonicalArn,
    // Only an assumed role has a session: for users, root and federated users the authenticator's
    // SessionName is "" (pkg/token getIdentityFromSTSResponse), so {{SessionName}} renders empty.
    sessionName: '',
  });
}

/** What the authenticator's STS-response parser derives (pkg/token getIdentityFromSTSResponse). */
export interface StsIdentity {
  arn: string;
  userId: string;
  account: string;
}

export interface AuthenticatedIdentity {
  canonicalArn: string;
  accountId: string;
  userId: string;
  sessionName: string;
  accessKeyId: string;
}

export function identityFromStsResponse(sts: StsIdentity, accessKeyId: string): Result<AuthenticatedIdentity> {
  const canonical = canonicalizeArn(sts.arn);
  if (!canonical.ok) return canonical;
  let userId = sts.userId;
  let sessionName = '';
  if (canonical.value.kind === 'role') {
    const parts = sts.userId.split(':');
    if (parts.length !== 2) return fail(`malformed UserID "${sts.userId}"`);
    // Stryker disable next-line StringLiteral: parts has exactly two elements here
    userId = parts[0] ?? '';
    // Stryker disable next-line StringLiteral: parts has exactly two elements here
    sessionName = parts[1] ?? '';
  }
  return ok({ canonicalArn: canonical.value.canonicalArn, accountId: sts.account, userId, sessionName, accessKeyId });
}

/**
 * The creator as EKS grants it: an STS session ARN (CloudTrail's userIdentity.arn, or what people
 * paste into --creator) means its role, so every session of that role is the creator; the session
 * is kept as `sessionArn`. IAM ARNs (with their path) are kept as given.
 */
export function creatorFromArn(
  arn: string,
  source: ClusterCreator['source'],
  extra: Omit<ClusterCreator, 'arn' | 'source'> = {},
): ClusterCreator {
  const trimmed = arn.trim();
  const canonical = canonicalizeArn(trimmed);
  const isSession = canonical.ok && trimmed.includes(':assumed-role/');
  return {
    ...extra,
    arn: isSession ? canonical.value.canonicalArn : trimmed,
    source,
    ...(isSession ? { sessionArn: extra.sessionArn ?? trimmed } : {}),
  };
}

const CREATOR_SOURCE_WORDS: Record<ClusterCreator['source'], string> = {
  cloudtrail: 'CloudTrail CreateCluster',
  'authenticator-log': "the authenticator log's kubernetes-admin grant",
  flag: 'given',
  evidence: 'given',
};

/** How the creator is known, with when where that is known: `CloudTrail CreateCluster, 2026-…`. */
export function creatorSourceWords(creator: ClusterCreator): string {
  const words = CREATOR_SOURCE_WORDS[creator.source];
  return creator.eventTime && creator.source !== 'flag' && creator.source !== 'evidence'
    ? `${words}, ${creator.eventTime}`
    : words;
}
