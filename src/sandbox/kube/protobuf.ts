import type { KubeObject } from '../scenario/types.js';

/**
 * Decodes the Kubernetes protobuf bodies kubectl's typed clients send (`kubectl create
 * clusterrolebinding` and others post `application/vnd.kubernetes.protobuf` and do not retry in
 * JSON), for the kinds the sandbox stores. Field numbers are those of k8s.io/api's generated.proto
 * (rbac/v1, core/v1) and apimachinery's runtime.Unknown and ObjectMeta.
 */

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

interface Field {
  no: number;
  /** varint value, or the bytes of a length-delimited field */
  value: number | Buffer;
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (at >= buf.length) throw new Error('truncated protobuf varint');
      const byte = buf[at++] ?? 0;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (at < buf.length) {
    const key = varint();
    const wire = key & 7;
    const no = Math.floor(key / 8);
    if (wire === 0) out.push({ no, value: varint() });
    else if (wire === 2) {
      const length = varint();
      if (at + length > buf.length) throw new Error('truncated protobuf field');
      out.push({ no, value: buf.subarray(at, at + length) });
      at += length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const text = (f: Field): string => (Buffer.isBuffer(f.value) ? f.value.toString('utf8') : String(f.value));
const bytes = (f: Field): Buffer => (Buffer.isBuffer(f.value) ? f.value : Buffer.alloc(0));

type Schema = Record<number, [name: string, kind: 'string' | 'strings' | 'map' | Schema | [Schema]]>;

function decode(buf: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    const spec = schema[f.no];
    if (!spec) continue;
    const [name, kind] = spec;
    // gogo-protobuf writes empty strings that JSON leaves out (omitempty): leave them out too.
    if (kind === 'string') {
      if (text(f) !== '') out[name] = text(f);
    } else if (kind === 'strings') out[name] = [...((out[name] as string[] | undefined) ?? []), text(f)];
    else if (kind === 'map') {
      const entry = Object.fromEntries(fields(bytes(f)).map((e) => [e.no, text(e)]));
      out[name] = { ...((out[name] as Record<string, string> | undefined) ?? {}), [entry[1] ?? '']: entry[2] ?? '' };
    } else if (Array.isArray(kind))
      out[name] = [...((out[name] as unknown[] | undefined) ?? []), decode(bytes(f), kind[0])];
    else out[name] = decode(bytes(f), kind);
  }
  return out;
}

const OBJECT_META: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  6: ['resourceVersion', 'string'],
  11: ['labels', 'map'],
  12: ['annotations', 'map'],
};
const POLICY_RULE: Schema = {
  1: ['verbs', 'strings'],
  2: ['apiGroups', 'strings'],
  3: ['resources', 'strings'],
  4: ['resourceNames', 'strings'],
  5: ['nonResourceURLs', 'strings'],
};
const SUBJECT: Schema = {
  1: ['kind', 'string'],
  2: ['apiGroup', 'string'],
  3: ['name', 'string'],
  4: ['namespace', 'string'],
};
const ROLE_REF: Schema = { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'] };
const ROLE: Schema = { 1: ['metadata', OBJECT_META], 2: ['rules', [POLICY_RULE]] };
const BINDING: Schema = { 1: ['metadata', OBJECT_META], 2: ['subjects', [SUBJECT]], 3: ['roleRef', ROLE_REF] };
const CONFIG_MAP: Schema = { 1: ['metadata', OBJECT_META], 2: ['data', 'map'] };

const SCHEMAS: Record<string, Schema> = {
  Role: ROLE,
  ClusterRole: ROLE,
  RoleBinding: BINDING,
  ClusterRoleBinding: BINDING,
  ConfigMap: CONFIG_MAP,
};

/** The object in a protobuf body, as the JSON the API server would have read; a string says why not. */
export function decodeKubeProtobuf(body: Buffer): KubeObject | string {
  if (!body.subarray(0, 4).equals(MAGIC)) return 'the protobuf body does not start with the k8s magic number';
  try {
    const unknown = decode(body.subarray(4), {
      1: ['typeMeta', { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] }],
    });
    const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
    const schema = SCHEMAS[typeMeta.kind ?? ''];
    if (!schema) return `the sandbox does not decode protobuf for kind ${typeMeta.kind ?? '(none)'}`;
    const rawField = fields(body.subarray(4)).find((f) => f.no === 2);
    const object = decode(rawField ? bytes(rawField) : Buffer.alloc(0), schema);
    return { apiVersion: typeMeta.apiVersion ?? '', kind: typeMeta.kind ?? '', ...object } as KubeObject;
  } catch (error) {
    return `the protobuf body does not decode: ${(error as Error).message}`;
  }
}
