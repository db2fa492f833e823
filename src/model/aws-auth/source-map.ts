import type { Scalar } from 'yaml';

/**
 * aws-auth blocks are YAML inside a YAML (or JSON) string. To point at the line the user must
 * edit, every character of the inner text is mapped back to its offset in the outer file.
 * `offsets[i]` is the outer offset of inner character i; `offsets[inner.length]` is the end.
 */
export type OffsetMap = Int32Array;

export function mapScalarOffsets(outer: string, node: Scalar, inner: string): OffsetMap {
  // Stryker disable next-line ArrayDeclaration: the parser sets the range of every node it reads
  const [start, end] = node.range ?? [0, 0];
  switch (node.type) {
    case 'BLOCK_LITERAL':
      return mapBlockLiteral(outer, start, end, inner);
    case 'QUOTE_DOUBLE':
      return mapDoubleQuoted(outer, start, end, inner);
    default:
      return mapBySearch(outer, start, end, inner);
  }
}

function mapBlockLiteral(outer: string, start: number, end: number, inner: string): OffsetMap {
  const offsets = new Int32Array(inner.length + 1).fill(start);
  const header = outer.indexOf('\n', start);
  if (header < 0 || header >= end) return offsets;
  const explicit = /\|[+-]?(\d)|\|\d?[+-]?/.exec(outer.slice(start, header));
  const lines = outer.slice(header + 1, end).split('\n');
  // Stryker disable next-line StringLiteral: with no content line any unindented stand-in gives indent 0
  const firstContent = lines.find((l) => l.trim() !== '') ?? '';
  const indicator = explicit?.[1];
  const indent = indicator !== undefined ? Number(indicator) : firstContent.length - firstContent.trimStart().length;
  let outerPos = header + 1;
  let innerPos = 0;
  for (const line of lines) {
    const content = line.slice(Math.min(indent, line.length));
    const contentStart = outerPos + Math.min(indent, line.length);
    for (let i = 0; i <= content.length && innerPos <= inner.length; i++) offsets[innerPos++] = contentStart + i;
    outerPos += line.length + 1;
    if (innerPos > inner.length) break;
  }
  for (let i = innerPos; i <= inner.length; i++) offsets[i] = end;
  return offsets;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  '\t': '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  '/': '/',
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  v: '\v',
  ' ': ' ',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Walks a double-quoted scalar (JSON strings are these too), following escapes and line folds. */
function mapDoubleQuoted(outer: string, start: number, end: number, inner: string): OffsetMap {
  const offsets = new Int32Array(inner.length + 1).fill(start);
  let i = start + 1;
  let out = 0;
  const close = end - 1;
  while (i < close && out < inner.length) {
    const ch = outer.charAt(i);
    if (ch === '\\') {
      const next = outer.charAt(i + 1);
      const hexLength = HEX_ESCAPE_LENGTH[next];
      if (hexLength !== undefined) {
        const produced = String.fromCodePoint(parseInt(outer.slice(i + 2, i + 2 + hexLength), 16) || 0).length;
        for (let k = 0; k < produced; k++) offsets[out++] = i;
        i += 2 + hexLength;
      } else if (next === '\n' || next === '\r') {
        i += 2;
        while (outer[i] === ' ' || outer[i] === '\t') i++;
      } else {
        if (SIMPLE_ESCAPES[next] !== undefined) offsets[out++] = i;
        i += 2;
      }
    } else if (ch === '\n') {
      // A line break inside quotes folds to one space, or to newlines for blank lines.
      offsets[out++] = i;
      i++;
      while (outer[i] === ' ' || outer[i] === '\t' || outer[i] === '\n') {
        if (outer[i] === '\n' && inner[out] === '\n') offsets[out++] = i;
        i++;
      }
    } else {
      offsets[out++] = i++;
    }
  }
  for (let k = out; k <= inner.length; k++) offsets[k] = Math.min(i, end);
  return offsets;
}

/** Plain, single-quoted and folded scalars: find each inner line in the outer text, in order. */
function mapBySearch(outer: string, start: number, end: number, inner: string): OffsetMap {
  const offsets = new Int32Array(inner.length + 1).fill(start);
  let searchFrom = start;
  let innerPos = 0;
  for (const line of inner.split('\n')) {
    const text = line.trim();
    const found = text === '' ? -1 : outer.indexOf(text, searchFrom);
    const inside = found >= 0 && found < end;
    const lead = line.length - line.trimStart().length;
    // The lines' lengths plus their breaks add up to inner.length + 1: no write runs past the map.
    for (let i = 0; i <= line.length; i++) offsets[innerPos + i] = inside ? found - lead + i : searchFrom;
    if (inside) searchFrom = found + text.length;
    innerPos += line.length + 1;
  }
  return offsets;
}
