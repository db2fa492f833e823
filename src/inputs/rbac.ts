import type { RbacBinding } from '../model/evidence.js';
import { fail, ok, type Result } from '../model/result.js';
import { isObject, str } from './json-shapes.js';

/** `kubectl get clusterrolebindings,rolebindings -A -o json` (a List) → bindings. */
export function rbacFromJson(json: unknown): Result<RbacBinding[]> {
  const items = isObject(json) && Array.isArray(json.items) ? json.items : Array.isArray(json) ? json : undefined;
  if (!items)
    return fail('expected `kubectl get clusterrolebindings,rolebindings -A -o json` output (a List with "items")');
  const bindings: RbacBinding[] = [];
  for (const item of items) {
    if (!isObject(item) || (item.kind !== 'ClusterRoleBinding' && item.kind !== 'RoleBinding')) continue;
    const metadata = isObject(item.metadata) ? item.metadata : {};
    const roleRef = isObject(item.roleRef) ? item.roleRef : {};
    const binding: RbacBinding = {
      kind: item.kind,
      name: str(metadata.name) ?? '',
      roleRef: { kind: str(roleRef.kind) ?? '', name: str(roleRef.name) ?? '' },
      subjects: (Array.isArray(item.subjects) ? item.subjects : []).filter(isObject).map((s) => ({
        kind: str(s.kind) ?? '',
        name: str(s.name) ?? '',
        ...(str(s.namespace) ? { namespace: str(s.namespace) } : {}),
      })),
    };
    const namespace = str(metadata.namespace);
    if (namespace) binding.namespace = namespace;
    bindings.push(binding);
  }
  return ok(bindings);
}
