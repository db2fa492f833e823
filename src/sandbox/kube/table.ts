import type { KubeObject } from '../scenario/types.js';

/** kube-apiserver's HumanDuration (k8s.io/apimachinery/pkg/util/duration), which `kubectl get` shows as AGE. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0) return '<invalid>';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 192) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  value: (o: KubeObject, now: Date) => string | number;
}

const age = (o: KubeObject, now: Date): string =>
  humanDuration(now.getTime() - new Date(String(o.metadata.creationTimestamp)).getTime());
const nameColumn: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
  value: (o) => o.metadata.name,
};
const ageColumn: Column = {
  name: 'Age',
  type: 'string',
  format: '',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  value: age,
};
const createdAt: Column = {
  name: 'Created At',
  type: 'date',
  format: '',
  description: 'CreationTimestamp',
  priority: 0,
  value: (o) => String(o.metadata.creationTimestamp),
};
const roleColumn: Column = {
  name: 'Role',
  type: 'string',
  format: '',
  description: 'Role',
  priority: 0,
  value: (o) => {
    const ref = o.roleRef as { kind: string; name: string };
    return `${ref.kind}/${ref.name}`;
  },
};

/** The server-side printing columns kube-apiserver uses for these kinds (pkg/printers/internalversion). */
const COLUMNS: Record<string, Column[]> = {
  ConfigMap: [
    nameColumn,
    {
      name: 'Data',
      type: 'integer',
      format: '',
      description: 'Data',
      priority: 0,
      value: (o) =>
        Object.keys((o.data as object | undefined) ?? {}).length +
        Object.keys((o.binaryData as object | undefined) ?? {}).length,
    },
    ageColumn,
  ],
  Namespace: [
    nameColumn,
    {
      name: 'Status',
      type: 'string',
      format: '',
      description: 'The status of the namespace',
      priority: 0,
      value: (o) => (o.status as { phase?: string } | undefined)?.phase ?? 'Active',
    },
    ageColumn,
  ],
  ClusterRole: [nameColumn, createdAt],
  Role: [nameColumn, createdAt],
  ClusterRoleBinding: [nameColumn, roleColumn, ageColumn],
  RoleBinding: [nameColumn, roleColumn, ageColumn],
};

/** A `meta.k8s.io/v1 Table`, what kubectl asks for with `Accept: …;as=Table…`. */
export function toTable(kind: string, objects: KubeObject[], now: Date, resourceVersion: string): unknown {
  const columns = COLUMNS[kind] ?? [nameColumn, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map(({ value: _value, ...definition }) => definition),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.value(o, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

export const wantsTable = (accept: string | undefined): boolean => (accept ?? '').includes('as=Table');
