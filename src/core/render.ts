import { renderScript, type Script, type TemplateValue } from './command.js';

/**
 * Fills `{name}` placeholders. A placeholder with no value is a bug in a check, so it stays
 * visible as `{name}` rather than silently vanishing; the registry test catches it.
 */
export function fillPlaceholders(template: string, data: Readonly<Record<string, TemplateValue>>): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (whole, name: string) => {
    const value = data[name];
    if (value === undefined) return whole;
    if (typeof value !== 'object') return String(value);
    // A list reads as a list; whole lines of a fix are not message text.
    return value.every((v) => typeof v === 'string') ? value.join(', ') : renderScript(value as Script);
  });
}

export function unfilledPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((m) => m[1] ?? '');
}
