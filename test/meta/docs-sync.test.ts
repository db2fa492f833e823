import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { DOC_SECTIONS, FIX_DIALECTS, parseFrontMatter, renderChecksIndex } from '../../src/core/check-docs.js';

const DOCS = join(import.meta.dirname, '../../docs/checks');

function pagesOnDisk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return pagesOnDisk(path);
    return entry.name.endsWith('.md') && entry.name !== 'README.md' && !entry.name.startsWith('_')
      ? [relative(DOCS, path).replace(/\.md$/, '')]
      : [];
  });
}

describe('docs/checks stays in step with the check registry', () => {
  test('every check has a page and every page a check', () => {
    expect(pagesOnDisk(DOCS).sort(), 'add or remove docs/checks/<id>.md to match checks/index.ts').toEqual(
      CHECKS.map((c) => c.meta.id).sort(),
    );
  });

  describe.each(CHECKS.map((c) => [c.meta.id, c] as const))('%s', (id, check) => {
    const path = join(DOCS, `${id}.md`);
    const page = existsSync(path) ? readFileSync(path, 'utf8') : '';

    test('front matter mirrors the metadata', () => {
      expect(parseFrontMatter(page)).toEqual({
        id,
        title: check.meta.title,
        severity: check.meta.severity,
        stage: check.meta.stage,
      });
    });

    test('has the fixed sections, in order, and a fix in all four dialects', () => {
      const h2 = [...page.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      expect(h2).toEqual([...DOC_SECTIONS]);
      const fix = page.slice(page.indexOf('## How to fix'), page.indexOf('## Risks'));
      expect([...fix.matchAll(/^### (.+)$/gm)].map((m) => m[1])).toEqual([...FIX_DIALECTS]);
    });

    test('names every message id', () => {
      for (const messageId of Object.keys(check.meta.messages))
        expect(page, `mention \`${messageId}\``).toContain(`\`${messageId}\``);
    });
  });

  test('the index page is current (run `npm run docs:index`)', () => {
    expect(readFileSync(join(DOCS, 'README.md'), 'utf8')).toBe(renderChecksIndex(CHECKS));
  });
});

describe('docs cite public sources', () => {
  // The research notes the project was built from are not published with it; a page that cites
  // them sends the reader nowhere.
  const UNPUBLISHED =
    /\b(check-catalog|eks-control-plane-facts|authenticator-facts|peers-and-failure-modes|cli-contract|corrections-turn-\d|style-anchors)(\.md)?\b|\bvectors? [A-Z]\d|\bfacts §/;

  function markdownFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return markdownFiles(path);
      return entry.name.endsWith('.md') ? [path] : [];
    });
  }

  const ROOT = join(import.meta.dirname, '../..');
  const files = [...markdownFiles(join(ROOT, 'docs')), join(ROOT, 'README.md')];

  test.each(files.map((f) => [relative(ROOT, f), f]))('%s cites nothing outside the repository', (_name, file) => {
    const offending = readFileSync(file, 'utf8')
      .split('\n')
      .map((line, i) => ({ line: i + 1, text: line }))
      .filter(({ text }) => UNPUBLISHED.test(text));
    expect(offending).toEqual([]);
  });
});
