import { isAlias, isCollection, isScalar, Parser, visit, type Document, type Node } from 'yaml';

/**
 * Where go-yaml v2 (what the authenticator reads aws-auth with) and the `yaml` library disagree on
 * the text itself: characters, line breaks, directives, tabs and escapes. Each rule was found by
 * the Go referee (test/referee) and is described in corrections-turn-2.md §4.
 */
export interface LexicalError {
  message: string;
  at: number;
}

/**
 * go-yaml v2's reader refuses any character outside tab, LF, CR, printable ASCII, NEL,
 * U+00A0-U+D7FF, U+E000-U+FFFD and the astral planes, wherever it is, comments included.
 */
export function firstControlCharacter(text: string): number {
  // eslint-disable-next-line no-control-regex -- these are exactly the characters go-yaml refuses
  return text.search(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/);
}

/**
 * The text as the `yaml` library must see it to read what go-yaml reads. go-yaml ends a line at
 * CR, LF, CRLF, NEL, LS and PS, the library only at LF and CRLF; go-yaml drops a BOM at the very
 * start (which the library cannot read before a block sequence). Each replacement is one UTF-16
 * unit for another, so every offset still points at the same place in the user's text.
 */
export function asYamlLibraryText(text: string): string {
  const lines = text
    .replace(/\r(?!\n)|[\u0085\u2028\u2029]/g, '\n')
    // The reader drops one BOM; the scanner skips a second one at column 0, counting its column.
    .replace(/^\ufeff(\ufeff?)/, (_, second: string) => (second ? '\n ' : '\n'));
  // Elsewhere a BOM is an ordinary character to go-yaml; the library takes one at a line start for
  // a marker, so it stands in as a private-use character there (restoreBom puts it back).
  return lines.replace(/(?<=^\n |\n)\ufeff/g, BOM_STAND_IN);
}

/**
 * go-yaml refuses U+FFFE wherever it reads, so a value that still holds one after reading can only
 * hold the stand-in (a private-use character such as U+E000 is ordinary text to go-yaml).
 */
const BOM_STAND_IN = '\ufffe';
/**
 * Stands in for the backslash of a `\'` escape in double quotes, which YAML 1.1 (go-yaml v2) has
 * and the `yaml` library refuses. go-yaml refuses U+FFFF itself, so it never stands for a real one.
 */
const DROPPED_STAND_IN = '\uffff';
export const restoreBom = (value: string): string =>
  value.replaceAll(BOM_STAND_IN, '\ufeff').replaceAll(DROPPED_STAND_IN, '');

/**
 * The text with each `\'` escape the `yaml` library refused (at the given offsets of its
 * backslash) written as a stand-in and a plain `'`: go-yaml v2 decodes `\'` to `'`.
 */
export function withQuoteEscapes(text: string, backslashes: readonly number[]): string {
  const chars = [...text.split('')];
  // The library reports each `\'` at its backslash.
  for (const at of backslashes) chars[at] = DROPPED_STAND_IN;
  return chars.join('');
}

/**
 * How much of the text go-yaml reads. Unmarshal decodes the first node and never asks for more:
 * when the root is a block sequence indented by some columns, a later line indented less closes
 * it, and that line and everything after it are ignored without an error (`  - a` then `- b`).
 */
export function goYamlReadsUpTo(text: string): number {
  const linePattern = /[^\n]*(?:\n|$)/g;
  let rootIndent: number | undefined;
  for (const match of text.matchAll(linePattern)) {
    if (match[0] === '') break;
    const line = match[0].replace(/\r?\n$/, '');
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = line.length - content.length;
    if (rootIndent === undefined) {
      if (content.startsWith('%') || /^---(\s|$)/.test(content)) continue;
      if (indent === 0 || !/^-(\s|$)/.test(content) || line.slice(0, indent).includes('\t')) return text.length;
      rootIndent = indent;
      continue;
    }
    if (/^(---|\.\.\.)(\s|$)/.test(line)) return text.length;
    // A tab in the indentation never closes the root: it is go-yaml's error to report (the text read
    // is checked for it), or a quoted scalar's continuation line.
    if (line.slice(0, indent).includes('\t')) continue;
    if (indent < rootIndent) return match.index;
  }
  return text.length;
}

