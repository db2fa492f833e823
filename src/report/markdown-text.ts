/**
 * Markdown that eksauth wrote, as a type. Tickets and pull-request pages render Markdown, so a
 * value from outside (an aws-auth username, an ARN, an AWS error text) must stay text there: no
 * raw `<img>` or `<script>`, no link or image, no extra table cell, no escape from a code span.
 *
 * Reporters build `Md` values only through the `safeMd` tagged template (not `md`, which prettier
 * would reformat as embedded Markdown) and the helpers below, whose
 * every string argument is escaped for its context; a plain string is not an `Md`, so the type
 * checker rejects a reporter line that skipped escaping. Control characters are not handled here:
 * the terminal sanitiser (sanitise.ts) runs over all output, Markdown included.
 *
 * Trade-off: finding messages mix our template words with outside values, and only the rendered
 * sentence reaches a reporter, so the whole sentence is escaped as text: the backticks our
 * templates use for code show as literal backticks rather than as code spans.
 */
const made = Symbol('Md');

export class Md {
  /** Only this module can pass `made`: everything else builds Md through safeMd`` and the helpers. */
  constructor(
    key: typeof made,
    readonly source: string,
  ) {
    if (key !== made) throw new Error('Md is built with safeMd`` or the helpers of markdown-text.ts');
  }
}
const ours = (source: string): Md => new Md(made, source);
const oneLine = (text: string): string => text.replace(/\r\n?|\n/g, ' ');

/**
 * Inline text: HTML markup as entities (they work in Markdown and inside raw HTML blocks such as
 * `<summary>`), the punctuation of emphasis, code, links, tables and math backslash-escaped, and
 * what starts a heading or a list escaped at the start; newlines become spaces (a rendered
 * paragraph shows one as a space anyway, and a value must not start a block of its own). `://`
 * and `www.` are broken so that a URL in a value is not turned into a link either.
 */
export function escapeInline(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.');
}

/** Markdown from a template: the literal parts are ours, each interpolated string is escaped text. */
export function safeMd(strings: TemplateStringsArray, ...values: (Md | string | number)[]): Md {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += value instanceof Md ? value.source : escapeInline(String(value));
    out += strings[i + 1] ?? '';
  });
  return ours(out);
}

const longestBacktickRun = (text: string): number =>
  (text.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);

/** A code span no backtick in the value can close early; content is literal, so nothing else is escaped. */
export function code(value: string): Md {
  const text = oneLine(value);
  const fence = '`'.repeat(longestBacktickRun(text) + 1);
  const pad = /^[`\s]|[`\s]$/.test(text) ? ' ' : '';
  return ours(`${fence}${pad}${text}${pad}${fence}`);
}

/** A fenced code block; its fence is longer than any backtick run in the content. */
export function codeBlock(language: string, content: string): Md {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1));
  return ours(`${fence}${language.replace(/[^\w-]/g, '')}\n${content}\n${fence}`);
}

/** A link to a page of ours; anything but a plain https URL is shown as text, never linked. */
export function link(label: Md, url: string): Md {
  if (!/^https:\/\/[^\s<>()\\`"']+$/.test(url)) return safeMd`${label} (${url})`;
  return ours(`[${label.source}](${url})`);
}

/**
 * A table row. GitHub splits rows on every `|` not taken by a backslash escape, even inside a
 * code span, so each unescaped `|` of a cell becomes `\|` (the table removes that backslash).
 */
export function row(cells: readonly (Md | string | number)[]): Md {
  const cell = (value: Md | string | number): string => {
    const source = value instanceof Md ? oneLine(value.source) : escapeInline(String(value));
    return source.replace(/\\.|\|/g, (m) => (m === '|' ? '\\|' : m));
  };
  return ours(`| ${cells.map(cell).join(' | ')} |`);
}

/** The document: one Md per line. */
export const renderLines = (lines: readonly Md[]): string => lines.map((line) => line.source).join('\n');
