/**
 * Just enough of Go's standard library (encoding/base64, net/url, strconv, time) to reproduce the
 * authenticator's token validation byte for byte, including its error texts. The authenticator is
 * Go, so a "close enough" JavaScript equivalent (WHATWG URL, Buffer base64) would accept tokens it
 * rejects and print messages that do not match the cluster's logs.
 *
 * Strings called "binary" hold one byte per UTF-16 code unit (0–255), as Go strings hold bytes.
 */
import { fail, ok, type Result } from '../model/result.js';

/** UTF-8 bytes of a JavaScript string, as a binary string. */
export function toBinary(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** A binary string read as UTF-8 (invalid sequences become U+FFFD), for display. */
export function fromBinary(binary: string): string {
  return Buffer.from(binary, 'latin1').toString('utf8');
}

// ---- unicode/utf8 and strconv.Quote ------------------------------------------------------------

/** utf8.DecodeRuneInString: the rune at `i` and its width; invalid input gives [-1, 1]. */
function decodeRune(s: string, i: number): [number, number] {
  const b0 = s.charCodeAt(i);
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number): number => {
    const b = s.charCodeAt(i + k);
    return Number.isNaN(b) || (b & 0xc0) !== 0x80 ? -1 : b & 0x3f;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? [-1, 1] : [((b0 & 0x1f) << 6) | c1, 2];
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return [-1, 1];
    const r = ((b0 & 0x0f) << 12) | (c1 << 6) | c2;
    if (r < 0x800 || (r >= 0xd800 && r <= 0xdfff)) return [-1, 1];
    return [r, 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return [-1, 1];
    const r = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    if (r < 0x10000 || r > 0x10ffff) return [-1, 1];
    return [r, 4];
  }
  return [-1, 1];
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** Go's %q / strconv.Quote of a binary string (Go strings are bytes, possibly invalid UTF-8). */
export function goQuote(binary: string): string {
  let out = '"';
  for (let i = 0; i < binary.length;) {
    const [r, width] = decodeRune(binary, i);
    if (r < 0) {
      out += `\\x${hex(binary.charCodeAt(i), 2)}`;
    } else if (r === 0x22 || r === 0x5c) {
      out += `\\${String.fromCodePoint(r)}`;
    } else if (r === 0x20 || PRINTABLE.test(String.fromCodePoint(r))) {
      // Keep the bytes: the caller turns the whole binary message into text once.
      out += binary.slice(i, i + width);
    } else {
      const named: Record<number, string> = {
        7: '\\a',
        8: '\\b',
        12: '\\f',
        10: '\\n',
        13: '\\r',
        9: '\\t',
        11: '\\v',
      };
      out +=
        named[r] ?? (r < 0x20 || r === 0x7f ? `\\x${hex(r, 2)}` : r < 0x10000 ? `\\u${hex(r, 4)}` : `\\U${hex(r, 8)}`);
    }
    i += width;
  }
  return `${out}"`;
}

// ---- strings.ToLower and strings.EqualFold ---------------------------------------------------

/**
 * strings.ToLower of a binary string, as text: Go maps each rune with unicode.ToLower (simple case
 * mapping), so `İ` becomes `i` where JavaScript's full mapping gives `i̇`; invalid UTF-8 becomes
 * U+FFFD in both. The authenticator lower-cases parameter names this way before comparing them.
 */
export function goToLower(binary: string): string {
  let out = '';
  for (const ch of fromBinary(binary)) out += ch === '\u0130' ? 'i' : ch.toLowerCase();
  return out;
}

/** strings.EqualFold: equal under simple case folding (so `K`, U+212A KELVIN SIGN, equals `k`). */
export function goEqualFold(binary: string, text: string): boolean {
  const a = [...fromBinary(binary)];
  const b = [...text];
  return (
    a.length === b.length &&
    a.every((ch, i) => {
      const other = b[i] ?? '';
      return ch === other || ch.toLowerCase() === other.toLowerCase() || ch.toUpperCase() === other.toUpperCase();
    })
  );
}

// ---- encoding/base64 RawURLEncoding ------------------------------------------------------------

const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE_MAP = new Map([...URL_ALPHABET].map((c, i) => [c.charCodeAt(0), i]));

/**
 * base64.RawURLEncoding.DecodeString: the URL alphabet, no padding accepted, CR and LF skipped,
 * non-zero trailing bits tolerated (the encoding is not Strict). Errors carry Go's byte offset.
 */
export function decodeRawUrlBase64(binary: string): Result<string> {
  let out = '';
  let si = 0;
  while (si < binary.length) {
    const quantum: number[] = [];
    let dlen = 4;
    for (let j = 0; j < 4; j++) {
      if (si === binary.length) {
        if (j === 0) return ok(out);
        if (j === 1) return fail(`illegal base64 data at input byte ${si - j}`);
        dlen = j;
        break;
      }
      const c = binary.charCodeAt(si);
      si++;
      const value = DECODE_MAP.get(c);
      if (value !== undefined) {
        quantum[j] = value;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      return fail(`illegal base64 data at input byte ${si - 1}`);
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff].slice(0, dlen - 1);
    out += String.fromCharCode(...bytes);
  }
  return ok(out);
}

/** base64.RawURLEncoding.EncodeToString of a binary string. */
export function encodeRawUrlBase64(binary: string): string {
  return Buffer.from(binary, 'latin1').toString('base64url');
}

// ---- net/url -------------------------------------------------------------------------------

type EscapeMode = 'path' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

const isAlnum = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const unhex = (c: number): number => parseInt(String.fromCharCode(c), 16);

/** url.shouldEscape, only for the host modes: the only place unescape consults it. */
function hostCharNeedsEscape(c: number): boolean {
  if (isAlnum(c)) return false;
  if ('!$&\'()*+,;=:[]<>"'.includes(String.fromCharCode(c))) return false;
  if ('-_.~'.includes(String.fromCharCode(c))) return false;
  return true;
}

const escapeError = (s: string): string => `invalid URL escape ${goQuote(s)}`;

/** url.unescape: validates and decodes %XX (and `+` in query components). */
function unescape(s: string, mode: EscapeMode): Result<string> {
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) {
        return fail(escapeError(s.slice(i, i + 3)));
      }
      if (mode === 'host' && unhex(s.charCodeAt(i + 1)) < 8 && s.slice(i, i + 3) !== '%25') {
        return fail(escapeError(s.slice(i, i + 3)));
      }
      i += 3;
    } else {
      if ((mode === 'host' || mode === 'zone') && c < 0x80 && hostCharNeedsEscape(c)) {
        return fail(`invalid character ${goQuote(s[i] ?? '')} in host name`);
      }
      i++;
    }
  }
  let out = '';
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      out += String.fromCharCode(unhex(s.charCodeAt(i + 1)) * 16 + unhex(s.charCodeAt(i + 2)));
      i += 3;
    } else {
      out += mode === 'queryComponent' && c === 0x2b ? ' ' : (s[i] ?? '');
      i++;
    }
  }
  return ok(out);
}

