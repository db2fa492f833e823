import {
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { fail, ok, type Result } from '../result.js';
import { mapScalarOffsets, type OffsetMap } from './source-map.js';
import type { SourceLocation } from './types.js';

/** One `data` key of the ConfigMap, with what is needed to map inner positions to the outer file. */
export interface DataValue {
  key: string;
  /** The string value; undefined when the value is not a string (e.g. a list: a forgotten `|`). */
  text?: string;
  keyLocation: SourceLocation;
  offsets?: OffsetMap;
}

export interface ConfigMapFile {
  data: DataValue[];
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
  /** Converts an outer-file offset to a 1-based location. */
  locate(offset: number, key: string): SourceLocation;
}

/**
 * Reads what an on-call engineer has at hand: `kubectl get cm aws-auth -o yaml|json`, a manifest
 * (several documents allowed), a `kind: List`, or a bare `data`-style map with `mapRoles` at the top.
 */
export function readConfigMapFile(text: string): Result<ConfigMapFile> {
  const lineCounter = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    return fail(`not YAML or JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(docs)) return fail('not a YAML or JSON document');
  const locate = (offset: number, key: string): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { key, line: pos.line, column: pos.col };
  };
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const pos = lineCounter.linePos(error.pos[0]);
      return fail(`not valid YAML or JSON at line ${pos.line}, column ${pos.col}: ${error.message.split('\n')[0]}`);
    }
  }
  const candidates = docs.flatMap((doc) => configMapsIn(doc.contents as Node | null));
  if (candidates.length === 0) {
    return fail(
      'no ConfigMap found: expected the output of `kubectl get configmap aws-auth -n kube-system -o yaml` (or -o json)',
    );
  }
  const chosen = candidates.find((c) => stringField(c, ['metadata', 'name']) === 'aws-auth') ?? candidates[0];
  if (!chosen) return fail('no ConfigMap found');
  const dataNode = isConfigMapObject(chosen) ? chosen.get('data', true) : chosen;
  const data: DataValue[] = [];
  if (isMap(dataNode)) {
    for (const pair of dataNode.items as Pair<Node, Node>[]) {
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const keyLocation = locate(keyNode?.range?.[0] ?? 0, `data.${key}`);
      const valueNode = pair.value;
      if (isScalar(valueNode) && typeof valueNode.value === 'string') {
        const textValue = valueNode.value;
        data.push({
          key,
          text: textValue,
          keyLocation,
          offsets: mapScalarOffsets(text, valueNode as Scalar, textValue),
        });
      } else if (isScalar(valueNode) && valueNode.value === null) {
        data.push({ key, text: '', keyLocation });
      } else {
        data.push({ key, keyLocation });
      }
    }
  }
  const metadata: ConfigMapFile['metadata'] = {};
  for (const field of ['name', 'namespace', 'resourceVersion'] as const) {
    const value = stringField(chosen, ['metadata', field]);
    if (value !== undefined) metadata[field] = value;
  }
  return ok({ data, metadata, locate });
}

function isConfigMapObject(node: YAMLMap): boolean {
  return node.get('kind') === 'ConfigMap' || node.has('data');
}

function configMapsIn(node: Node | null): YAMLMap[] {
  if (!isMap(node)) return [];
  if (node.get('kind') === 'List') {
    // A sequence comes back as its node whatever keepScalar says.
    const items = node.get('items');
    return isSeq(items) ? items.items.flatMap((item) => configMapsIn(item as Node)) : [];
  }
  if (node.get('kind') === 'ConfigMap') return [node];
  if (node.has('mapRoles') || node.has('mapUsers') || node.has('mapAccounts')) return [node];
  return [];
}

function stringField(node: YAMLMap, path: string[]): string | undefined {
  const value = node.getIn(path);
  return typeof value === 'string' ? value : undefined;
}
