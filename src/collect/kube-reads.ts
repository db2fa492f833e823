import { stringify } from 'yaml';
import { rbacFromJson } from '../inputs/rbac.js';
import type { RbacBinding, SourceFailure } from '../model/evidence.js';
import { withinDeadline } from './deadline.js';
import { kubeClientForToken, statusMessage, type KubeTarget } from './kube-client.js';

export type KubeRead<T> = { ok: true; value: T } | { ok: false; failure: SourceFailure };

/** kube-system/aws-auth as text (kept verbatim, so a broken block stays broken), or absent. */
export async function readAwsAuthText(
  target: KubeTarget,
  token: string,
  who: string,
): Promise<KubeRead<{ text: string } | null>> {
  // The library loads before the deadline starts: --timeout bounds the server, not our start-up.
  const client = await kubeClientForToken(target, token);
  const answer = await withinDeadline(target.timeoutMs, (signal) =>
    client.configMap('kube-system', 'aws-auth', signal),
  );
  if (answer.status === 404) return { ok: true, value: null };
  if (answer.status !== 200)
    return {
      ok: false,
      failure: kubeFailure(answer.status, answer.body, 'get configmaps/aws-auth in kube-system', who),
    };
  return { ok: true, value: { text: asKubectlYaml(answer.body) } };
}

/**
 * The ConfigMap as `kubectl get configmap aws-auth -n kube-system -o yaml` prints it (sorted keys,
 * block literals, no managedFields), so the line numbers in findings are the ones the engineer sees.
 */
export function asKubectlYaml(body: unknown): string {
  const object = structuredClone(body) as { metadata?: { managedFields?: unknown } };
  if (object.metadata) delete object.metadata.managedFields;
  return stringify(object, { sortMapEntries: true, lineWidth: 0, blockQuote: 'literal' });
}

/** ClusterRoleBindings and RoleBindings in every namespace. */
export async function readBindings(target: KubeTarget, token: string, who: string): Promise<KubeRead<RbacBinding[]>> {
  const kinds = ['ClusterRoleBinding', 'RoleBinding'];
  const client = await kubeClientForToken(target, token);
  const answers = await withinDeadline(target.timeoutMs, (signal) =>
    Promise.all([client.clusterRoleBindings(signal), client.roleBindings(signal)]),
  );
  const items: unknown[] = [];
  for (const [i, answer] of answers.entries()) {
    if (answer.status !== 200)
      return { ok: false, failure: kubeFailure(answer.status, answer.body, `list ${kinds[i]?.toLowerCase()}s`, who) };
    const list = answer.body as { items?: Record<string, unknown>[] };
    items.push(...(list.items ?? []).map((item) => ({ kind: kinds[i], ...item })));
  }
  const bindings = rbacFromJson({ items });
  return bindings.ok
    ? { ok: true, value: bindings.value }
    : { ok: false, failure: { code: 'invalid', action: 'list bindings', message: bindings.error } };
}

function kubeFailure(status: number, body: unknown, action: string, who: string): SourceFailure {
  const message = statusMessage(body) ?? `HTTP ${status}`;
  if (status === 401)
    return {
      code: 'access-denied',
      action,
      message: `the API server does not authenticate ${who} (401 Unauthorized), so it cannot ${action}`,
    };
  if (status === 403) return { code: 'access-denied', action, message: `${who} may not ${action} (403: ${message})` };
  return { code: 'error', action, message: `${action} failed: HTTP ${status}: ${message}` };
}
