import type { AccessSample } from '../collect/probe.js';

/**
 * `--can "list secrets -n prod"`, `--can "create deployments.apps"`: the request that fails, in
 * `kubectl auth can-i` words, so the probe asks exactly that.
 */
export function parseCanSpec(spec: string): AccessSample | string {
  const words = spec.trim().split(/\s+/);
  let namespace: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '-n' || word === '--namespace') namespace = words[++i];
    else if (word.startsWith('--namespace=')) namespace = word.slice('--namespace='.length);
    else rest.push(word);
  }
  const [verb, target, ...extra] = rest;
  if (!verb || !target || extra.length > 0 || namespace === '')
    return `--can "${spec}": expected "VERB RESOURCE[.GROUP] [-n NAMESPACE]", e.g. "list pods -n default"`;
  const dot = target.indexOf('.');
  const resource = dot < 0 ? target : target.slice(0, dot);
  const group = dot < 0 ? undefined : target.slice(dot + 1);
  return { verb, resource, ...(group ? { group } : {}), ...(namespace ? { namespace } : {}) };
}

const VERB_OF_METHOD: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** A REST request (`GET /api/v1/namespaces/prod/secrets`) as the access review that decides it. */
export function sampleFromRequest(method: string, path: string): AccessSample | undefined {
  const match = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/?]+)(?:\/([^/?]+))?/.exec(path);
  if (!match) return undefined;
  const [, group, namespace, resource, name] = match;
  if (!resource) return undefined;
  const verb = VERB_OF_METHOD[method.toUpperCase()] ?? (name ? 'get' : 'list');
  return { verb, resource, ...(group ? { group } : {}), ...(namespace ? { namespace } : {}) };
}
