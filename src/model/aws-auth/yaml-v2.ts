import type { Alias, YAMLSeq } from 'yaml';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
  type Range,
  type Scalar,
} from 'yaml';
import { readCanonicalSequence } from './canonical-sequence.js';
import {
  asYamlLibraryText,
  firstControlCharacter,
  goYamlLexicalError,
  incompatibleDirective,
  goYamlDocumentEnd,
  goYamlReadsUpTo,
  leadingDocumentEnd,
  restoreBom,
  scanQuotedScalar,
  withGoYamlTags,
  withQuoteEscapes,
  withQuotedScalarOnOneLine,
  type LexicalError,
} from './go-yaml-rules.js';
import { goNumberType, goValueSyntax, resolvePlainScalar, scalarKeyText, type V2Scalar } from './v2-scalars.js';

/**
 * A YAML value as the authenticator sees it after go-yaml v2 and sigs.k8s.io/yaml's YAML→JSON
 * step: plain scalars resolved with YAML 1.1 rules, map keys turned into strings, merge keys
 * applied. Each value keeps the offset where it starts in the inner text.
 */
export type V2Value =
  | { kind: 'null'; at: number; text: string }
  | { kind: 'bool'; value: boolean; at: number; text: string }
  | { kind: 'number'; value: number; at: number; text: string }
  | { kind: 'string'; value: string; at: number; text: string }
  | { kind: 'seq'; items: V2Value[]; at: number }
  | { kind: 'map'; entries: V2Entry[]; at: number };

export interface V2Entry {
  key: string;
  keyAt: number;
  value: V2Value;
  /** The key was null (`~: x`, `: x`): sigs.k8s.io/yaml cannot turn it into a JSON key. */
  nullKey?: true;
  /** The key was an integer past int64 (a Go uint64): sigs.k8s.io/yaml cannot turn it into a JSON key. */
  uint64Key?: true;
}

export interface V2Error {
  message: string;
  at: number;
}

export type V2Parse =
  | {
      ok: true;
      value: V2Value;
      /**
       * Read into a list of strings (yaml.v2 into []string), the error of an item go-yaml could not
       * decode: Unmarshal fails there, and the items after it stay empty strings.
       */
      itemError?: V2Error;
    }
  | { ok: false; error: V2Error };

/** What the block is decoded into: any value (through sigs.k8s.io/yaml), or []string (mapAccounts). */
export type V2Target = 'any' | 'strings';

/** go-yaml v2 gives up on documents that expand aliases this much ("excessive aliasing"). */
const MAX_EXPANDED_NODES = 100_000;

/** Parses one aws-auth block. */
// Stryker disable next-line StringLiteral: equivalent, any other default skips the canonical fast path, which reads as the general parser does
export function parseYamlV2(text: string, target: V2Target = 'any'): V2Parse {
  // Control characters are the general parser's to judge: it knows where go-yaml stops reading.
  const canonical = target === 'any' && firstControlCharacter(text) < 0 ? readCanonicalSequence(text) : undefined;
  return canonical ? { ok: true, value: canonical } : parseYamlV2General(text, target);
}

/** The full YAML parser, for any text: the reference the canonical fast path is tested against. */
// Stryker disable next-line StringLiteral: equivalent, only 'strings' reads otherwise
export function parseYamlV2General(input: string, target: V2Target = 'any'): V2Parse {
  const whole = asYamlLibraryText(input);
  const parsed = parsePrepared(whole, input, target);
  const documentEnd = goYamlDocumentEnd(whole);
  const readsUpTo = Math.min(goYamlReadsUpTo(whole), documentEnd);
  if (parsed.ok || readsUpTo === whole.length) return parsed;
  // The whole text does not parse: go-yaml may have stopped reading before the part that breaks.
  const read = parsePrepared(whole.slice(0, readsUpTo), input, target);
  if (!read.ok || readsUpTo === documentEnd) return read.ok ? read : parsed;
  return closingLineScans(whole, readsUpTo) ? read : parsed;
}

/**
 * Whether the line that closes an indented root list scans without error. go-yaml peeks at the
 * token that follows the root; when it may start a key (anything but `-`), the scanner reads on
 * to the end of that line to find out, and a lexical error there (an unclosed quote, a bad block
 * scalar header, `@`, a tag followed by `- `) fails Unmarshal.
 */
