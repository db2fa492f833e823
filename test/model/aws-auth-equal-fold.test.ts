import { describe, expect, it } from 'vitest';
import { equalFold, foldCase } from '../../src/model/aws-auth/equal-fold.js';
// Recorded from Go's unicode.SimpleFold by test/referee/fold-oracle.
import foldAnswers from '../referee/fold-answers.json' with { type: 'json' };

// Expected values are Go's strings.EqualFold (go1 `strings.EqualFold(a, b)`, run for this table).
const GO_EQUAL_FOLD: [string, string, boolean][] = [
  ['arn:aws:iam::1:role/Ops', 'ARN:AWS:IAM::1:ROLE/ops', true],
  ['İ', 'i̇', false],
  ['İ', 'i', false],
  ['İ', 'İ', true],
  ['ß', 'SS', false],
  ['ß', 'ß', true],
  ['ſ', 'S', true],
  ['K', 'k', true],
  ['ǅ', 'ǆ', true],
  ['ǅ', 'Ǆ', true],
  ['Ω', 'ω', true],
  ['ﬃ', 'FFI', false],
  ['𐐀', '𐐨', true],
  ['ẞ', 'ß', true],
  ['ϑ', 'θ', true],
  ['role/a', 'role/b', false],
];

describe('equalFold: Go’s strings.EqualFold', () => {
  it.each(GO_EQUAL_FOLD)('%s vs %s: %s', (a, b, equal) => {
    expect(equalFold(a, b)).toBe(equal);
    expect(equalFold(b, a)).toBe(equal);
  });

  // Go: unicode.SimpleFold('ı') is 'ı' (dotless i folds to nothing else), so EqualFold("ı", "I") is
  // false, though ı upper-cases to I.
  it('dotless ı is not I', () => {
    expect(equalFold('role/admın', 'role/admIn')).toBe(false);
    expect(equalFold('role/admın', 'role/admin')).toBe(false);
  });

  it("folds every code point below the oracle's limit into Go's classes, no more and no fewer", () => {
    const { limit, classes } = foldAnswers;
    const goClass = new Map(classes.map(([rune, smallest]) => [rune, smallest]));
    const goByModel = new Map<string, number>();
    const modelByGo = new Map<number, string>();
    const disagreements: string[] = [];
    for (let rune = 0; rune < limit; rune++) {
      if (rune >= 0xd800 && rune <= 0xdfff) continue;
      const model = foldCase(String.fromCodePoint(rune));
      const go = goClass.get(rune) ?? rune;
      if ((goByModel.get(model) ?? go) !== go || (modelByGo.get(go) ?? model) !== model)
        disagreements.push(`U+${rune.toString(16).toUpperCase()}`);
      goByModel.set(model, go);
      modelByGo.set(go, model);
    }
    expect(disagreements).toEqual([]);
  });

  it('foldCase lower-cases what folds one to one and keeps what would change length', () => {
    expect(foldCase('ARN:AWS:IAM::1:ROLE/Ops-ſK')).toBe('arn:aws:iam::1:role/ops-sk');
    expect(foldCase('İß')).toBe('İß');
  });
});
