import { isMap, isScalar, isSeq, parseDocument, visit, type Document, type Pair, type YAMLMap } from 'yaml';
import { parseAwsAuth } from '../../src/model/aws-auth/parse.js';
import type { AwsAuth, BlockKey, MappingRow } from '../../src/model/aws-auth/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { comment, script, type Script } from '../../src/core/command.js';
import { awsAuthAfterPatch, awsAuthPatch } from '../../src/core/fix-target.js';

/**
 * Exact aws-auth edits: a block's text is edited as a YAML document (comments, order and key
 * spellings kept), then the whole ConfigMap data is read again by the model of the authenticator's
 * parser. The edit counts only when every row decodes as planned: the edited rows clean, every other
 * row exactly as before. Anything else (a block that does not parse, a YAML feature the library
 * writes back differently) returns undefined, and the check prints the hand edit instead.
 */

/** A row as the authenticator decodes it: what an edit must produce, or leave alone. */
export interface RowShape {
  arn: string;
  username: string;
  groups: string[];
  sso?: MappingRow['sso'];
  dropped: boolean;
  /** The row must decode with no type error and no repeated key. */
  clean?: boolean;
}

export const shapeOf = (row: MappingRow): RowShape => ({
  arn: row.arn,
  username: row.username,
  groups: row.groups,
  ...(row.sso ? { sso: row.sso } : {}),
  dropped: row.droppedBecause !== undefined,
});

/** The shape a corrected row must decode to. */
export const cleanShape = (row: { arn: string; username: string; groups: readonly string[] }): RowShape => ({
  arn: row.arn,
  username: row.username,
  groups: [...row.groups],
  dropped: false,
  clean: true,
});

export type Block = 'mapRoles' | 'mapUsers';

/** The decoded rows of a block as EKS holds it now, in order (the parser lists each block's rows in order). */
export const rowsOf = (configMap: AwsAuth, block: Block): MappingRow[] =>
  block === 'mapRoles' ? configMap.roleRows : configMap.userRows;

/**
 * Repeated keys kept (the authenticator's decoder reads them); every scalar a string, so that rows
 * the edit does not touch are written back as typed (`0123` stays `0123`, not `123`).
 */
const YAML_OPTIONS = { uniqueKeys: false, schema: 'failsafe' } as const;

/** Written plain, go-yaml v2 (YAML 1.1) reads these as something other than the string: quote them. */
const PLAIN_SAFE = /^[A-Za-z_/][\w:.@/{}+=,-]*$/;
const YAML11_WORDS = /^(y|yes|n|no|true|false|on|off|null)$/i;

/** A node for a value eksauth writes: its strings quoted wherever YAML 1.1 would read them otherwise. */
export function dataNode(doc: Document, value: unknown): ReturnType<Document['createNode']> {
  const node = doc.createNode(value);
  visit(node, {
    Scalar(_, scalar) {
      const text = String(scalar.value);
      // PLAIN_SAFE has no space, so `a: b` and `a #b` are quoted too.
      if (!PLAIN_SAFE.test(text) || YAML11_WORDS.test(text)) scalar.type = 'QUOTE_DOUBLE';
    },
  });
  return node;
}

/** A block's text as a YAML document that keeps repeated keys (the authenticator's decoder does). */
export function blockDocument(evidence: Evidence, block: BlockKey): Document | undefined {
  if (evidence.awsAuth?.state !== 'present') return undefined;
  const result = evidence.awsAuth.configMap.blocks[block];
  if (result.dropped || result.raw === undefined) return undefined;
  const doc = parseDocument(result.raw.trim() === '' ? '[]' : result.raw, YAML_OPTIONS);
  if (doc.errors.length > 0 || !isSeq(doc.contents)) return undefined;
  return doc;
}

/** The mapping of row `index`, if the block is a list of mappings there. */
export function rowMap(doc: Document, index: number): YAMLMap | undefined {
  const item = isSeq(doc.contents) ? doc.contents.items[index] : undefined;
  return isMap(item) ? item : undefined;
}

const keyName = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : '');

/** The pairs of a row for a field, however its key is cased (the decoder matches keys case-insensitively). */
export const fieldPairs = (map: YAMLMap, field: string): Pair[] =>
  map.items.filter((p) => keyName(p).toLowerCase() === field.toLowerCase());

/** Sets a field over its first key (in whatever case), or adds it under its lower-case name. */
export function setField(doc: Document, map: YAMLMap, field: string, value: string | string[]): void {
  const [pair] = fieldPairs(map, field);
  if (pair) pair.value = dataNode(doc, value);
  else map.add(doc.createPair(field, dataNode(doc, value)));
}

/** Renames a key in place, keeping its value and position. */
export function renameKey(doc: Document, pair: Pair, to: string): void {
  pair.key = doc.createNode(to);
}

/** The document as block text, or undefined when the yaml library cannot write it back. */
export function textOf(doc: Document): string | undefined {
  try {
    return doc.toString({ lineWidth: 0 });
    // Stryker disable next-line BlockStatement: an empty catch returns undefined as well
  } catch {
    return undefined;
  }
}

/** What the data of aws-auth must hold after the patch. */
export interface PatchPlan {
  /** New block texts; null removes a data key (a miscased one). */
  data: Record<string, string | null>;
  /** For each written mapRoles/mapUsers block: every row as it must decode, in order. */
  rows?: Partial<Record<Block, RowShape[]>>;
  /** For a written mapAccounts: the account ids it must yield. */
  accounts?: string[];
}