export interface GoUrl {
  scheme: string;
  /** Host as Go's URL.Host: unescaped, port included. */
  host: string;
  /** Unescaped path. */
  path: string;
  rawQuery: string;
}

function getScheme(raw: string): Result<[string, string]> {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return ok(['', raw]);
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) return fail('missing protocol scheme');
      return ok([raw.slice(0, i), raw.slice(i + 1)]);
    }
    return ok(['', raw]);
  }
  return ok(['', raw]);
}

const validOptionalPort = (port: string): boolean => port === '' || /^:[0-9]*$/.test(port);

function parseHost(host: string): Result<string> {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) return fail("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) return fail(`invalid port ${goQuote(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      const parts = [
        unescape(host.slice(0, zone), 'host'),
        unescape(host.slice(zone, i), 'zone'),
        unescape(host.slice(i), 'host'),
      ];
      let joined = '';
      for (const part of parts) {
        if (!part.ok) return part;
        joined += part.value;
      }
      return ok(joined);
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1 && !validOptionalPort(host.slice(i))) return fail(`invalid port ${goQuote(host.slice(i))} after host`);
  }
  return unescape(host, 'host');
}

const USERINFO_OK = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function parseAuthority(authority: string): Result<string> {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (!host.ok || at < 0) return host;
  const userinfo = authority.slice(0, at);
  // Go checks runes; any non-ASCII rune fails the same ASCII-only class.
  if (!USERINFO_OK.test(userinfo)) return fail('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  const user = unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), 'userPassword');
  if (!user.ok) return user;
  if (colon >= 0) {
    const password = unescape(userinfo.slice(colon + 1), 'userPassword');
    if (!password.ok) return password;
  }
  return host;
}

function parseWithoutFragment(raw: string): Result<GoUrl> {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) return fail('net/url: invalid control character in URL');
  if (raw === '*') return ok({ scheme: '', host: '', path: '*', rawQuery: '' });
  const scheme = getScheme(raw);
  if (!scheme.ok) return scheme;
  const [rawScheme, afterScheme] = scheme.value;
  const url: GoUrl = { scheme: rawScheme.toLowerCase(), host: '', path: '', rawQuery: '' };
  let rest = afterScheme;
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    // A rootless path after a scheme is opaque: no host, no path.
    if (url.scheme !== '') return ok(url);
    const slash = rest.indexOf('/');
    if ((slash < 0 ? rest : rest.slice(0, slash)).includes(':'))
      return fail('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const host = parseAuthority(authority);
    if (!host.ok) return host;
    url.host = host.value;
  }
  const path = unescape(rest, 'path');
  if (!path.ok) return path;
  url.path = path.value;
  return ok(url);
}

