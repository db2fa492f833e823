import type { KubeStore } from './store.js';
import { authorize, rbacRules, type Subject } from './authz.js';
import type { RequestAttributes } from './rules.js';

const creationNull = { creationTimestamp: null };

/** SelfSubjectReview: who the cluster thinks the caller is (`kubectl auth whoami`). */
export function selfSubjectReview(subject: Subject): unknown {
  const { username, uid, groups, extra } = subject.user;
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: creationNull,
    status: {
      userInfo: { username, ...(uid ? { uid } : {}), groups, ...(Object.keys(extra).length ? { extra } : {}) },
    },
  };
}

interface SsarSpec {
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  nonResourceAttributes?: { path?: string; verb?: string };
}

/** SelfSubjectAccessReview goes through every authorizer, access policies included. */
export function selfSubjectAccessReview(store: KubeStore, subject: Subject, body: { spec?: SsarSpec }): unknown {
  const spec = body.spec ?? {};
  let attrs: RequestAttributes;
  if (spec.nonResourceAttributes) {
    attrs = { verb: spec.nonResourceAttributes.verb ?? '', path: spec.nonResourceAttributes.path ?? '' };
  } else {
    const r = spec.resourceAttributes ?? {};
    attrs = {
      verb: r.verb ?? '',
      resource: {
        group: r.group ?? '',
        resource: r.resource ?? '',
        ...(r.subresource ? { subresource: r.subresource } : {}),
        ...(r.namespace ? { namespace: r.namespace } : {}),
        ...(r.name ? { name: r.name } : {}),
      },
    };
  }
  const decision = authorize(store, subject, attrs);
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: creationNull,
    spec,
    status: { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) },
  };
}

/**
 * SelfSubjectRulesReview lists RBAC rules only: EKS's access-policy webhook cannot list rules,
 * so the answer is marked incomplete and leaves those permissions out (facts §5.4).
 */
export function selfSubjectRulesReview(
  store: KubeStore,
  subject: Subject,
  body: { spec?: { namespace?: string } },
): unknown {
  const namespace = body.spec?.namespace ?? '';
  const rules = subject.user.groups.includes('system:masters')
    ? [
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
        { verbs: ['*'], nonResourceURLs: ['*'] },
      ]
    : rbacRules(store, subject.user, namespace || undefined);
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: creationNull,
    spec: { namespace },
    status: {
      resourceRules: rules
        .filter((r) => r.resources)
        .map((r) => ({
          verbs: r.verbs,
          apiGroups: r.apiGroups ?? [],
          resources: r.resources ?? [],
          ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
        })),
      nonResourceRules: rules
        .filter((r) => r.nonResourceURLs)
        .map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs ?? [] })),
      incomplete: true,
      evaluationError: 'webhook authorizer does not support user rule resolution',
    },
  };
}