function closingLineScans(text: string, at: number): boolean {
  const line = text.slice(at, (text.indexOf('\n', at) + 1 || text.length + 1) - 1).replace(/\r$/, '');
  if (/^[ ]*(?:-(?:[ ]|$)|#|$)/.test(line)) return true;
  // A tag handle is resolved by the parser, which never gets there.
  return (parseDocuments(line)[0]?.errors ?? []).every((e) => e.code === 'TAG_RESOLVE_FAILED');
}

function parsePrepared(text: string, original: string, target: V2Target): V2Parse {
  const prologue = incompatibleDirective(text) ?? leadingDocumentEnd(text);
  if (prologue) return { ok: false, error: prologue };
  let doc: Document.Parsed | undefined;
  let nextDocumentAt = text.length;
  let tagError: LexicalError | undefined;
  try {
    // go-yaml v2's Unmarshal reads the first document and never looks at the rest, broken or not.
    const read = readDocuments(text);
    text = read.text;
    const docs = read.docs;
    doc = docs[0];
    nextDocumentAt = docs[1]?.range[0] ?? text.length;
    tagError = read.tagError && read.tagError.at < nextDocumentAt ? read.tagError : undefined;
  } catch (error) {
    return { ok: false, error: { message: error instanceof Error ? error.message : String(error), at: 0 } };
  }
  const control = firstControlCharacter(original.slice(0, decodedByGoYaml(original, nextDocumentAt)));
  if (control >= 0) return { ok: false, error: { message: 'yaml: control characters are not allowed', at: control } };
  // go-yaml takes a `#` wherever it looks for the next token as a comment, space before it or not.
  const first = doc?.errors.find((e) => !e.message.startsWith('Comments must be separated from other tokens'));
  // go-yaml stops at whichever it meets first.
  if (tagError && (!first || tagError.at <= first.pos[0])) return { ok: false, error: tagError };
  if (first) return { ok: false, error: { message: first.message.split('\n')[0] ?? first.message, at: first.pos[0] } };
  // go-yaml scans on past the first document's root node until the next document begins.
  const lexical = goYamlLexicalError(text, doc, nextDocumentAt);
  if (lexical) return { ok: false, error: lexical };
  if (!doc) return { ok: true, value: { kind: 'null', at: 0, text: '' } };
  const budget: Budget = { nodes: 0, resolving: new Set(), text, original };
  try {
    if (target === 'strings' && isSeq(doc.contents)) return convertStringList(doc.contents, doc, budget);
    return { ok: true, value: convert(doc.contents, doc, budget, 0) };
  } catch (error) {
    if (error instanceof ConversionError) return { ok: false, error: { message: error.message, at: error.at } };
    throw error;
  }
}

/**
 * yaml.v2 decoding a sequence into []string: the slice has one slot per item; a collection item is
 * an unmarshal error (skipped, never descended into); a scalar that fails to decode (a bad tag or
 * base64) ends the decode, the slots from there on left empty.
 */
function convertStringList(seq: YAMLSeq, doc: Document.Parsed, budget: Budget): V2Parse {
  const items: V2Value[] = [];
  let itemError: V2Error | undefined;
  let decoded = 0;
  for (const item of seq.items as (Node | null)[]) {
    const at = item?.range?.[0] ?? seq.range?.[0] ?? 0;
    if (itemError) break;
    const target = isAlias(item) ? ((item as Alias).resolve(doc) as Node | undefined) : item;
    if (isMap(target) || isSeq(target)) {
      items.push(isMap(target) ? { kind: 'map', entries: [], at } : { kind: 'seq', items: [], at });
      continue;
    }
    try {
      items.push(convert(item, doc, budget, at));
      decoded++;
    } catch (error) {
      if (!(error instanceof ConversionError)) throw error;
      itemError = { message: error.message, at: error.at };
    }
  }
  if (itemError) {
    const at = itemError.at;
    const empty = seq.items.length - decoded;
    items.push(...Array.from({ length: empty }, () => ({ kind: 'string' as const, value: '', at, text: '' })));
  }
  return { ok: true, value: { kind: 'seq', items, at: seq.range?.[0] ?? 0 }, ...(itemError ? { itemError } : {}) };
}

/** Every document of the text (an empty stream is an empty array too). */
function parseDocuments(text: string): Document.Parsed[] {
  return parseAllDocuments(text, {
    schema: 'failsafe',
    version: '1.1',
    uniqueKeys: false,
    strict: true,
    prettyErrors: false,
  });
}

/** Each repair rewrites one construct; a text has few, and a bound keeps a hostile one cheap. */
const MAX_REPAIRS = 64;

/**
 * Reads the documents, rewriting (offset for offset) what go-yaml v2 reads and the `yaml` library
 * refuses or reads otherwise: a `\'` escape, a quoted scalar whose continuation lines the library
 * finds under-indented, a tag whose go-yaml text runs on over `,`, `[` or `]`. Also returns the
 * first tag go-yaml refuses (no blank after it), which the library reads without complaint.
 */
function readDocuments(text: string): { text: string; docs: Document.Parsed[]; tagError?: LexicalError } {
  let docs = parseDocuments(text);
  let tagError: LexicalError | undefined;
  for (let round = 0; round < MAX_REPAIRS; round++) {
    // A repair may uncover text the library read as a quoted scalar before, tags included.
    const tags = withGoYamlTags(text);
    tagError ??= tags.error;
    if (tags.text !== text) {
      text = tags.text;
      docs = parseDocuments(text);
      continue;
    }
    const errors = docs[0]?.errors ?? [];
    const quoteEscapes = errors.filter((e) => e.code === 'BAD_DQ_ESCAPE' && e.message.endsWith("\\'"));
    const unclosed = errors.find((e) => e.code === 'MISSING_CHAR' && /^Missing closing ["']quote/.test(e.message));
    const opening = unclosed && quotedScalarEndingAt(docs[0], unclosed.pos[0]);
    const repaired =
      quoteEscapes.length > 0
        ? withQuoteEscapes(
            text,
            quoteEscapes.map((e) => e.pos[0]),
          )
        : opening === undefined
          ? undefined
          : withQuotedScalarOnOneLine(text, opening);
    if (repaired === undefined) break;
    // Stryker disable next-line ConditionalExpression: equivalent, a round on the same text finds the same errors (this saves the parses)
    if (repaired === text) break;
    text = repaired;
    docs = parseDocuments(text);
  }
  return tagError ? { text, docs, tagError } : { text, docs };
}

/** Where the quoted scalar the library ended (unclosed) at `end` opens. */
function quotedScalarEndingAt(doc: Document.Parsed | undefined, end: number): number | undefined {
  let opening: number | undefined;
  visit(doc ?? null, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range?.[1] === end)
        opening = node.range[0];
    },
  });
  return opening;
}

class ConversionError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

interface Budget {
  /** The text parsed (to see where a block scalar ends). */
  text: string;
  /** The user's text, offset for offset (to read a quoted scalar over several lines as go-yaml does). */
  original: string;
  nodes: number;
  /** Anchored nodes being converted right now: an alias to one of them would recurse forever. */
  resolving: Set<Node>;
}

function convert(node: Node | null, doc: Document.Parsed, budget: Budget, fallbackAt: number): V2Value {
  // Only nodes reached through an alias count: a long document without aliases (50,000 rows) is no bomb.
  if (budget.resolving.size > 0 && ++budget.nodes > MAX_EXPANDED_NODES) {
    throw new ConversionError('yaml: document contains excessive aliasing', fallbackAt);
  }
  if (node === null) return { kind: 'null', at: fallbackAt, text: '' };
  const at = node.range?.[0] ?? fallbackAt;
  if (isAlias(node)) {
    const target = (node as Alias).resolve(doc);
    if (!target) throw new ConversionError(`yaml: unknown anchor '${(node as Alias).source}' referenced`, at);
    if (budget.resolving.has(target as Node))
      throw new ConversionError(`yaml: anchor '${(node as Alias).source}' value contains itself`, at);
    budget.resolving.add(target as Node);
    try {
      return convert(target as Node, doc, budget, at);
    } finally {
      budget.resolving.delete(target as Node);
    }
  }
  if (isScalar(node)) return convertScalar(node, at, budget);
  if (isSeq(node)) return { kind: 'seq', at, items: node.items.map((item) => convert(item as Node, doc, budget, at)) };
  // A parsed node that is no alias, scalar or list is a map.
  const entries: V2Entry[] = [];
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const keyAt = keyNode?.range?.[0] ?? at;
    // go-yaml drops a possible key that spans lines; the `:` after it then breaks the flow collection.
    if (isScalar(keyNode) && keyNode.range && isMultiLineImplicitKey(keyNode.range, budget.original))
      throw new ConversionError(`yaml: did not find expected ',' or '${node.flow ? '}' : ']'}'`, keyAt);
    const key =
      keyNode === null ? { kind: 'null' as const, at: keyAt, text: '' } : convert(keyNode, doc, budget, keyAt);
    const value = convert(pair.value as Node | null, doc, budget, keyAt);
    if (key.kind === 'map' || key.kind === 'seq') {
      // go-yaml v2 cannot use a collection as a map key; this is what an unquoted {{SessionName}} hits.
      throw new ConversionError(`yaml: invalid map key: ${describeCollectionKey(key)}`, at);
    }
    if (key.kind === 'string' && key.value === '<<' && keyNode && isScalar(keyNode) && keyNode.type === 'PLAIN') {
      mergeInto(entries, value, keyAt);
      continue;
    }
    entries.push({
      key: scalarKeyText(key),
      keyAt,
      value,
      ...(key.kind === 'null' ? { nullKey: true as const } : {}),
      ...(key.kind === 'number' && goNumberType(key.text) === 'uint64' ? { uint64Key: true as const } : {}),
    });
  }
  return { kind: 'map', at, entries };
}

