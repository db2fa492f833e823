import { goQuote } from '../go-strconv.js';
import type { V2Value } from './yaml-v2.js';

/** A scalar value: what a plain scalar resolves to, and all a map key can be once collections are refused. */
export type V2Scalar = Extract<V2Value, { text: string }>;

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT_BASE0 = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const INT64_LIMIT = 2n ** 63n;
const UINT64_LIMIT = 2n ** 64n;

/** The Go type go-yaml v2 gives a number: strconv.ParseInt, else ParseUint, else ParseFloat. */
export type GoNumberType = 'int' | 'uint64' | 'float64';

/**
 * strconv.ParseInt(plain, 0, 64), else ParseUint(plain, 0, 64) (no sign): the integer and its Go
 * type, or undefined when neither parses it (out of range, or not Go's integer syntax).
 */
function goInteger(plain: string): { value: bigint; type: GoNumberType } | undefined {
  const match = GO_INT_BASE0.exec(plain);
  if (!match) return undefined;
  // Stryker disable next-line StringLiteral: equivalent, both groups always take part in a match
  const [, sign = '', digits = ''] = match;
  // Go reads a leading 0 as octal; BigInt wants 0o (and takes the 0 after it).
  const magnitude = BigInt(/^0[0-7]+$/.test(digits) ? `0o${digits}` : digits);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= -INT64_LIMIT && value < INT64_LIMIT) return { value, type: 'int' };
  if (sign === '' && value < UINT64_LIMIT) return { value, type: 'uint64' };
  return undefined;
}

/** go-yaml hands a leading-dot scalar to strconv.ParseFloat as written; others lose their `_` first. */
const plainNumberText = (text: string): string => (text.startsWith('.') ? text : text.replace(/_/g, ''));

/** Resolves a plain scalar the way go-yaml v2's resolve() does for an untyped target. */
export function resolvePlainScalar(text: string, at: number): V2Scalar {
  if (NULLS.has(text)) return { kind: 'null', at, text };
  if (TRUES.has(text)) return { kind: 'bool', value: true, at, text };
  if (FALSES.has(text)) return { kind: 'bool', value: false, at, text };
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text))
    return { kind: 'number', value: text.startsWith('-') ? -Infinity : Infinity, at, text };
  if (/^\.(nan|NaN|NAN)$/.test(text)) return { kind: 'number', value: NaN, at, text };
  if (/^[-+.0-9]/.test(text)) {
    // `._5` stays a string: ParseFloat takes no `_` there.
    const plain = plainNumberText(text);
    const integer = goInteger(plain);
    // Number(-0n) is 0: Go's integer `-0` is 0 too.
    if (integer) return { kind: 'number', value: Number(integer.value), at, text };
    // strconv.ParseFloat fails out of range (`1e400`): then the scalar is a string.
    if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain)))
      return { kind: 'number', value: Number(plain), at, text };
  }
  return { kind: 'string', value: text, at, text };
}

/** sigs.k8s.io/yaml turns non-string keys into their JSON text (1 → "1", true → "true"). */
export function scalarKeyText(key: V2Scalar): string {
  switch (key.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return String(key.value);
    case 'number': {
      const integer = goInteger(plainNumberText(key.text));
      return integer ? String(integer.value) : goFloat32Text(key.value);
    }
    case 'string':
      return key.value;
  }
}

/** The Go type of a number go-yaml v2 resolved from this text (a uint64 cannot be a JSON key). */
export function goNumberType(text: string): GoNumberType {
  return goInteger(plainNumberText(text))?.type ?? 'float64';
}

/** The shortest decimal digits of `value` that read back as the same float (of 32 bits when asked). */
function shortestDigits(value: number, float32: boolean): { digits: string; exponent: number } {
  const magnitude = Math.abs(value);
  const same = (text: string): boolean =>
    float32 ? Math.fround(Number(text)) === Math.fround(magnitude) : Number(text) === magnitude;
  let exponential = magnitude.toExponential();
  for (let precision = 1; precision <= 17; precision++) {
    exponential = magnitude.toExponential(precision - 1);
    if (same(exponential)) break;
  }
  // Stryker disable next-line StringLiteral: equivalent, toExponential always writes a mantissa and an exponent
  const [mantissa = '0', exponent = '0'] = exponential.split('e');
  return { digits: mantissa.replace('.', ''), exponent: Number(exponent) };
}

/**
 * strconv.FormatFloat(value, 'g', -1, bits): the shortest digits, in %e form when the exponent is
 * below -4 or at least 6 (`1e+06`, `1e-05`), else plain (`123456`, `0.0001`).
 */
export function goFormatFloat(value: number, bits: 32 | 64): string {
  const rounded = bits === 32 ? Math.fround(value) : value;
  if (Number.isNaN(rounded)) return 'NaN';
  if (!Number.isFinite(rounded)) return rounded === Infinity ? '+Inf' : '-Inf';
  const sign = rounded < 0 || Object.is(rounded, -0) ? '-' : '';
  const { digits, exponent } = shortestDigits(rounded, bits === 32);
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    // Stryker disable next-line EqualityOperator: equivalent, the exponent here is below -4 or at least 6, never 0
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** sigs.k8s.io/yaml's key text for a float64 key: FormatFloat at 32 bits, infinities as YAML writes them. */
function goFloat32Text(value: number): string {
  const text = goFormatFloat(value, 32);
  return text === '+Inf' ? '.inf' : text === '-Inf' ? '-.inf' : text === 'NaN' ? '.nan' : text;
}

/** fmt's %#v of a number go-yaml resolved: an int in decimal, a uint64 in hex, a float64 in %g. */
function goNumberSyntax(text: string, value: number): string {
  const integer = goInteger(plainNumberText(text));
  if (!integer) return goFormatFloat(value, 64);
  return integer.type === 'uint64' ? `0x${integer.value.toString(16)}` : String(integer.value);
}

/**
 * fmt's %+#v of a value go-yaml decoded into interface{}, as sigs.k8s.io/yaml's and go-yaml's
 * errors print it; `nested` inside a list or map, where a nil is `interface {}(nil)`. Map keys
 * are printed as strings (the model keeps their JSON text), sorted as fmt sorts string keys.
 */
export function goValueSyntax(value: V2Value, nested = false): string {
  switch (value.kind) {
    case 'null':
      return nested ? 'interface {}(nil)' : '<nil>';
    case 'bool':
      return String(value.value);
    case 'number':
      return goNumberSyntax(value.text, value.value);
    case 'string':
      return goQuote(value.value);
    case 'seq':
      return `[]interface {}{${value.items.map((item) => goValueSyntax(item, true)).join(', ')}}`;
    case 'map': {
      // A Go map keeps a key's last value; fmt sorts string keys by their UTF-8 bytes.
      const lastValues = new Map(value.entries.map((e) => [e.key, e.value]));
      const entries = [...lastValues]
        .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
        .map(([key, item]) => `${goQuote(key)}:${goValueSyntax(item, true)}`);
      return `map[interface {}]interface {}{${entries.join(', ')}}`;
    }
  }
}