/** url.Parse, returning Go's `parse "<url>": <reason>` text on failure. */
export function parseGoUrl(raw: string): Result<GoUrl> {
  const hash = raw.indexOf('#');
  const withoutFragment = hash < 0 ? raw : raw.slice(0, hash);
  const url = parseWithoutFragment(withoutFragment);
  if (!url.ok) return fail(`parse ${goQuote(withoutFragment)}: ${url.error}`);
  if (hash >= 0) {
    const fragment = unescape(raw.slice(hash + 1), 'fragment');
    if (!fragment.ok) return fail(`parse ${goQuote(raw)}: ${fragment.error}`);
  }
  return url;
}

/** One decoded query parameter, in URL order. Keys and values are binary strings. */
export interface QueryPair {
  key: string;
  value: string;
}

/** url.ParseQuery: any bad escape or `;` fails the whole query (the caller only needs that it failed). */
export function parseGoQuery(rawQuery: string): Result<QueryPair[]> {
  const pairs: QueryPair[] = [];
  let error: string | undefined;
  for (const part of rawQuery === '' ? [] : rawQuery.split('&')) {
    if (part.includes(';')) {
      error = 'invalid semicolon separator in query';
      continue;
    }
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = unescape(eq < 0 ? part : part.slice(0, eq), 'queryComponent');
    const value = unescape(eq < 0 ? '' : part.slice(eq + 1), 'queryComponent');
    if (!key.ok || !value.ok) {
      error ??= !key.ok ? key.error : !value.ok ? value.error : '';
      continue;
    }
    pairs.push({ key: key.value, value: value.value });
  }
  return error === undefined ? ok(pairs) : fail(error);
}

// ---- strconv.Atoi --------------------------------------------------------------------------

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * strconv.Atoi on a 64-bit platform: the value Go would hold afterwards (0 on a syntax error, the
 * clamped bound on overflow) and whether it parsed. The authenticator prints that value.
 */
export function goAtoi(s: string): { value: bigint; ok: boolean } {
  let body = s;
  let negative = false;
  if (body.startsWith('+') || body.startsWith('-')) {
    negative = body.startsWith('-');
    body = body.slice(1);
  }
  if (body === '') return { value: 0n, ok: false };
  let n = 0n;
  for (const ch of body) {
    if (ch < '0' || ch > '9') return { value: 0n, ok: false };
    n = n * 10n + BigInt(ch.charCodeAt(0) - 48);
    // ParseUint stops at the first overflow, before looking at later characters.
    if (n > 2n ** 64n - 1n) return { value: negative ? INT64_MIN : INT64_MAX, ok: false };
  }
  if (!negative && n > INT64_MAX) return { value: INT64_MAX, ok: false };
  if (negative && n > -INT64_MIN) return { value: INT64_MIN, ok: false };
  return { value: negative ? -n : n, ok: true };
}