function isMultiLineImplicitKey([start, end]: Range, text: string): boolean {
  const explicit = /\?[ \t]*$/.test(text.slice(text.lastIndexOf('\n', start - 1) + 1, start));
  return !explicit && /[\r\n\u0085\u2028\u2029]/.test(text.slice(start, end));
}

function convertScalar(node: Scalar, at: number, budget: Budget): V2Value {
  const source = budget.text;
  let text = restoreBom(String(node.value ?? ''));
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  // Over several lines, go-yaml's folding is its own (continuation indentation, LS and PS).
  if (quoted && node.range && /[\r\n\u0085\u2028\u2029]/.test(budget.original.slice(node.range[0], node.range[1])))
    text = scanQuotedScalar(budget.original, node.range[0])?.value ?? text;
  // go-yaml keeps a block scalar's final line break only if the text has one: at the very end of
  // a value without a trailing newline, `|` gives `a`, where the `yaml` library gives `a\n`.
  const blockScalar = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  if (blockScalar && node.range?.[1] === source.length && !/\n$/.test(source)) text = text.replace(/\n$/, '');
  const tag = node.tag;
  if (tag === BINARY_TAG) {
    const decoded = decodeGoBase64(text);
    if (decoded === undefined) throw new ConversionError('yaml: !!binary value contains invalid base64 data', at);
    return { kind: 'string', value: decoded, at, text: decoded };
  }
  if (tag === 'tag:yaml.org,2002:str' || (node.type !== 'PLAIN' && tag === undefined))
    return { kind: 'string', value: text, at, text };
  // A tag go-yaml cannot resolve (`!foo`, `!!set`) keeps the text as a string.
  if (tag !== undefined && !RESOLVABLE_TAGS.has(tag)) return { kind: 'string', value: text, at, text };
  const resolved = resolvePlainScalar(text, at);
  const resolvedTag = shortTag(resolved);
  const wanted = tag === undefined ? undefined : `!!${tag.slice(YAML_TAG_PREFIX.length)}`;
  // resolve(): a tag must match what the text resolves to; an int may be read as a !!float.
  const intAsFloat = wanted === '!!float' && resolvedTag === '!!int' && goNumberType(text) === 'int';
  if (wanted === '!!timestamp') {
    if (!isGoTimestamp(text))
      throw new ConversionError(`yaml: cannot decode ${resolvedTag} \`${text}\` as a ${wanted}`, at);
    return { kind: 'string', value: text, at, text };
  }
  if (wanted !== undefined && wanted !== resolvedTag && !intAsFloat)
    throw new ConversionError(`yaml: cannot decode ${resolvedTag} \`${text}\` as a ${wanted}`, at);
  return resolved;
}