/** How the model reads `text` as the block `block` (undefined when it drops the block). */
export function decodeAs(text: string, block: BlockKey): { rows: RowShape[]; accounts: string[] } | undefined {
  const parsed = parseAwsAuth(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'aws-auth', namespace: 'kube-system' },
      data: { [block]: text },
    }),
  );
  if (!parsed.ok || parsed.value.blocks[block].dropped) return undefined;
  return {
    rows: block === 'mapAccounts' ? [] : rowsOf(parsed.value, block).map(shapeOf),
    accounts: parsed.value.accounts.map((a) => a.id),
  };
}

const sameShape = (row: MappingRow, want: RowShape, diagnostics: number): boolean =>
  row.arn === want.arn &&
  row.username === want.username &&
  row.groups.length === want.groups.length &&
  row.groups.every((g, i) => g === want.groups[i]) &&
  JSON.stringify(row.sso ?? null) === JSON.stringify(want.sso ?? null) &&
  (row.droppedBecause !== undefined) === want.dropped &&
  (!want.clean || (diagnostics === 0 && (row.duplicateKeys?.length ?? 0) === 0 && !row.unknownKeys?.length));

/** Whether the ConfigMap data after the patch decodes as the plan says. */
export function decodesAsPlanned(evidence: Evidence, plan: PatchPlan): boolean {
  const after = awsAuthAfterPatch(evidence, plan.data);
  if (!after) return false;
  const removed = Object.keys(plan.data).filter((k) => plan.data[k] === null);
  if (after.miscasedKeys.some((m) => plan.data[m.key] !== undefined && !removed.includes(m.key))) return false;
  for (const [block, want] of Object.entries(plan.rows ?? {}) as [Block, RowShape[]][]) {
    if (after.blocks[block].dropped) return false;
    const got = rowsOf(after, block);
    if (got.length !== want.length) return false;
    const rowDiagnostics = (i: number): number =>
      after.blocks[block].diagnostics.filter((d) => d.rowIndex === i && d.kind === 'type-error').length;
    if (!got.every((row, i) => want[i] !== undefined && sameShape(row, want[i], rowDiagnostics(i)))) return false;
  }
  if (plan.accounts) {
    const block = after.blocks.mapAccounts;
    if (block.dropped || block.diagnostics.length > 0) return false;
    const ids = after.accounts.map((a) => a.id);
    if (ids.length !== plan.accounts.length || ids.some((id, i) => id !== plan.accounts?.[i])) return false;
  }
  return true;
}

/**
 * The kubectl lines of an exact edit: what it chose (as comments), then a merge patch of the
 * edited blocks at the version read; undefined when the plan does not decode as intended.
 */
export function exactPatchLines(
  evidence: Evidence,
  plan: PatchPlan | undefined,
  notes: string[] = [],
): Script | undefined {
  if (!plan || !decodesAsPlanned(evidence, plan)) return undefined;
  return [...notes.map((n) => comment(n)), ...script(awsAuthPatch(evidence, plan.data))];
}

/** An edit of one block: rows changed in place (shape undefined deletes the row), rows added at the end. */
export interface BlockEdit {
  rows?: { index: number; mutate?: (doc: Document, map: YAMLMap) => boolean; shape?: RowShape }[];
  append?: { row: Record<string, string | string[]>; shape: RowShape }[];
}

/** The document of a block to edit: an absent or blank block is an empty list; a dropped one is not edited. */
function editableDocument(evidence: Evidence, block: Block): Document | undefined {
  if (evidence.awsAuth?.state !== 'present') return undefined;
  const result = evidence.awsAuth.configMap.blocks[block];
  if (result.presence !== 'present') return parseDocument('[]', YAML_OPTIONS);
  return blockDocument(evidence, block);
}

/** The patch plan of row edits over one or two blocks, or undefined when an edit cannot be made exactly. */
export function rowsPlan(evidence: Evidence, edits: Partial<Record<Block, BlockEdit>>): PatchPlan | undefined {
  if (evidence.awsAuth?.state !== 'present') return undefined;
  const { configMap } = evidence.awsAuth;
  const plan: PatchPlan = { data: {}, rows: {} };
  for (const [block, edit] of Object.entries(edits) as [Block, BlockEdit][]) {
    const doc = editableDocument(evidence, block);
    if (!doc || !isSeq(doc.contents)) return undefined;
    const shapes = rowsOf(configMap, block).map(shapeOf);
    if (shapes.length !== doc.contents.items.length) return undefined;
    for (const change of [...(edit.rows ?? [])].sort((a, b) => b.index - a.index)) {
      const map = rowMap(doc, change.index);
      if (!map) return undefined;
      if (change.shape === undefined) {
        doc.contents.items.splice(change.index, 1);
        shapes.splice(change.index, 1);
        continue;
      }
      if (change.mutate && !change.mutate(doc, map)) return undefined;
      shapes[change.index] = change.shape;
    }
    doc.contents.flow = false;
    for (const added of edit.append ?? []) {
      doc.contents.add(dataNode(doc, added.row));
      shapes.push(added.shape);
    }
    const text = textOf(doc);
    if (text === undefined) return undefined;
    plan.data[block] = text;
    (plan.rows ??= {})[block] = shapes;
  }
  return plan;
}
