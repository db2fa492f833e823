import type { V2Value } from './yaml-v2.js';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT_BASE0 = /^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]*|[1-9][0-9]*)$/;

/** Resolves a plain scalar the way go-yaml v2's resolve() does for an untyped target. */
export function resolvePlainScalar(text: string, at: number): V2Value {
  if (NULLS.has(text)) return { kind: 'null', at, text };
  if (TRUES.has(text)) return { kind: 'bool', value: true, at, text };
  if (FALSES.has(text)) return { kind: 'bool', value: false, at, text };
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text))
    return { kind: 'number', value: text.startsWith('-') ? -Infinity : Infinity, at, text };
  if (/^\.(nan|NaN|NAN)$/.test(text)) return { kind: 'number', value: NaN, at, text };
  if (/^[-+.0-9]/.test(text)) {
    // go-yaml hands a leading-dot scalar to strconv.ParseFloat as written: `._5` stays a string.
    const plain = text.startsWith('.') ? text : text.replace(/_/g, '');
    if (GO_INT_BASE0.test(plain)) {
      const negative = plain.startsWith('-');
      const digits = plain.replace(/^[-+]/, '');
      const value = /^0[0-7]+$/.test(digits) ? parseInt(digits, 8) : Number(digits.replace(/^0[oO]/, '0o'));
      if (Number.isFinite(value)) return { kind: 'number', value: negative ? -value : value, at, text };
    }
    // strconv.ParseFloat fails out of range (`1e400`): then the scalar is a string.
    if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain)))
      return { kind: 'number', value: Number(plain), at, text };
  }
  return { kind: 'string', value: text, at, text };
}

/** sigs.k8s.io/yaml turns non-string keys into their JSON text (1 → "1", true → "true"). */
export function scalarKeyText(key: V2Value): string {
  switch (key.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return String(key.value);
    case 'number':
      return Number.isInteger(key.value) ? String(key.value) : key.text;
    case 'string':
      return key.value;
    default:
      return '';
  }
}
