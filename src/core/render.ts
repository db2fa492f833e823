/**
 * Fills `{name}` placeholders. A placeholder with no value is a bug in a check, so it stays
 * visible as `{name}` rather than silently vanishing; the registry test catches it.
 */
export function fillPlaceholders(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (whole, name: string) =>
    name in data ? String(data[name]) : whole,
  );
}

export function unfilledPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((m) => m[1] ?? '');
}
