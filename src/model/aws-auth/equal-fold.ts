/**
 * Go's strings.EqualFold, with which the authenticator compares a principal's ARN to a row's:
 * simple Unicode case folding, so `ſ` (U+017F) equals `s` and `K` (U+212A) equals `k`, where
 * lower-casing alone would not make them equal. Characters that fold to several (`ß` → `SS`) stay.
 */
export function foldCase(text: string): string {
  let out = '';
  for (const char of text) {
    // Dotless ı upper-cases to I, but Unicode's CaseFolding gives it only a Turkic (T) folding,
    // which Go's simple folding leaves out: EqualFold("ı", "I") is false. Measured against Go's
    // unicode.SimpleFold over every code point, ı is the only character folded apart; the others
    // that differ are letters newer than the Go on the test machine knows.
    if (char === '\u0131') {
      out += char;
      continue;
    }
    const upper = char.toUpperCase();
    const lower = (upper.length === char.length ? upper : char).toLowerCase();
    out += lower.length === char.length ? lower : char;
  }
  return out;
}

export const equalFold = (a: string, b: string): boolean => a === b || foldCase(a) === foldCase(b);