const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';
/** The tags go-yaml v2's resolve() resolves (resolvableTag); !!str and !!binary are read before. */
const RESOLVABLE_TAGS = new Set(['bool', 'int', 'float', 'null', 'timestamp'].map((t) => YAML_TAG_PREFIX + t));

/**
 * go-yaml v2's parseTimestamp: a date, or a date and time in one of its layouts
 * (2006-1-2T15:4:5.999999999Z07:00, the same with t, 2006-1-2 15:4:5.999999999, 2006-1-2),
 * with a real calendar date. Go's time.Parse takes a run of spaces for the layout's one space, a
 * `,` for the fraction's `.`, at most nine fraction digits, and any two-digit zone offset.
 * Into interface{} a timestamp stays its text.
 */
function isGoTimestamp(text: string): boolean {
  const match =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:\d{2})| +(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d{1,9})?)?$/.exec(
      text,
    );
  if (!match) return false;
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number];
  const time = match[4] === undefined ? match.slice(7, 10) : match.slice(4, 7);
  // Day 0 of the next month is this month's last. setUTCFullYear, unlike Date.UTC, keeps years 0-99 (0000 is a leap year).
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= lastDay.getUTCDate() &&
    time.every((n, i) => Number(n ?? 0) < (i === 0 ? 24 : 60))
  );
}

