import type { V2Entry, V2Value } from './yaml-v2.js';

/**
 * Go's encoding/json decoding of the YAML→JSON output into the authenticator's config structs:
 * field names match exactly or case-insensitively, a wrong type leaves the field empty and is
 * logged, and decoding goes on (authenticator-facts.md §4.2, test vectors D12, D13).
 */
export interface DecodedField<T> {
  value: T;
  /** The JSON key as spelled in the input. */
  key: string;
  at: number;
}

export interface TypeError_ {
  message: string;
  at: number;
}

export type FieldSpec = Record<string, 'string' | 'string[]' | 'object'>;

/** JSON marshalling of map[string]interface{} sorts keys, so later (sorted) keys win on a clash. */
function sortedEntries(entries: V2Entry[]): V2Entry[] {
  const unique = new Map<string, V2Entry>();
  for (const entry of entries) unique.set(entry.key, entry);
  return [...unique.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function jsonKind(value: V2Value): string {
  switch (value.kind) {
    case 'map':
      return 'object';
    case 'seq':
      return 'array';
    default:
      return value.kind;
  }
}

/**
 * encoding/json's key match: exact, else case-insensitive with the two folds its ASCII field names
 * admit beyond ASCII (ſ U+017F = s, K U+212A = k); any other non-ASCII character never matches.
 */
const goFoldedKey = (key: string): string =>
  key
    .replace(/\u017f/g, 's')
    .replace(/\u212a/g, 'k')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());

/** A field decode that left the field as it was (Go: a type error, or `null` for a string). */
const UNCHANGED = Symbol('unchanged');

export function decodeStruct(
  value: V2Value,
  spec: FieldSpec,
  goType: string,
  errors: TypeError_[],
): Record<string, DecodedField<unknown>> | null {
  if (value.kind === 'null') return {};
  if (value.kind !== 'map') {
    errors.push({ message: `json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`, at: value.at });
    return null;
  }
  const fields: Record<string, DecodedField<unknown>> = {};
  const specNames = Object.keys(spec);
  // Every spelling of a field is decoded in sorted key order into the same Go field.
  for (const entry of sortedEntries(value.entries)) {
    const field =
      specNames.find((n) => n === entry.key) ?? specNames.find((n) => n.toLowerCase() === goFoldedKey(entry.key));
    if (field === undefined) continue;
    const kind = spec[field];
    const previous = fields[field]?.value;
    const decoded = decodeField(
      entry.value,
      kind ?? 'string',
      `${goType.split('.').pop() ?? goType}.${field}`,
      errors,
      previous,
    );
    if (decoded !== UNCHANGED) fields[field] = { value: decoded, key: entry.key, at: entry.keyAt };
  }
  return fields;
}

/**
 * A pointer-to-struct field (the `sso` matcher), as the maps to decode into it in order: Go
 * decodes an object into the struct already there (fields merge), allocates the struct before it
 * sees a wrong type (the field is then an empty struct, not nil), and `null` sets it to nil.
 */
function decodePointer(
  value: V2Value,
  previous: unknown,
  typeError: (goKind: string) => typeof UNCHANGED,
): V2Value[] | typeof UNCHANGED {
  const existing = Array.isArray(previous) ? (previous as V2Value[]) : [];
  if (value.kind === 'map') return [...existing, value];
  typeError('config.SSOARNMatcher');
  // No object to decode: an empty list still reads as a (now allocated) empty struct.
  return existing.length > 0 ? UNCHANGED : [];
}

function decodeField(
  value: V2Value,
  kind: 'string' | 'string[]' | 'object',
  goField: string,
  errors: TypeError_[],
  previous: unknown,
): unknown {
  // null sets a slice or a pointer to nil (no groups, no sso) and leaves a string as it was.
  if (value.kind === 'null') return kind === 'string' ? UNCHANGED : null;
  const typeError = (goKind: string): typeof UNCHANGED => {
    errors.push({
      message: `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${goField} of type ${goKind}`,
      at: value.at,
    });
    return UNCHANGED;
  };
  if (kind === 'string') return value.kind === 'string' ? value.value : typeError('string');
  if (kind === 'object') return decodePointer(value, previous, typeError);
  if (value.kind !== 'seq') return typeError('[]string');
  // A slice is decoded in place: an element that fails (or is null) keeps what the earlier spelling put there.
  const earlier = Array.isArray(previous) ? (previous as string[]) : [];
  return value.items.map((item, index) => {
    if (item.kind === 'string') return item.value;
    if (item.kind !== 'null')
      errors.push({
        message: `json: cannot unmarshal ${jsonKind(item)} into Go struct field ${goField} of type string`,
        at: item.at,
      });
    return earlier[index] ?? '';
  });
}
