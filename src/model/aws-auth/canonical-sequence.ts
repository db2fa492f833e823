import { resolvePlainScalar, scalarKeyText } from './v2-scalars.js';
import type { V2Entry, V2Value } from './yaml-v2.js';

/**
 * A fast reader for the shape nearly every aws-auth block has: a block sequence of flat maps whose
 * values are one-line scalars or block sequences of one-line scalars, with blank and comment lines.
 *
 *     - rolearn: arn:aws:iam::111122223333:role/ops
 *       username: ops:{{SessionName}}
 *       groups:
 *         - system:masters
 *
 * It returns exactly what the general parser (parseYamlV2General) returns for such text, or
 * undefined the moment a line falls outside the shape, and the general parser takes over: errors,
 * flow collections, anchors, tags, multi-line scalars and escapes are never decided here. A
 * 10,000-row ConfigMap is 40,000 lines of this; the `yaml` library's general parser spends most of
 * a second on them (bench/lint-scale.mjs), this reader a few tens of milliseconds.
 */
export function readCanonicalSequence(text: string): V2Value | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  const reader = new SequenceReader();
  let lineStart = 0;
  // Stryker disable next-line EqualityOperator: `<=` only adds an empty last line, skipped as blank
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (!reader.line(text, lineStart, lineEnd)) return undefined;
    lineStart = lineEnd + 1;
  }
  return reader.finish();
}

interface OpenMap {
  value: { kind: 'map'; entries: V2Entry[]; at: number };
  keyIndent: number;
  /** A key written as `key:` whose value must be the block sequence on the next lines. */
  awaitingSequence?: { key: string; keyAt: number };
  openSequence?: { items: V2Value[]; indent: number };
}

/** The YAML spec limits an implicit key to 1024 characters; longer ones are the general parser's to judge. */
const MAX_KEY_LENGTH = 1000;

class SequenceReader {
  private root: { kind: 'seq'; items: V2Value[]; at: number } | undefined;
  private rootIndent = -1;
  private current: OpenMap | undefined;

  /** Takes one line; false when it is not part of the canonical shape. */
  line(text: string, start: number, end: number): boolean {
    const contentStart = skipSpaces(text, start, end);
    if (contentStart === end || text.charCodeAt(contentStart) === HASH) return true;
    const indent = contentStart - start;
    const contentEnd = trimEnd(text, contentStart, end);
    const isItem = text.charCodeAt(contentStart) === DASH && text.charCodeAt(contentStart + 1) === SPACE;
    const map = this.current;

    if (map?.awaitingSequence) {
      if (!isItem || indent < map.keyIndent) return false;
      const items: V2Value[] = [];
      map.value.entries.push({ ...map.awaitingSequence, value: { kind: 'seq', items, at: contentStart } });
      map.awaitingSequence = undefined;
      map.openSequence = { items, indent };
      return sequenceItem(items, text, contentStart, contentEnd);
    }
    if (isItem && map?.openSequence?.indent === indent)
      return sequenceItem(map.openSequence.items, text, contentStart, contentEnd);
    if (isItem && (this.rootIndent < 0 || indent === this.rootIndent))
      return this.rootItem(text, indent, contentStart, contentEnd);
    if (!isItem && map && indent === map.keyIndent) {
      map.openSequence = undefined;
      return entry(map, text, contentStart, contentEnd);
    }
    return false;
  }

  finish(): V2Value | undefined {
    return this.current?.awaitingSequence ? undefined : this.root;
  }

  private rootItem(text: string, indent: number, dash: number, end: number): boolean {
    if (!this.root) {
      this.rootIndent = indent;
      this.root = { kind: 'seq', items: [], at: dash };
    }
    // An empty item has no key: entry() declines it.
    const keyStart = skipSpaces(text, dash + 1, end);
    const value = { kind: 'map' as const, entries: [], at: keyStart };
    this.root.items.push(value);
    this.current = { value, keyIndent: indent + (keyStart - dash) };
    return entry(this.current, text, keyStart, end);
  }
}

function entry(map: OpenMap, text: string, keyStart: number, end: number): boolean {
  let keyEnd = keyStart;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: text[end] is a space, a line break or past the text, never a key character
  while (keyEnd < end && isKeyChar(text.charCodeAt(keyEnd), keyEnd === keyStart)) keyEnd++;
  if (keyEnd - keyStart > MAX_KEY_LENGTH || text.charCodeAt(keyEnd) !== COLON) return false;
  const resolvedKey = resolvePlainScalar(text.slice(keyStart, keyEnd), keyStart);
  // A null key (`null:`, `~:`, or none at all) makes YAML→JSON refuse the block: the general parser says so.
  if (resolvedKey.kind === 'null') return false;
  const key = scalarKeyText(resolvedKey);
  if (keyEnd + 1 === end) {
    map.awaitingSequence = { key, keyAt: keyStart };
    return true;
  }
  if (text.charCodeAt(keyEnd + 1) !== SPACE) return false;
  const value = readScalar(text, skipSpaces(text, keyEnd + 1, end), end);
  if (!value) return false;
  map.value.entries.push({ key, keyAt: keyStart, value });
  return true;
}

function sequenceItem(items: V2Value[], text: string, dash: number, end: number): boolean {
  const valueStart = skipSpaces(text, dash + 1, end);
  // An empty item reads as no scalar: SAFE_PLAIN needs a first character.
  const value = readScalar(text, valueStart, end);
  if (!value) return false;
  items.push(value);
  return true;
}

/**
 * One-line scalars whose meaning cannot depend on YAML's finer rules: single-quoted, double-quoted
 * without escapes, or plain text made of characters that never start or end a YAML construct.
 */
function readScalar(text: string, start: number, end: number): V2Value | undefined {
  const first = text.charCodeAt(start);
  if (first === SINGLE_QUOTE || first === DOUBLE_QUOTE) {
    if (end - start < 2 || text.charCodeAt(end - 1) !== first) return undefined;
    const inner = text.slice(start + 1, end - 1);
    if (first === DOUBLE_QUOTE && (inner.includes('"') || inner.includes('\\'))) return undefined;
    // Stryker disable next-line StringLiteral: any replacement without an apostrophe tells the same
    if (first === SINGLE_QUOTE && inner.replaceAll("''", '').includes("'")) return undefined;
    const value = first === SINGLE_QUOTE ? inner.replaceAll("''", "'") : inner;
    return { kind: 'string', value, at: start, text: value };
  }
  const plain = text.slice(start, end);
  if (!SAFE_PLAIN.test(plain) || plain.includes(': ') || plain.endsWith(':')) return undefined;
  return resolvePlainScalar(plain, start);
}

/** Starts with a letter, digit, `_`, `.` or `/`; then no `#`, quote, bracket, anchor or tag character. */
const SAFE_PLAIN = /^[\w./][\w./:@+=,{}() -]*$/;

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

function isKeyChar(code: number, first: boolean): boolean {
  const letter = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
  return letter || (!first && code >= 0x30 && code <= 0x39);
}

function skipSpaces(text: string, from: number, end: number): number {
  while (from < end && text.charCodeAt(from) === SPACE) from++;
  return from;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
  return end;
}