/**
 * Where go-yaml stops scanning at a document end marker: Unmarshal takes the first document's
 * DOCUMENT-END event and never asks for another token, so whatever follows the first `...` at a
 * line start (even on its line) is never read. The whole text when there is none.
 */
export function goYamlDocumentEnd(text: string): number {
  const marker = /^\.\.\.(?=[ \t\r\n]|$)/m.exec(text);
  return marker ? marker.index + 3 : text.length;
}

/** A document that opens with `...` and no `---` has no content for go-yaml. */
export function leadingDocumentEnd(text: string): LexicalError | undefined {
  const first = /^(?:[ \t]*(?:#.*)?\r?\n)*(\.\.\.|---)(?=[ \t\r\n]|$)/.exec(text);
  if (!first || first[1] !== '...') return undefined;
  return { message: 'yaml: did not find expected node content', at: first[0].length - 3 };
}

/** go-yaml accepts `%YAML 1.1` only ("found incompatible YAML document"). */
export function incompatibleDirective(text: string): LexicalError | undefined {
  const directive = /^%YAML[ \t]+([^ \t\r\n#]*)/m.exec(text);
  if (!directive || directive[1] === '1.1') return undefined;
  const before = text.slice(0, directive.index);
  // Only a directive before the first document's content counts; after it, it is the next document's.
  if (/^(?!#|---|\s*$|%)/m.test(before)) return undefined;
  return { message: 'yaml: found incompatible YAML document', at: directive.index };
}

/** Single-character escapes go-yaml v2 knows in double-quoted scalars (YAML 1.1: no `\/`), and what they stand for. */
const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * Rules go-yaml enforces on text the `yaml` library accepts: a tab where a block-context token
 * may start (indentation, a line of only a tab, `-` followed by a tab), and escapes YAML 1.1
 * lacks or code points that are surrogates.
 */
export function goYamlLexicalError(
  text: string,
  doc: Document.Parsed | undefined,
  end: number,
): LexicalError | undefined {
  const exempt: [number, number][] = [];
  let escapeError: LexicalError | undefined;
  visit(doc ?? null, (_key, node) => {
    const range = (node as Node | null)?.range;
    if (!range) return;
    if (isCollection(node) && node.flow) exempt.push([range[0], range[1]]);
    if (!isScalar(node) || node.type === 'PLAIN') return;
    exempt.push([range[0], range[1]]);
    if (node.type === 'QUOTE_DOUBLE' && !escapeError) escapeError = badEscape(text, range[0], range[1]);
    if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && !escapeError)
      escapeError = tabInBlockScalarIndent(text, range[0], range[1]);
  });
  const tab = blockTab(text, exempt, end);
  // Stryker disable next-line EqualityOperator: a tab and an escape's backslash are never at one offset
  if (tab !== undefined && (!escapeError || tab < escapeError.at))
    return { message: 'yaml: found character that cannot start any token', at: tab };
  return escapeError ?? badAnchorName(text, doc);
}

/** Characters go-yaml lets end an anchor or alias name besides a blank or a line break. */
const ANCHOR_ENDS = new Set(['?', ':', ',', ']', '}', '%', '@', '`']);

/**
 * go-yaml's scan_anchor: a name of ASCII letters, digits, `_` and `-`, followed by a blank, a line
 * break or one of ?:,]}%@` — the `yaml` library takes any non-space character (`&a#b`, `*é`).
 */
function badAnchorName(text: string, doc: Document.Parsed | undefined): LexicalError | undefined {
  let bad: LexicalError | undefined;
  visit(doc ?? null, (_key, node) => {
    if (bad || !node) return;
    const n = node as { anchor?: unknown; source?: unknown; range?: [number, number, number] };
    const names = [
      typeof n.anchor === 'string' ? `&${n.anchor}` : undefined,
      isAlias(node) && typeof n.source === 'string' ? `*${n.source}` : undefined,
    ];
    for (const written of names) {
      if (written === undefined) continue;
      // Stryker disable next-line OptionalChaining,Regex,StringLiteral: a `*` pattern matches (maybe empty) at 0
      const name = /^[0-9A-Za-z_-]*/.exec(written.slice(1))?.[0] ?? '';
      const next = written[1 + name.length];
      if (name !== '' && (next === undefined || ANCHOR_ENDS.has(next))) continue;
      bad = { message: 'yaml: did not find expected alphabetic or numeric character', at: text.indexOf(written) };
    }
  });
  return bad;
}

function badEscape(text: string, start: number, end: number): LexicalError | undefined {
  for (let i = start + 1; i < end - 1; i++) {
    if (text[i] !== '\\') continue;
    // An escaped line break (LF, or the CR of a CRLF) continues the scalar on the next line.
    if (text[i + 1] === '\n' || text[i + 1] === '\r') {
      i++;
      continue;
    }
    const escaped = readEscape(text, i);
    if ('error' in escaped) return { message: escaped.error, at: i };
    i = escaped.end - 1;
  }
  return undefined;
}

/** The first tab go-yaml would meet where a block-context token may start, before `end`. */
function blockTab(text: string, exempt: readonly [number, number][], end: number): number | undefined {
  // Stryker disable next-line EqualityOperator: a range opens at a quote, `|`, `>`, `[` or `{`, never at a tab
  const inside = (at: number) => exempt.some(([from, to]) => at >= from && at < to);
  const tabAtTokenStart = /(?<=^|\n)[ ]*(?:-[ ]+)*(-?)\t/g;
  for (const match of text.matchAll(tabAtTokenStart)) {
    const at = match.index + match[0].length - 1;
    if (at >= end) return undefined;
    // go-yaml's directive scanner eats its own line break, so the next line may start with a tab.
    const previousLine = text.slice(text.lastIndexOf('\n', match.index - 2) + 1, match.index);
    if (!inside(at) && !previousLine.startsWith('%')) return at;
  }
  return undefined;
}

/**
 * go-yaml refuses a tab in a block scalar's indentation: on any line before the indentation is
 * known (blank leading lines), and before the indentation column after that.
 */
function tabInBlockScalarIndent(text: string, start: number, end: number): LexicalError | undefined {
  const scalar = text.slice(start, end);
  // The lines after the header (none when the header ends the text).
  const lines = scalar.split('\n').slice(1);
  let indent: number | undefined;
  let lineStart = start + scalar.indexOf('\n') + 1;
  for (const line of lines) {
    // Stryker disable next-line OptionalChaining,Regex,StringLiteral: a `*` pattern matches (maybe empty) at 0
    const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
    const tab = lead.indexOf('\t');
    if (tab >= 0 && (indent === undefined || tab < indent))
      return { message: 'yaml: found a tab character where an indentation space is expected', at: lineStart + tab };
    // The first line with content sets the indentation (a CR is the end of a CRLF line).
    if (indent === undefined && /[^ \t\r]/.test(line)) indent = lead.length;
    lineStart += line.length + 1;
  }
  return undefined;
}

/** go-yaml's line breaks (is_break), and blanks (is_blank). */
const isGoBreak = (c: string | undefined): boolean =>
  c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isGoBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
const breakLength = (text: string, at: number): number => (text.startsWith('\r\n', at) ? 2 : 1);
/** read_line: CR LF, CR, LF and NEL become LF; LS and PS stay as they are. */
const readLine = (c: string | undefined): string => (c === '\u2028' || c === '\u2029' ? c : '\n');

const DOCUMENT_MARKER = /(?:---|\.\.\.)[ \t\r\n\u0085\u2028\u2029]/y;
/** A `---` or `...` followed by a blank or a break at `at`. */
function documentMarkerAt(text: string, at: number): boolean {
  DOCUMENT_MARKER.lastIndex = at;
  return DOCUMENT_MARKER.test(text);
}

/**
 * go-yaml v2's scan_flow_scalar: the quoted scalar opening at `start`, its value and the offset
 * past its closing quote; undefined where go-yaml fails (end of text, `---` or `...` at a line
 * start, a bad escape). Unlike the `yaml` library, it asks nothing of the indentation of
 * continuation lines (a tab, or less than the key's), and folds LS and PS as themselves.
 */
export function scanQuotedScalar(text: string, start: number): { value: string; end: number } | undefined {
  const quote = text[start];
  const single = quote === "'";
  let value = '';
  let i = start + 1;
  for (;;) {
    // A marker at the very end fails too: the scalar cannot close.
    if (isGoBreak(text[i - 1]) && documentMarkerAt(text, i)) return undefined;
    if (i >= text.length) return undefined;
    let leadingBlanks = false;
    while (i < text.length && !isGoBlank(text[i]) && !isGoBreak(text[i])) {
      const c = text.charAt(i);
      if (single && c === "'" && text[i + 1] === "'") {
        value += "'";
        i += 2;
      } else if (c === quote) {
        break;
      } else if (!single && c === '\\' && isGoBreak(text[i + 1])) {
        i += 1 + breakLength(text, i + 1);
        leadingBlanks = true;
        break;
      } else if (!single && c === '\\') {
        const escaped = readEscape(text, i);
        if ('error' in escaped) return undefined;
        value += escaped.value;
        i = escaped.end;
      } else {
        value += c;
        i++;
      }
    }
    if (text[i] === quote) return { value, end: i + 1 };
    let whitespace = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    while (isGoBlank(text[i]) || isGoBreak(text[i])) {
      // Blanks count only before the first break (after it, the value takes breaks alone).
      if (isGoBlank(text[i])) {
        whitespace += text[i];
        i++;
        continue;
      }
      if (leadingBlanks) trailingBreaks += readLine(text[i]);
      else {
        leadingBreak = readLine(text[i]);
        leadingBlanks = true;
      }
      i += breakLength(text, i);
    }
    if (!leadingBlanks) value += whitespace;
    else if (leadingBreak === '\n') value += trailingBreaks === '' ? ' ' : trailingBreaks;
    else value += leadingBreak + trailingBreaks;
  }
}

/** go-yaml's reading of the escape whose backslash is at `at`: what it stands for and where it ends, or go-yaml's error. */
function readEscape(text: string, at: number): { value: string; end: number } | { error: string } {
  const code = text.charAt(at + 1);
  const simple = SIMPLE_ESCAPES[code];
  if (simple !== undefined) return { value: simple, end: at + 2 };
  const hexLength = HEX_ESCAPE_LENGTH[code];
  if (hexLength === undefined) return { error: 'yaml: found unknown escape character' };
  const digits = text.slice(at + 2, at + 2 + hexLength);
  // Fewer digits than asked for happen only at the end of the text, where the scalar cannot close.
  if (!/^[0-9a-fA-F]+$/.test(digits)) return { error: 'yaml: did not find expected hexdecimal number' };
  const point = parseInt(digits, 16);
  if ((point >= 0xd800 && point <= 0xdfff) || point > 0x10ffff)
    return { error: 'yaml: found invalid Unicode character escape code' };
  return { value: String.fromCodePoint(point), end: at + 2 + hexLength };
}

/**
 * The text with the line breaks of one quoted scalar the `yaml` library could not close (the
 * opening quote at `start`) written as spaces, so that the library reads it as one scalar over
 * the same offsets; the value is go-yaml's, read from the user's text (scanQuotedScalar).
 * Undefined where go-yaml fails as well, or where the scalar is a key (go-yaml refuses a key
 * over several lines).
 */
export function withQuotedScalarOnOneLine(text: string, start: number): string | undefined {
  const scanned = scanQuotedScalar(text, start);
  if (!scanned || /^[ \t]*:/.test(text.slice(scanned.end))) return undefined;
  const inside = text.slice(start, scanned.end);
  return text.slice(0, start) + inside.replace(/[\r\n]/g, ' ') + text.slice(scanned.end);
}

/** go-yaml's is_blankz: a blank, a line break or the end of the text. */
const isGoBlankz = (c: string | undefined): boolean => c === undefined || isGoBlank(c) || isGoBreak(c);

/** Characters of go-yaml's tag handle after its `!` (scan_tag_handle), and of its tag URI (scan_tag_uri). */
const TAG_HANDLE_CHARS = /[0-9A-Za-z_-]*/y;
const TAG_URI_CHARS = /[0-9A-Za-z_\-;/?:@&=+$,.!~*'()[\]%]*/y;

/**
 * go-yaml v2's scan_tag for the shorthand tag at `at` (`!x`, `!!x`, `!name!x`): where its suffix
 * starts (after a handle, which ends in `!`) and where the tag ends. Its URI characters include
 * `,`, `[` and `]` in flow context too, and lack `#`; the YAML 1.2 tag characters the `yaml`
 * library reads are the other way round.
 */
export function scanGoTag(text: string, at: number): { suffixAt: number; end: number } {
  TAG_HANDLE_CHARS.lastIndex = at + 1;
  TAG_HANDLE_CHARS.test(text);
  const suffixAt = text[TAG_HANDLE_CHARS.lastIndex] === '!' ? TAG_HANDLE_CHARS.lastIndex + 1 : at + 1;
  TAG_URI_CHARS.lastIndex = suffixAt;
  TAG_URI_CHARS.test(text);
  return { suffixAt, end: TAG_URI_CHARS.lastIndex };
}

/** Where the `yaml` library's lexer starts a tag (its concrete syntax tree keeps each one's offset). */
function libraryTagOffsets(text: string): number[] {
  const offsets: number[] = [];
  const walk = (token: unknown): void => {
    if (Array.isArray(token)) return token.forEach(walk);
    if (typeof token !== 'object' || token === null) return;
    const { type, offset } = token as { type?: unknown; offset?: unknown };
    if (type === 'tag' && typeof offset === 'number') offsets.push(offset);
    Object.values(token).forEach(walk);
  };
  for (const token of new Parser().parse(text)) walk(token);
  return offsets.sort((a, b) => a - b);
}

/**
 * The text with each tag written so that the `yaml` library's tag spans what go-yaml's does
 * (`[!a, x]` is one item `x` tagged `!a,` to go-yaml; `[!]` never closes), offset for offset, and
 * the first tag go-yaml refuses because no blank or line break follows it (`!a#b`). A tag whose
 * go-yaml suffix holds `,`, `[` or `]` names no tag go-yaml resolves, so the suffix is rewritten
 * as an unresolvable one under the same handle (`!a,` as `!~~`, `!!str]` as `!!~~~~`).
 */
export function withGoYamlTags(text: string): { text: string; error?: LexicalError } {
  if (!text.includes('!')) return { text };
  let rewritten = text;
  let error: LexicalError | undefined;
  for (const at of libraryTagOffsets(text)) {
    // The verbatim form (`!<…>`) ends at its `>` for both.
    if (text[at + 1] === '<') continue;
    const tag = scanGoTag(text, at);
    if (!isGoBlankz(text[tag.end])) {
      error ??= { message: 'yaml: did not find expected whitespace or line break', at };
      continue;
    }
    const suffix = text.slice(tag.suffixAt, tag.end);
    if (!/[,[\]]/.test(suffix)) continue;
    rewritten = rewritten.slice(0, tag.suffixAt) + '~'.repeat(suffix.length) + rewritten.slice(tag.end);
  }
  return error ? { text: rewritten, error } : { text: rewritten };
}
