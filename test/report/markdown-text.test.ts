import MarkdownIt from 'markdown-it';
import { describe, expect, test } from 'vitest';
import { code, codeBlock, escapeInline, link, renderLines, row, safeMd, Md } from '../../src/report/markdown-text.js';

/** An independent renderer as the oracle: raw HTML on, every link scheme allowed, so nothing is hidden. */
const renderer = new MarkdownIt({ html: true, linkify: true });
renderer.validateLink = () => true;
const html = (markdown: string): string => renderer.render(markdown);
const inline = (markdown: string): string => renderer.renderInline(markdown);
/** What the reader sees: the rendered HTML's text with entities decoded. */
const shown = (rendered: string): string =>
  rendered
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

const HOSTILE_VALUES: [string, string][] = [
  ['an image tag', '<img src=x onerror=alert(1)>'],
  ['a script tag', '<script>alert(1)</script>'],
  ['an HTML comment that hides the rest', '<!-- '],
  ['a Markdown link', '[click](javascript:alert(1))'],
  ['a Markdown image', '![x](https://e.test/pixel.png)'],
  ['a reference link', '[x][1]\n\n[1]: javascript:alert(1)'],
  ['an autolink', '<https://e.test>'],
  ['a bare URL', 'see https://e.test/x and www.e.test'],
  ['an entity', '&lt;img src=x onerror=alert(1)&gt;'],
  ['emphasis', '**bold** _it_ ~~gone~~'],
  ['a heading after a newline', 'a\n# heading'],
  ['a heading', '# heading'],
  ['a list item', '- item'],
  ['a numbered item', '1. item'],
  ['a quote', '> quoted'],
  ['backslashes', 'C:\\path\\*not*'],
  ['math', '$x^2$'],
  ['backticks', '`code` and ``more``'],
  ['pipes', 'a|b|c'],
];

describe('escapeInline: a value is shown as the same text and never becomes markup', () => {
  test.each(HOSTILE_VALUES)('%s', (_, value) => {
    const rendered = inline(escapeInline(value));
    expect(rendered).not.toMatch(/<(?!\/?p>)[a-z!]/i);
    expect(shown(rendered)).toBe(value.replace(/\n/g, ' '));
  });
});

describe('safeMd``: literal parts are ours, interpolated strings are text', () => {
  test('our markup stays, the value is escaped', () => {
    expect(html(renderLines([safeMd`**User:** ${'<img src=x>'}`]))).toBe(
      '<p><strong>User:</strong> &lt;img src=x&gt;</p>\n',
    );
  });

  test('an Md interpolated into safeMd`` is kept as markup', () => {
    expect(renderLines([safeMd`see ${code('a<b')}`])).toBe('see `a<b`');
  });

  test('an Md cannot be made from a raw string outside its module', () => {
    expect(() => new Md(Symbol('Md') as never, '<img>')).toThrow();
  });
});

describe('code: no value closes the span early', () => {
  test.each<[string, string]>([
    ['a backtick', 'a`b'],
    ['a run of backticks', 'a```b'],
    ['a leading backtick', '`x'],
    ['a trailing backtick', 'x`'],
    ['HTML', '<img src=x onerror=alert(1)>'],
    ['a link', '[x](javascript:alert(1))'],
    ['leading and trailing spaces', ' x '],
  ])('%s', (_, value) => {
    const rendered = inline(code(value).source);
    expect(rendered).toMatch(/^<code>[^<]*<\/code>$/);
    expect(shown(rendered)).toBe(value);
  });
});

describe('codeBlock: the fence outlasts any backticks in the command', () => {
  test('a command holding a fence and HTML stays one code block', () => {
    const rendered = html(renderLines([codeBlock('sh', "echo '\n```\n<img src=x onerror=alert(1)>\n'")]));
    expect(rendered.match(/<pre>/g)).toHaveLength(1);
    expect(rendered).not.toContain('<img');
  });
});

describe('link: only plain https targets are links', () => {
  test('our docs link', () => {
    expect(
      html(renderLines([link(code('a/b'), 'https://github.com/eksauth/eksauth/blob/main/docs/checks/a/b.md')])),
    ).toContain('<a href="https://github.com/eksauth/eksauth/blob/main/docs/checks/a/b.md"><code>a/b</code></a>');
  });

  test.each(['javascript:alert(1)', 'https://e.test/a) ![x](https://e.test/p.png', 'data:text/html,<script>'])(
    '%s is shown as text',
    (url) => {
      const rendered = html(renderLines([link(safeMd`docs`, url)]));
      expect(rendered).not.toMatch(/<a |<img|<script/);
    },
  );
});

describe('row: one cell per value, whatever the value holds', () => {
  test.each<[string, (string | Md)[]]>([
    ['pipes in text', ['a|b', 'c']],
    ['pipes in a code span', [code('a|b'), 'c']],
    ['a backslash before a pipe', ['a\\|b', code('c\\|d')]],
    ['a newline', ['a\n|b', 'c']],
    ['HTML in a cell', ['<img src=x>', code('<script>')]],
  ])('%s', (_, cells) => {
    const table = renderLines([safeMd`| one | two |`, safeMd`|---|---|`, row(cells)]);
    const rendered = html(table);
    const body = rendered.match(/<tbody>[\s\S]*<\/tbody>/)?.[0] ?? '';
    expect(body.match(/<td>/g), table).toHaveLength(2);
    expect(body).not.toMatch(/<img|<script/);
  });
});
