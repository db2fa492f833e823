import { describe, expect, test } from 'vitest';
import { escapeUnsafe, forTerminal, sgr } from '../../src/report/sanitise.js';
import { makeStyle } from '../../src/report/style.js';

describe('escapeUnsafe: what a terminal would obey is shown, not obeyed', () => {
  test.each<[string, string, string]>([
    ['OSC 52 clipboard write', '\x1b]52;c;ZWNobw==\x07', '\\u001b]52;c;ZWNobw==\\u0007'],
    ['CSI clear screen', '\x1b[2J', '\\u001b[2J'],
    ['a forged colour code', '\x1b[31mred', '\\u001b[31mred'],
    ['C1 CSI (0x9b)', '\x9b31m', '\\u009b31m'],
    ['C1 OSC (0x9d) and ST (0x9c)', '\x9d8;;https://e.test\x9c', '\\u009d8;;https://e.test\\u009c'],
    ['BEL', 'a\x07b', 'a\\u0007b'],
    ['NUL', 'a\x00b', 'a\\u0000b'],
    ['carriage return, which rewrites the line', 'ok\rFAIL', 'ok\\u000dFAIL'],
    ['tab', 'a\tb', 'a\\u0009b'],
    ['backspace', 'abc\b\b', 'abc\\u0008\\u0008'],
    ['vertical tab and form feed', '\v\f', '\\u000b\\u000c'],
    ['DEL', 'a\x7f', 'a\\u007f'],
    ['right-to-left override', 'user\u202egnp.exe', 'user\\u202egnp.exe'],
    ['bidi isolates', '\u2066a\u2069', '\\u2066a\\u2069'],
    ['left-to-right and right-to-left marks', '\u200ea\u200f', '\\u200ea\\u200f'],
    ['zero-width space and joiner', 'ad\u200bmin\u200d', 'ad\\u200bmin\\u200d'],
    ['byte-order mark', '\ufeffarn', '\\ufeffarn'],
    ['soft hyphen', 'ad\u00admin', 'ad\\u00admin'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
    ['a Hangul filler (invisible)', 'a\u3164b', 'a\\u3164b'],
    ['an invisible tag character (astral)', 'a\u{e0041}', 'a\\udb40\\udc41'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
  ])('%s', (_, input, shown) => {
    expect(escapeUnsafe(input)).toBe(shown);
  });

  test.each<[string, string]>([
    ['newlines', 'line one\nline two\n'],
    ['an ARN', 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123'],
    ['our marks and box drawing', '✓ ✗ → — ✅ ❌ ⚠️ …'],
    ['accented and non-Latin text', 'café 日本語 Ελληνικά עברית'],
    ['an emoji with a skin tone', '👍🏽'],
    ['text that looks like an escape already', 'a literal \\u001b stays as it is'],
    ['JSON escapes', '{"a": "\\u001b\\t\\n"}'],
  ])('leaves %s alone', (_, text) => {
    expect(escapeUnsafe(text)).toBe(text);
  });

  test('JSON through it decodes to the same values', () => {
    const value = { user: 'a\x9b\u202e\u200b\x7f\u2028b\u{e0041}', arn: 'arn:aws:iam::1:role/x' };
    const json = JSON.stringify(value, null, 2);
    expect(JSON.parse(escapeUnsafe(json))).toEqual(value);
  });
});

describe('forTerminal: our colours survive, nobody else can make one', () => {
  test('styled text becomes real SGR codes', () => {
    const s = makeStyle(true);
    expect(forTerminal(`${s.red('no')} ${s.bold('yes')}`)).toBe('\x1b[31mno\x1b[39m \x1b[1myes\x1b[22m');
  });

  test('a value inside styled text is still escaped', () => {
    const s = makeStyle(true);
    expect(forTerminal(s.red('role/\x1b]52;c;eA==\x07'))).toBe('\x1b[31mrole/\\u001b]52;c;eA==\\u0007\x1b[39m');
  });

  test('a marker with another nonce is not ours: it stays printable text', () => {
    const ownMarker = sgr(31);
    const forged = ownMarker.replace(/[0-9a-f]{24}/, '0'.repeat(24));
    expect(forged).not.toBe(ownMarker);
    expect(forTerminal(forged)).not.toContain('\x1b');
  });

  test('without colour, no marker is written at all', () => {
    const s = makeStyle(false);
    expect(s.red('x')).toBe('x');
  });
});