/** go-yaml's short tag of a resolved plain scalar. */
export function shortTag(value: V2Scalar): string {
  if (value.kind === 'number') return goNumberType(value.text) === 'float64' ? '!!float' : '!!int';
  return value.kind === 'string' ? '!!str' : `!!${value.kind}`;
}

/**
 * go-yaml v2 applies `<<` where it stands, like writing the merged keys there: they replace keys
 * written before it and are replaced by keys after it. Of a list of maps, the first one wins.
 */
function mergeInto(entries: V2Entry[], value: V2Value, at: number): void {
  const sources = value.kind === 'seq' ? [...value.items].reverse() : [value];
  for (const source of sources) {
    if (source.kind !== 'map')
      throw new ConversionError('yaml: map merge requires map or sequence of maps as the value', at);
    for (const entry of source.entries) {
      const earlier = entries.findIndex((e) => e.key === entry.key);
      if (earlier >= 0) entries.splice(earlier, 1);
      entries.push(entry);
    }
  }
}

function describeCollectionKey(key: V2Value): string {
  return goValueSyntax(key);
}

const BINARY_TAG = 'tag:yaml.org,2002:binary';

/** encoding/base64 StdEncoding.DecodeString: padded, line breaks ignored, nothing else allowed. */
function decodeGoBase64(text: string): string | undefined {
  const data = text.replace(/[\r\n]/g, '');
  if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(={0,2})$/.test(data) || /=[^=]/.test(data)) return undefined;
  return new TextDecoder().decode(Buffer.from(data, 'base64'));
}

/** go-yaml's reader takes its input 512 bytes at a time and checks every character it decodes. */
const READ_CHUNK_BYTES = 512;

/**
 * How much of the text go-yaml's reader decodes (and checks for control characters) when the
 * scanner stops at `stop` (the next document's start): whole 512-byte chunks of UTF-8, so a
 * control character just past the first document is still refused, one far past it is not.
 */
function decodedByGoYaml(text: string, stop: number): number {
  const needed = Math.min(text.length, stop + 4);
  const bytes = Buffer.byteLength(text.slice(0, needed));
  const chunkEnd = Math.ceil(Math.max(bytes, 1) / READ_CHUNK_BYTES) * READ_CHUNK_BYTES;
  let index = needed;
  let total = bytes;
  // A string iterates by code point: an astral character is one step of two UTF-16 units.
  for (const character of text.slice(needed)) {
    total += Buffer.byteLength(character);
    if (total > chunkEnd) break;
    index += character.length;
  }
  return index;
}
