/**
 * One line of logrus's text formatter (github.com/sirupsen/logrus text_formatter.go), the format the
 * EKS authenticator writes to CloudWatch: `time="…" level=info msg="access granted" arn="…" …`.
 * A value is bare when it holds only `[A-Za-z0-9-._/@^+]`, else it is Go-quoted (`%q`), so a
 * quoted value may carry `\"`, `\\`, `\n`, `\xNN`, `\uNNNN` and `\UNNNNNNNN` escapes.
 */
export interface LogrusLine {
  time?: string;
  level?: string;
  msg?: string;
  /** Every other key, unquoted; `error` holds the verifier's or mapper's error text. */
  fields: Record<string, string>;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** Reads a Go-quoted string starting at `start` (the opening quote); undefined when it is not one. */
function readQuoted(line: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  let i = start + 1;
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (ch === '"') return { value, end: i + 1 };
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    const kind = line[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[kind];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    const digits = HEX_DIGITS[kind] ?? (/[0-7]/.test(kind) ? 0 : undefined);
    if (digits === undefined) return undefined;
    if (digits === 0) {
      const octal = line.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(octal)) return undefined;
      value += String.fromCharCode(parseInt(octal, 8));
      i += 4;
      continue;
    }
    const hex = line.slice(i + 2, i + 2 + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) return undefined;
    const code = parseInt(hex, 16);
    // Go's \xNN is one byte; bytes of a multi-byte rune are kept as their Latin-1 characters, which
    // is enough to compare and print them (they reach output through the one sanitiser).
    if (code > 0x10ffff) return undefined;
    value += String.fromCodePoint(code);
    i += 2 + digits;
  }
  return undefined;
}

/** Parses one line; undefined when it is not a logrus text line (no `key=value` pairs, a broken quote). */
export function parseLogrusLine(line: string): LogrusLine | undefined {
  const parsed: LogrusLine = { fields: {} };
  let i = 0;
  let pairs = 0;
  const text = line.replace(/\r?\n$/, '');
  while (i < text.length) {
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq <= i) return undefined;
    const key = text.slice(i, eq);
    if (/\s/.test(key)) return undefined;
    let value: string;
    if (text[eq + 1] === '"') {
      const quoted = readQuoted(text, eq + 1);
      if (!quoted) return undefined;
      value = quoted.value;
      i = quoted.end;
      if (i < text.length && text[i] !== ' ') return undefined;
    } else {
      const end = text.indexOf(' ', eq + 1);
      value = text.slice(eq + 1, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    }
    pairs++;
    if (key === 'time' || key === 'level' || key === 'msg') parsed[key] = value;
    else parsed.fields[key] = value;
  }
  return pairs > 0 ? parsed : undefined;
}

/** Go's `fmt.Sprint([]string{…})`: `[a b c]`; `[]` is empty. A group holding a space cannot be told apart. */
export function parseGoStringSlice(text: string): string[] {
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(' ').filter((g) => g !== '');
}
