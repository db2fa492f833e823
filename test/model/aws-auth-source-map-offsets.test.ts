import { describe, expect, it } from 'vitest';
import { parseDocument, type Scalar } from 'yaml';
import { mapScalarOffsets } from '../../src/model/aws-auth/source-map.js';

// mapScalarOffsets on single scalars: every character of the decoded value points at the outer
// character it came from (a folded line break at the outer line break, the end at the closing
// quote). The expected offsets are read off each file as written here: the value starts at index 3.

function offsetsOf(outer: string): { inner: string; offsets: number[] } {
  const doc = parseDocument(outer);
  const pair = (doc.contents as { items: { value: Scalar }[] }).items[0];
  if (!pair) throw new Error('no pair');
  const inner = String(pair.value.value);
  return { inner, offsets: [...mapScalarOffsets(outer, pair.value, inner)] };
}

describe('double-quoted scalars', () => {
  it('an escaped line break skips the next line’s spaces and tabs', () => {
    // v: "ab\<LF>  <TAB>cd"  →  a=4 b=5, then c=11 d=12, closing quote 13
    expect(offsetsOf('v: "ab\\\n  \tcd"\n')).toEqual({ inner: 'abcd', offsets: [4, 5, 11, 12, 13] });
  });

  it('a line break folds to a space at the break; the indentation (spaces and tabs) is skipped', () => {
    // v: "a<LF> <TAB> b"  →  a=4, the space is the break at 5, b=9, quote 10
    expect(offsetsOf('v: "a\n \t b"\n')).toEqual({ inner: 'a b', offsets: [4, 5, 9, 10] });
  });

  it('blank lines give line breaks, each at its own outer line break', () => {
    // v: "a<LF>  <LF>  <LF>  b"  →  a=4, breaks at 5 and 8, b=14, quote 15
    expect(offsetsOf('v: "a\n  \n  \n  b"\n')).toEqual({ inner: 'a\n\nb', offsets: [4, 5, 8, 14, 15] });
  });
});

describe('single-quoted scalars (found line by line)', () => {
  it('a repeated line maps to its own occurrence, not to the first', () => {
    // v: 'x<LF><LF>  x'  →  x=4, break 5, second x=9, quote 10
    expect(offsetsOf("v: 'x\n\n  x'\n")).toEqual({ inner: 'x\nx', offsets: [4, 5, 9, 10] });
  });

  it('leading spaces of the first line are mapped to themselves', () => {
    expect(offsetsOf("v: '  a\n\n  b'\n")).toEqual({ inner: '  a\nb', offsets: [4, 5, 6, 7, 11, 12] });
  });

  it('text that is only found after the scalar is not taken: the value start stands in', () => {
    expect(offsetsOf("v: 'ab\n  cd'\nw: ab cd\n")).toEqual({ inner: 'ab cd', offsets: [3, 3, 3, 3, 3, 3] });
  });

  it('after a line that is not found, the search goes on from where it was, not from before the value', () => {
    // aakk: 'x<LF>  y<LF><LF>  kk'  →  "x y" is folded (not found): the quote at 6; then kk=16,17, quote 18
    expect(offsetsOf("aakk: 'x\n  y\n\n  kk'\n")).toEqual({ inner: 'x y\nkk', offsets: [6, 6, 6, 6, 16, 17, 18] });
  });

  it('a value of only spaces maps to the value start', () => {
    expect(offsetsOf("v: '   '\n")).toEqual({ inner: '   ', offsets: [3, 3, 3, 3] });
  });

  it('an all-blank first line maps to the value start', () => {
    expect(offsetsOf("v: '   \n\n  b'\n")).toEqual({ inner: '\nb', offsets: [3, 11, 12] });
  });
});
