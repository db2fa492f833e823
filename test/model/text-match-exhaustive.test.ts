import { describe, expect, it } from 'vitest';
import { arnLikeMatches, editDistance } from '../../src/model/text-match.js';

// Every short pattern and value over a small alphabet, against reference definitions written here
// independently of the model: ArnLike as an anchored regular expression, Levenshtein as the textbook
// full-matrix recurrence.

function allStrings(alphabet: string[], maxLength: number): string[] {
  const out = [''];
  let level = [''];
  for (let length = 1; length <= maxLength; length++) {
    level = level.flatMap((prefix) => alphabet.map((c) => prefix + c));
    out.push(...level);
  }
  return out;
}

const arnLikeByRegExp = (pattern: string, value: string): boolean =>
  new RegExp(`^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c)).join('')}$`, 'is').test(value);

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  return (d[a.length] as number[])[b.length] as number;
}

describe('arnLikeMatches agrees with an anchored RegExp (* = .*, ? = ., case-insensitive)', () => {
  const patterns = allStrings(['a', 'B', '*', '?'], 4);
  const values = allStrings(['a', 'b'], 4);
  it(`on all ${patterns.length} patterns × ${values.length} values`, () => {
    const wrong = patterns.flatMap((p) =>
      values.filter((v) => arnLikeMatches(p, v) !== arnLikeByRegExp(p, v)).map((v) => `${p} ~ ${v}`),
    );
    expect(wrong).toEqual([]);
  });

  it('backtracks past an earlier partial match', () => {
    expect(arnLikeMatches('*aab', 'aaab')).toBe(true);
    expect(arnLikeMatches('a*ab', 'aabab')).toBe(true);
    expect(arnLikeMatches('a*?', 'a')).toBe(false);
  });
});

describe('editDistance is the Levenshtein distance, or cap + 1 when the lengths alone exceed the cap', () => {
  const words = allStrings(['a', 'b', 'c'], 4);
  it.each([0, 1, 2, 3])(`on all ${words.length}² pairs, cap %i`, (cap) => {
    const wrong: string[] = [];
    for (const a of words)
      for (const b of words) {
        const expected = Math.abs(a.length - b.length) > cap ? cap + 1 : levenshtein(a, b);
        if (editDistance(a, b, cap) !== expected) wrong.push(`${a}/${b}`);
      }
    expect(wrong).toEqual([]);
  });

  it('defaults to a cap of 3', () => {
    expect(editDistance('', 'abcd')).toBe(4);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('', 'abcde')).toBe(4);
  });
});
