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
  const { type } = target;
  const existing = target.name ? store.get(type, target.namespace, target.name) : undefined;
  let object: KubeObject | undefined;
  if (verb === 'patch') {
    if (!existing || !target.name) return { status: 404, body: notFound(type.resource, type.group, target.name ?? '') };
    if ((r.contentType ?? '').includes('json-patch+json'))
      return {
        status: 415,
        body: failure(415, 'UnsupportedMediaType', 'the sandbox supports merge and strategic-merge patches only'),
      };
    const patch = parseBody(r.body);
    if (!patch) return badRequest('invalid patch body');
    object = mergePatch(existing, patch) as KubeObject;
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

/** The API server's own validation, for the kinds the sandbox writes: ConfigMap data values are strings. */
function validate(object: KubeObject): string | undefined {
  if (object.kind !== 'ConfigMap' || object.data === undefined || object.data === null) return undefined;
  if (typeof object.data !== 'object' || Array.isArray(object.data))
    return 'data: Invalid value: must be a map of strings';
  for (const [key, value] of Object.entries(object.data as Record<string, unknown>)) {
    if (typeof value !== 'string') return `data[${key}]: Invalid value: must be a string`;
  }
  return undefined;
}

/** RFC 7386 JSON merge patch; for ConfigMaps a strategic-merge patch means the same. */
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
