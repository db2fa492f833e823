import { maskReviewExtra, redactSecrets } from '../core/redact.js';
import type { ApiProbe } from '../model/evidence.js';
import { withinDeadline } from './deadline.js';
import { kubeClientForToken, statusMessage, type KubeClient, type KubeTarget } from './kube-client.js';

/** One SelfSubjectAccessReview to ask: `kubectl auth can-i VERB RESOURCE [-n NAMESPACE]`. */
export interface AccessSample {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
  /** The user asked about this one (`--can`); a denial then concerns the principal. */
  requested?: boolean;
}

/** A few requests that tell 401 from 403 and what an authenticated principal can do. Read-only. */
export const ACCESS_SAMPLES: readonly AccessSample[] = [
  { verb: 'list', resource: 'namespaces' },
  { verb: 'get', resource: 'pods', namespace: 'default' },
  { verb: 'create', resource: 'deployments', group: 'apps', namespace: 'default' },
  { verb: 'get', resource: 'configmaps', namespace: 'kube-system' },
  { verb: '*', resource: '*' },
];

/**
 * Probes the API server with the target's token: /version, SelfSubjectReview, SelfSubjectAccessReviews.
 * `samples` replaces the default can-i samples (verify asks exactly what its expectations name).
 */
export async function probeApi(
  target: KubeTarget,
  token: string,
  samples: readonly AccessSample[] = ACCESS_SAMPLES,
): Promise<ApiProbe> {
  // The library loads before the deadline starts: --timeout bounds the server, not our start-up.
  const client = await kubeClientForToken(target, token);
  return withinDeadline(target.timeoutMs, (signal) => probe(client, samples, signal));
}

async function probe(client: KubeClient, samples: readonly AccessSample[], signal: AbortSignal): Promise<ApiProbe> {
  const version = await client.version(signal);
  const probe: ApiProbe = {
    status: version.status,
    error: version.status === 200 ? null : (statusMessage(version.body) ?? `HTTP ${version.status}`),
    ...(version.date ? { serverDate: new Date(version.date).toISOString() } : {}),
  };
  if (version.status === 401) return probe;
  // The reviews are independent of each other: asked together, they cost one round trip, not six.
  const [review, answers] = await Promise.all([
    client.selfSubjectReview(signal),
    Promise.all(samples.map((sample) => askAccessReview(client, sample, signal))),
  ]);
  const userInfo = (
    review.body as {
      status?: { userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
    }
  ).status?.userInfo;
  if (review.status >= 200 && review.status < 300 && userInfo) {
    probe.selfSubjectReview = {
      // A `{{AccessKeyID}}` username template puts the full key id here too.
      username: redactSecrets(userInfo.username ?? ''),
      groups: userInfo.groups ?? [],
      ...(userInfo.uid ? { uid: userInfo.uid } : {}),
      // The authenticator puts the full access key id in `extra`: evidence keeps only its first and last four.
      ...(userInfo.extra ? { extra: maskReviewExtra(userInfo.extra) } : {}),
    };
  }
  probe.accessReviews = answers.filter((answer) => answer !== undefined);
  return probe;
}

type AccessReview = NonNullable<ApiProbe['accessReviews']>[number];

async function askAccessReview(
  client: KubeClient,
  sample: AccessSample,
  signal: AbortSignal,
): Promise<AccessReview | undefined> {
  const answer = await client.accessReview(
    {
      verb: sample.verb,
      resource: sample.resource,
      ...(sample.group !== undefined ? { group: sample.group } : {}),
      ...(sample.namespace !== undefined ? { namespace: sample.namespace } : {}),
    },
    signal,
  );
  const status = (answer.body as { status?: { allowed?: boolean; reason?: string } }).status;
  if (answer.status >= 300 || !status) return undefined;
  return {
    verb: sample.verb,
    resource: sample.resource,
    ...(sample.group !== undefined ? { group: sample.group } : {}),
    ...(sample.namespace !== undefined ? { namespace: sample.namespace } : {}),
    allowed: status.allowed === true,
    ...(status.reason ? { reason: status.reason } : {}),
    ...(sample.requested ? { requested: true } : {}),
  };
}
