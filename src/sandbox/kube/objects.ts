import type { KubeObject } from '../scenario/types.js';
import type { Subject } from './authz.js';
import { selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview } from './reviews.js';
import { groupVersion } from './resources.js';
import type { KubeTarget } from './route.js';
import { failure, notFound } from './status.js';
import type { KubeStore } from './store.js';
import { toTable, wantsTable } from './table.js';

export interface KubeReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ResourceRequest {
  store: KubeStore;
  target: Extract<KubeTarget, { kind: 'resource' }>;
  verb: string;
  body: string;
  subject: Subject;
  now: Date;
  accept: string | undefined;
  contentType: string | undefined;
  query: URLSearchParams;
}

const badRequest = (message: string): KubeReply => ({ status: 400, body: failure(400, 'BadRequest', message) });

function parseBody(text: string): KubeObject | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as KubeObject) : undefined;
  } catch {
    return undefined;
  }
}

/** get/list/create/update/patch/delete on stored objects, and the three self-reviews. */
export function handleResource(r: ResourceRequest): KubeReply {
  const { store, target, verb, now } = r;
  const { type } = target;
  if (target.subresource)
    return { status: 404, body: failure(404, 'NotFound', 'the server could not find the requested resource') };
  if (type.verbs.length === 1 && type.verbs[0] === 'create') {
    if (verb !== 'create')
      return {
        status: 405,
        body: failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
      };
    const body = parseBody(r.body) ?? {};
    if (type.resource === 'selfsubjectreviews') return { status: 201, body: selfSubjectReview(r.subject) };
    if (type.resource === 'selfsubjectaccessreviews')
      return { status: 201, body: selfSubjectAccessReview(store, r.subject, body) };
    return { status: 201, body: selfSubjectRulesReview(store, r.subject, body) };
  }
  if (!type.verbs.includes(verb))
    return {
      status: 405,
      body: failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
    };
  const name = target.name;
  switch (verb) {
    case 'list': {
      const items = store.list(type, target.namespace);
      if (wantsTable(r.accept)) return { status: 200, body: toTable(type.kind, items, now, store.resourceVersion) };
      return {
        status: 200,
        body: {
          kind: `${type.kind}List`,
          apiVersion: groupVersion(type),
          metadata: { resourceVersion: store.resourceVersion },
          items,
        },
      };
    }
    case 'get': {
      const found = name ? store.get(type, target.namespace, name) : undefined;
      if (!found || !name) return { status: 404, body: notFound(type.resource, type.group, name ?? '') };
      if (wantsTable(r.accept))
        return { status: 200, body: toTable(type.kind, [found], now, String(found.metadata.resourceVersion)) };
      return { status: 200, body: found };
    }
    case 'delete': {
      const found = name ? store.get(type, target.namespace, name) : undefined;
      if (!found || !name) return { status: 404, body: notFound(type.resource, type.group, name ?? '') };
      store.delete(type, target.namespace, name);
      return {
        status: 200,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, kind: type.resource, uid: found.metadata.uid },
        },
      };
    }
    case 'create':
    case 'update':
    case 'patch':
      return write(r);
    default:
      return {
        status: 405,
        body: failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`),
      };
  }
}

function write(r: ResourceRequest): KubeReply {
  const { store, target, verb } = r;
  // The server decodes protobuf bodies into JSON first (protobuf.ts); anything else is refused.
  if (verb !== 'patch' && !(r.contentType ?? 'application/json').includes('json'))
    return {
      status: 415,
      body: failure(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json`,
      ),
    };
  const { type } = target;
  const existing = target.name ? store.get(type, target.namespace, target.name) : undefined;
  let object: KubeObject | undefined;
  if (verb === 'patch') {
    if (!existing || !target.name) return { status: 404, body: notFound(type.resource, type.group, target.name ?? '') };
    const patched = applyPatch(existing, r.body, r.contentType ?? '');
    if (typeof patched === 'string') return badRequest(patched);
    object = patched;
  } else {
    object = parseBody(r.body);
    if (!object) return badRequest('the body of the request was not a JSON object');
  }
  object.metadata = { ...(object.metadata ?? {}), name: object.metadata?.name ?? target.name ?? '' };
  if (type.namespaced) object.metadata.namespace = object.metadata.namespace ?? target.namespace;
  object.kind = type.kind;
  const qualified = type.group ? `${type.resource}.${type.group}` : type.resource;
  if (verb === 'create') {
    if (store.get(type, object.metadata.namespace, object.metadata.name)) {
      return {
        status: 409,
        body: failure(409, 'AlreadyExists', `${qualified} "${object.metadata.name}" already exists`, {
          name: object.metadata.name,
          kind: type.resource,
        }),
      };
    }
  } else {
    if (!existing) return { status: 404, body: notFound(type.resource, type.group, target.name ?? '') };
    if (object.metadata.name !== target.name)
      return badRequest(
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${target.name ?? ''})`,
      );
    const sent = object.metadata.resourceVersion;
    if (verb === 'update' && sent !== undefined && sent !== existing.metadata.resourceVersion) {
      return {
        status: 409,
        body: failure(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${qualified} "${object.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
          { name: object.metadata.name, kind: type.resource },
        ),
      };
    }
    object.metadata.uid = existing.metadata.uid;
    object.metadata.creationTimestamp = existing.metadata.creationTimestamp;
    // The API server refuses to move a binding to another role (it must be deleted and re-created).
    if (object.roleRef !== undefined && JSON.stringify(object.roleRef) !== JSON.stringify(existing.roleRef))
      return {
        status: 422,
        body: failure(
          422,
          'Invalid',
          `${type.kind}.rbac.authorization.k8s.io "${object.metadata.name}" is invalid: roleRef: Invalid value: ${JSON.stringify(object.roleRef)}: cannot change roleRef`,
          { name: object.metadata.name, kind: type.kind },
        ),
      };
  }
  const invalid = validate(object);
  if (invalid)
    return {
      status: 422,
      body: failure(422, 'Invalid', `${type.kind} "${object.metadata.name}" is invalid: ${invalid}`, {
        name: object.metadata.name,
        kind: type.kind,
      }),
    };
  const stored = store.put(object);
  return { status: verb === 'create' ? 201 : 200, body: stored };
}

/** The API server's own validation, for the kinds the sandbox writes. */
function validate(object: KubeObject): string | undefined {
  if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
    const ref = object.roleRef as { kind?: unknown; name?: unknown } | undefined;
    if (!ref || typeof ref.name !== 'string' || ref.name === '') return 'roleRef.name: Required value';
    if (ref.kind !== 'ClusterRole' && (ref.kind !== 'Role' || object.kind === 'ClusterRoleBinding'))
      return `roleRef.kind: Unsupported value: ${JSON.stringify(ref.kind)}`;
    return undefined;
  }
  if (object.kind !== 'ConfigMap' || object.data === undefined || object.data === null) return undefined;
  if (typeof object.data !== 'object' || Array.isArray(object.data))
    return 'data: Invalid value: must be a map of strings';
  for (const [key, value] of Object.entries(object.data as Record<string, unknown>)) {
    if (typeof value !== 'string') return `data[${key}]: Invalid value: must be a string`;
  }
  return undefined;
}

/**
 * A PATCH body applied to the stored object by its content type: JSON patch (RFC 6902), JSON merge
 * patch (RFC 7386), or strategic merge. For the kinds the sandbox stores a strategic merge is a merge
 * patch: ConfigMap data is a map, and RBAC's `rules` and `subjects` carry no patch strategy, so
 * lists are replaced; the `$…` directives kubectl apply adds are dropped.
 */
function applyPatch(existing: KubeObject, text: string, contentType: string): KubeObject | string {
  let patch: unknown;
  try {
    patch = JSON.parse(text) as unknown;
  } catch {
    return 'invalid patch body: not JSON';
  }
  if (contentType.includes('json-patch+json')) return jsonPatch(existing, patch);
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return 'invalid patch body: not a JSON object';
  const body = contentType.includes('strategic-merge-patch') ? withoutDirectives(patch) : patch;
  return mergePatch(existing, body) as KubeObject;
}

function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !key.startsWith('$'))
      .map(([key, v]) => [key, withoutDirectives(v)]),
  );
}

/** RFC 6902 add/remove/replace/test on a copy; the first failing operation refuses the whole patch. */
function jsonPatch(existing: KubeObject, patch: unknown): KubeObject | string {
  if (!Array.isArray(patch)) return 'invalid JSON patch: not an array of operations';
  const doc = structuredClone(existing) as unknown;
  for (const op of patch as { op?: unknown; path?: unknown; value?: unknown }[]) {
    if (typeof op.path !== 'string' || !op.path.startsWith('/')) return `invalid JSON patch path ${String(op.path)}`;
    const keys = op.path
      .slice(1)
      .split('/')
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop() ?? '';
    let parent = doc as Record<string, unknown> | unknown[] | undefined;
    for (const key of keys)
      parent =
        parent && typeof parent === 'object' ? ((parent as Record<string, unknown>)[key] as typeof parent) : undefined;
    if (!parent || typeof parent !== 'object') return `the path ${op.path} does not exist`;
    const list = Array.isArray(parent) ? parent : undefined;
    const index = list ? (last === '-' ? list.length : Number(last)) : -1;
    const map = parent as Record<string, unknown>;
    const present = list ? index >= 0 && index < list.length : Object.hasOwn(map, last);
    const read = (): unknown => (list ? list[index] : map[last]);
    switch (op.op) {
      case 'add':
        if (list) list.splice(index, 0, op.value);
        else map[last] = op.value;
        break;
      case 'replace':
        if (!present) return `the path ${op.path} does not exist`;
        if (list) list[index] = op.value;
        else map[last] = op.value;
        break;
      case 'remove':
        if (!present) return `the path ${op.path} does not exist`;
        if (list) list.splice(index, 1);
        else Reflect.deleteProperty(map, last);
        break;
      case 'test':
        if (!present || JSON.stringify(read()) !== JSON.stringify(op.value)) return `testing value ${op.path} failed`;
        break;
      default:
        return `the sandbox does not apply JSON patch operation ${String(op.op)}`;
    }
  }
  return doc as KubeObject;
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = new Map<string, unknown>(
    target && typeof target === 'object' && !Array.isArray(target) ? Object.entries(target) : [],
  );
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) out.delete(key);
    else out.set(key, mergePatch(out.get(key), value));
  }
  return Object.fromEntries(out);
}
