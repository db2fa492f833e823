import { describe, expect, it } from 'vitest';
import { goQuote } from '../../src/model/go-strconv.js';

// Each expected value is what Go 1.19's strconv.Quote printed for the same string (the Debian
// toolchain the referee is built with; `go run` of a one-line program per case).
describe('goQuote: Go’s strconv.Quote', () => {
  it.each([
    ['\x00', '"\\x00"'],
    ['\x01', '"\\x01"'],
    ['\x1f', '"\\x1f"'],
    [' ', '" "'],
    ['~', '"~"'],
    ['\x7f', '"\\x7f"'],
    ['\u0080', '"\\u0080"'],
    ['\u0085', '"\\u0085"'],
    ['\u00a0', '"\\u00a0"'],
    ['\u00e9', '"\u00e9"'],
    ['\u200b', '"\\u200b"'],
    ['\u2028', '"\\u2028"'],
    ['\ufeff', '"\\ufeff"'],
    ['\uffff', '"\\uffff"'],
    ['\u{1f600}', '"\u{1f600}"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['\u{10ffff}', '"\\U0010ffff"'],
    ['a\tb\n"\\', '"a\\tb\\n\\"\\\\"'],
    ['\x07\b\f\r\v', '"\\a\\b\\f\\r\\v"'],
  ])('quotes %j as Go does', (text, quoted) => {
    expect(goQuote(text)).toBe(quoted);
  });
});
