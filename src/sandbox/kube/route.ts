import { decodePathSegments } from '../http-input.js';
import { RESOURCE_TYPES, type ResourceType } from './resources.js';

export type KubeTarget =
  | { kind: 'non-resource'; path: string }
  | { kind: 'resource'; type: ResourceType; namespace?: string; name?: string; subresource?: string }
  | { kind: 'unknown'; path: string };

/** Splits `/api/v1/namespaces/NS/configmaps/NAME` and `/apis/G/V/…` into what was asked for. */
export function routeKube(path: string): KubeTarget {
  const segments = decodePathSegments(path).filter(Boolean);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1] ?? '';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1] ?? '';
    version = segments[2] ?? '';
    rest = segments.slice(3);
  } else {
    return { kind: 'non-resource', path };
  }
  const find = (resource: string | undefined): ResourceType | undefined =>
    RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.resource === resource);
  // /namespaces/NS/RESOURCE[/NAME[/SUB]] — but /namespaces[/NAME] is the Namespace resource itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const type = find(rest[2]);
    if (!type?.namespaced) return { kind: 'unknown', path };
    return {
      kind: 'resource',
      type,
      ...(rest[1] ? { namespace: rest[1] } : {}),
      ...(rest[3] ? { name: rest[3] } : {}),
      ...(rest[4] ? { subresource: rest[4] } : {}),
    };
  }
  const type = find(rest[0]);
  if (!type || rest.length > 3) return { kind: 'unknown', path };
  return {
    kind: 'resource',
    type,
    ...(rest[1] ? { name: rest[1] } : {}),
    ...(rest[2] ? { subresource: rest[2] } : {}),
  };
}

/** The authorization verb of a request (`list` for a collection GET, `get` for one object…). */
export function verbOf(method: string, target: KubeTarget, watch: boolean): string {
  if (target.kind !== 'resource') return method.toLowerCase();
  switch (method) {
    case 'GET':
      return watch ? 'watch' : target.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return target.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
