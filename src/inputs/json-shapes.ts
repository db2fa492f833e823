/** Narrowing helpers for JSON the user pastes: unknown in, typed out, never a throw. */
export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
export const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** AWS timestamps arrive as epoch seconds (the API) or ISO strings (the CLI's formatting). */
export function timestamp(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return undefined;
}

/**
 * Accepts the shapes people paste: the bare object, the CLI's wrapper (`{"cluster": {...}}`), a
 * list, or a list wrapper (`{"accessEntries": [...]}`).
 */
export function listOf(value: unknown, singular: string, plural: string): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return undefined;
  if (Array.isArray(value[plural])) return value[plural] as unknown[];
  if (isObject(value[singular])) return [value[singular]];
  return [value];
}
