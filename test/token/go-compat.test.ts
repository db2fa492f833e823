import { describe, expect, it } from 'vitest';
import {
  decodeRawUrlBase64,
  formatGoUtc,
  goAtoi,
  goQuote,
  parseAmzDate,
  parseGoQuery,
  parseGoUrl,
  toBinary,
} from '../../src/token/go-compat.js';

// Expected texts are Go's (net/url, encoding/base64, strconv, time), which the authenticator prints.

describe('strconv.Quote', () => {
  it.each([
    ['plain', 'abc', '"abc"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['named escapes', '\t\n', '"\\t\\n"'],
    ['other control bytes', '\u0000\u007f', '"\\x00\\x7f"'],
    ['printable unicode stays', 'Clüster', '"Clüster"'],
    ['unprintable unicode', '\u2028', '"\\u2028"'],
  ])('%s', (_, input, quoted) => {
    expect(Buffer.from(goQuote(toBinary(input)), 'latin1').toString('utf8')).toBe(quoted);
  });

  it('invalid UTF-8 bytes', () => {
    expect(goQuote('\xff')).toBe('"\\xff"');
  });
});

describe('base64.RawURLEncoding', () => {
  it.each([
    ['QQ', 'A'],
    ['QUI', 'AB'],
    ['Q\nQ', 'A'],
    // Not Strict: non-zero trailing bits are accepted.
    ['QR', 'A'],
    ['', ''],
  ])('%j decodes', (input, output) => {
    expect(decodeRawUrlBase64(input)).toEqual({ ok: true, value: output });
  });

  it.each([
    ['QQ==', 2],
    ['Q', 0],
    ['QUJD/', 4],
    ['QUJDR', 4],
    ['QU+D', 2],
  ])('%j fails at byte %i', (input, offset) => {
    expect(decodeRawUrlBase64(input)).toEqual({ ok: false, error: `illegal base64 data at input byte ${offset}` });
  });
});

describe('url.Parse', () => {
  it.each([
    ['https://a b/', 'parse "https://a b/": invalid character " " in host name'],
    ['https://host:abc/', 'parse "https://host:abc/": invalid port ":abc" after host'],
    ['https://h/%zz', 'parse "https://h/%zz": invalid URL escape "%zz"'],
    ['https://[::1/', 'parse "https://[::1/": missing \']\' in host'],
    ['https://h/\u0000', 'parse "https://h/\\x00": net/url: invalid control character in URL'],
    ['a:b/c', null],
    ['ab:c/d', null],
    [':x', 'parse ":x": missing protocol scheme'],
    ['x/y:z', null],
    ['y:z', null],
    ['https://user:p%zz@h/', 'parse "https://user:p%zz@h/": invalid URL escape "%zz"'],
    ['https://us er@h/', 'parse "https://us er@h/": net/url: invalid userinfo'],
    ['https://h/#%zz', 'parse "https://h/#%zz": invalid URL escape "%zz"'],
    ['c:d:e', null],
    ['1a:b', 'parse "1a:b": first path segment in URL cannot contain colon'],
  ])('%j', (input, error) => {
    const result = parseGoUrl(toBinary(input));
    if (error === null) expect(result.ok).toBe(true);
    else expect(result).toEqual({ ok: false, error: toBinary(error) });
  });

  it('splits like Go: lower-case scheme, host with port and without userinfo, decoded path, raw query', () => {
    expect(parseGoUrl('HTTPS://u@sts.amazonaws.com:443/%2F?a=%41&b#frag')).toEqual({
      ok: true,
      value: { scheme: 'https', host: 'sts.amazonaws.com:443', path: '//', rawQuery: 'a=%41&b' },
    });
    expect(parseGoUrl('https:sts.amazonaws.com/?x')).toEqual({
      ok: true,
      value: { scheme: 'https', host: '', path: '', rawQuery: 'x' },
    });
    expect(parseGoUrl('https://h/?')).toEqual({
      ok: true,
      value: { scheme: 'https', host: 'h', path: '/', rawQuery: '' },
    });
  });
});

describe('url.ParseQuery', () => {
  it('decodes + and %XX, keeps order and repeats, skips empty parts', () => {
    expect(parseGoQuery('a=1+2&&b=%41&a=3&c')).toEqual({
      ok: true,
      value: [
        { key: 'a', value: '1 2' },
        { key: 'b', value: 'A' },
        { key: 'a', value: '3' },
        { key: 'c', value: '' },
      ],
    });
  });
  it.each(['a=1;b=2', 'a=%4', 'a%zz=1'])('%j is malformed', (query) => {
    expect(parseGoQuery(query).ok).toBe(false);
  });
});

describe('strconv.Atoi', () => {
  it.each([
    ['60', 60n, true],
    ['+60', 60n, true],
    ['-5', -5n, true],
    ['', 0n, false],
    ['6 0', 0n, false],
    ['0x10', 0n, false],
    ['1_000', 0n, false],
    ['9223372036854775808', 9223372036854775807n, false],
    ['-9223372036854775809', -9223372036854775808n, false],
  ])('%j', (input, value, ok) => {
    expect(goAtoi(input)).toEqual({ value, ok });
  });
});

describe('time.Parse("20060102T150405Z")', () => {
  it('accepts fractional seconds the layout does not have, as Go does', () => {
    const parsed = parseAmzDate('20230428T000000.5Z');
    expect(parsed).toEqual({ ok: true, value: { epochMs: Date.parse('2023-04-28T00:00:00.500Z'), fraction: '5' } });
    if (parsed.ok) expect(formatGoUtc(parsed.value)).toBe('2023-04-28 00:00:00.5 +0000 UTC');
  });

  it.each([
    ['20230428T240000Z', 'parsing time "20230428T240000Z": hour out of range'],
    ['20230428T006000Z', 'parsing time "20230428T006000Z": minute out of range'],
    ['20230229T000000Z', 'parsing time "20230229T000000Z": day out of range'],
    ['2023042', 'parsing time "2023042" as "20060102T150405Z": cannot parse "2" as "02"'],
    ['20230428T000000', 'parsing time "20230428T000000" as "20060102T150405Z": cannot parse "" as "Z"'],
  ])('%j', (input, error) => {
    expect(parseAmzDate(input)).toEqual({ ok: false, error });
  });

  it('prints leap days and four-digit years', () => {
    const parsed = parseAmzDate('00040229T235959Z');
    expect(parsed.ok && formatGoUtc(parsed.value)).toBe('0004-02-29 23:59:59 +0000 UTC');
  });
});
