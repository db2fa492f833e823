import type { ApiProbe } from '../model/evidence.js';
import { kubeRequest, statusMessage, type KubeTarget } from './kube-http.js';

/** A few requests that tell 401 from 403 and what an authenticated principal can do. Read-only. */
const ACCESS_SAMPLES = [
  { verb: 'list', resource: 'namespaces' },
  { verb: 'get', resource: 'pods', namespace: 'default' },
  { verb: 'create', resource: 'deployments', group: 'apps', namespace: 'default' },
  { verb: 'get', resource: 'configmaps', namespace: 'kube-system' },
  { verb: '*', resource: '*' },
] as const;

/** Probes the API server with the target's token: /version, SelfSubjectReview, SelfSubjectAccessReviews. */
export async function probeApi(target: KubeTarget, token: string): Promise<ApiProbe> {
  const auth = { token };
  const version = await kubeRequest(target, auth, 'GET', '/version');
  const probe: ApiProbe = {
    status: version.status,
    error: version.status === 200 ? null : (statusMessage(version.body) ?? `HTTP ${version.status}`),
    ...(version.date ? { serverDate: new Date(version.date).toISOString() } : {}),
  };
  if (version.status === 401) return probe;
  const review = await kubeRequest(target, auth, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
  });
  const userInfo = (
    review.body as {
      status?: { userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
    }
  ).status?.userInfo;
  if (review.status >= 200 && review.status < 300 && userInfo) {
    probe.selfSubjectReview = {
      username: userInfo.username ?? '',
      groups: userInfo.groups ?? [],
      ...(userInfo.uid ? { uid: userInfo.uid } : {}),
      ...(userInfo.extra ? { extra: userInfo.extra } : {}),
    };
  }
  probe.accessReviews = [];
  for (const sample of ACCESS_SAMPLES) {
    const answer = await kubeRequest(target, auth, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          verb: sample.verb,
          resource: sample.resource,
          ...('group' in sample ? { group: sample.group } : {}),
          ...('namespace' in sample ? { namespace: sample.namespace } : {}),
        },
      },
    });
    const status = (answer.body as { status?: { allowed?: boolean; reason?: string } }).status;
    if (answer.status >= 300 || !status) continue;
    probe.accessReviews.push({
      verb: sample.verb,
      resource: sample.resource,
      ...('namespace' in sample ? { namespace: sample.namespace } : {}),
      allowed: status.allowed === true,
      ...(status.reason ? { reason: status.reason } : {}),
    });
  }
  return probe;
}
