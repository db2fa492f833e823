import MarkdownIt from 'markdown-it';
import { expect } from 'vitest';

/**
 * One value that tries everything a printed string can do to a terminal or to a Markdown page:
 * OSC 52 (writes the clipboard), CSI 2J (clears the screen), the 8-bit C1 CSI (0x9b), BEL, NUL,
 * CR (rewrites the line), a tab, a right-to-left override, a zero-width space, raw HTML, a
 * javascript: link, an image, table pipes and backticks that would end a code span.
 */
export const HOSTILE =
  '\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x9b31m\x00\r\tX\u202eevil\u200b' +
  '<img src=x onerror=alert(1)><script>alert(2)</script>[x](javascript:alert(3))![i](https://e.test/p.png)|p|`t`';

/** The same for a command-line argument, which cannot hold NUL. */
export const HOSTILE_ARG = HOSTILE.replace('\x00', '');

/** Our own SGR codes (src/report/style.ts): bold, dim, their reset, red, green, yellow, cyan, colour reset. */
// eslint-disable-next-line no-control-regex -- our own escape sequences are what it finds
const OWN_SGR = /\x1b\[(?:1|2|22|31|32|33|36|39)m/g;

/**
 * Characters a terminal obeys or that hide or reorder text: C0 but newline, DEL, C1, format
 * characters (bidi, zero-width, BOM, tags), line and paragraph separators, lone surrogates.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Cs}]/u;

/** Text fit for a terminal: nothing unsafe but our own colour codes, and the oddity shown, not hidden. */
export function expectTerminalSafe(text: string, label: string, options: { colour?: boolean } = {}): void {
  const withoutOwnColour = text.replace(OWN_SGR, '');
  if (!options.colour) expect(withoutOwnColour, `${label}: colour where none was asked for`).toBe(text);
  const bad = UNSAFE.exec(withoutOwnColour);
  expect(
    bad &&
      `U+${bad[0].codePointAt(0)?.toString(16).padStart(4, '0')} at ${bad.index}: ${JSON.stringify(withoutOwnColour.slice(Math.max(0, bad.index - 40), bad.index + 40))}`,
    label,
  ).toBeNull();
}

/** Renders Markdown the way a ticket or pull-request page would, with raw HTML on and no link filter. */
const markdown = new MarkdownIt({ html: true, linkify: false });
markdown.validateLink = () => true;

/**
 * Markdown whose outside values stay text: rendered, it holds no element, link or image that
 * eksauth did not write, and every table row has as many cells as its header.
 */
export function expectMarkdownSafe(text: string, label: string): void {
  const html = markdown.render(text);
  expect(html, `${label}: raw HTML survived`).not.toMatch(/<(img|script)\b/i);
  expect(html, `${label}: injected link`).not.toMatch(/href="javascript:/i);
  const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1] ?? '');
  for (const href of links) expect(href, `${label}: only our docs links`).toMatch(/^https:\/\/github\.com\/eksauth\//);
  for (const table of html.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
    const header = (table.match(/<th\b/g) ?? []).length;
    for (const row of table.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) {
      const cells = (row.match(/<t[dh]\b/g) ?? []).length;
      expect(cells, `${label}: a value split a table row: ${row}`).toBe(header);
    }
  }
}

/** The value reached the output, shown escaped: the engineer sees that something odd is there. */
export function expectShownEscaped(text: string, label: string): void {
  expect(text, `${label}: ESC shown as \\u001b`).toContain('\\u001b]52;c;');
  expect(text, `${label}: U+202E shown`).toContain('\\u202e');
}