// ---- time.Parse("20060102T150405Z") and Time.String() -----------------------------------------

export const AMZ_DATE_LAYOUT = '20060102T150405Z';

export interface GoTime {
  /** Milliseconds since the epoch (Go keeps nanoseconds; sub-millisecond digits only matter for display). */
  epochMs: number;
  /** Fractional-second digits as written, if any (Go accepts them even though the layout has none). */
  fraction: string;
}

const isDigitAt = (s: string, i: number): boolean => /^[0-9]$/.test(s.charAt(i));

/** Go's getnum: one or two digits; `fixed` demands two. */
function getnum(s: string, fixed: boolean): { n: number; rest: string } | undefined {
  if (!isDigitAt(s, 0)) return undefined;
  if (!isDigitAt(s, 1)) return fixed ? undefined : { n: Number(s[0]), rest: s.slice(1) };
  return { n: Number(s.slice(0, 2)), rest: s.slice(2) };
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** time.Parse with the X-Amz-Date layout, with Go's error texts (binary string in, as Go sees it). */
export function parseAmzDate(value: string): Result<GoTime> {
  const bad = (rest: string, elem: string): Result<GoTime> =>
    fail(
      `parsing time ${goQuote(value)} as ${goQuote(AMZ_DATE_LAYOUT)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`,
    );
  const range = (what: string): Result<GoTime> => fail(`parsing time ${goQuote(value)}: ${what} out of range`);
  let rest = value;
  if (rest.length < 4 || !isDigitAt(rest, 0) || !/^\d{4}$/.test(rest.slice(0, 4))) return bad(rest, '2006');
  const year = Number(rest.slice(0, 4));
  rest = rest.slice(4);
  const month = getnum(rest, true);
  if (!month) return bad(rest, '01');
  if (month.n <= 0 || month.n > 12) return range('month');
  rest = month.rest;
  const day = getnum(rest, true);
  if (!day) return bad(rest, '02');
  rest = day.rest;
  if (!rest.startsWith('T')) return bad(rest, 'T');
  rest = rest.slice(1);
  const hour = getnum(rest, false);
  if (!hour) return bad(rest, '15');
  if (hour.n >= 24) return range('hour');
  rest = hour.rest;
  const minute = getnum(rest, true);
  if (!minute) return bad(rest, '04');
  if (minute.n >= 60) return range('minute');
  rest = minute.rest;
  const second = getnum(rest, true);
  if (!second) return bad(rest, '05');
  if (second.n >= 60) return range('second');
  rest = second.rest;
  let fraction = '';
  if (rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigitAt(rest, 1)) {
    let n = 2;
    while (isDigitAt(rest, n)) n++;
    // parseNanoseconds keeps nine digits and drops the rest.
    fraction = rest.slice(1, Math.min(n, 10));
    rest = rest.slice(n);
  }
  if (!rest.startsWith('Z')) return bad(rest, 'Z');
  rest = rest.slice(1);
  if (rest.length > 0) return fail(`parsing time ${goQuote(value)}: extra text: ${goQuote(rest)}`);
  if (day.n < 1 || day.n > daysIn(month.n, year)) return fail(`parsing time ${goQuote(value)}: day out of range`);
  const date = new Date(0);
  date.setUTCFullYear(year, month.n - 1, day.n);
  date.setUTCHours(hour.n, minute.n, second.n, Number(fraction.padEnd(3, '0').slice(0, 3)));
  return ok({ epochMs: date.getTime(), fraction });
}

/** Time.String() for a UTC time: `2020-05-06 01:09:00 +0000 UTC` (fraction trimmed of zeros). */
export function formatGoUtc(time: GoTime): string {
  const d = new Date(time.epochMs);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const fraction = time.fraction.replace(/0+$/, '');
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}
