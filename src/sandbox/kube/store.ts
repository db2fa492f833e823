import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../scenario/types.js';
import { groupVersion, resourceTypeOf, type ResourceType } from './resources.js';

const keyOf = (resource: string, namespace: string | undefined, name: string): string =>
  `${resource}/${namespace ?? ''}/${name}`;

/** The API server's storage: objects by resource, namespace and name, with resourceVersions. */
export class KubeStore {
  private readonly objects = new Map<string, KubeObject>();
  private version = 1000;

  constructor(private readonly clock: () => Date) {}

  put(object: KubeObject): KubeObject {
    const type = resourceTypeOf(object.kind);
    if (!type) throw new Error(`the sandbox does not store kind ${object.kind}`);
    const stored = structuredClone(object);
    stored.apiVersion = groupVersion(type);
    stored.metadata = {
      ...stored.metadata,
      uid: (stored.metadata.uid as string | undefined) ?? randomUUID(),
      resourceVersion: String(++this.version),
      creationTimestamp:
        (stored.metadata.creationTimestamp as string | undefined) ??
        this.clock()
          .toISOString()
          .replace(/\.\d+Z$/, 'Z'),
    };
    if (!type.namespaced) delete stored.metadata.namespace;
    this.objects.set(keyOf(type.resource, stored.metadata.namespace, stored.metadata.name), stored);
    return structuredClone(stored);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(keyOf(type.resource, type.namespaced ? namespace : undefined, name));
    return found ? structuredClone(found) : undefined;
  }

  list(type: ResourceType, namespace?: string): KubeObject[] {
    return [...this.objects.values()]
      .filter(
        (o) =>
          resourceTypeOf(o.kind)?.resource === type.resource &&
          (namespace === undefined || o.metadata.namespace === namespace),
      )
      .sort((a, b) =>
        `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
          `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
        ),
      )
      .map((o) => structuredClone(o));
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): boolean {
    return this.objects.delete(keyOf(type.resource, type.namespaced ? namespace : undefined, name));
  }

  get resourceVersion(): string {
    return String(this.version);
  }
}
