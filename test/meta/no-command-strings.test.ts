import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';

const CHECKS = join(import.meta.dirname, '../../checks');

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/**
 * A JS template literal that writes a kubectl/eksctl/aws command and interpolates a value would put
 * that value into shell text unquoted. Commands are built with sh`…` (argv) or fix templates, whose
 * `{holes}` src/core/command.ts fills word by word; only prose (messages, comments) may interpolate.
 */
const COMMAND_START = /(?:^|\n)\s*(?:kubectl|eksctl|aws)\s+[a-z]/;

export function commandLiterals(source: string, name = 'x.ts'): string[] {
  const file = ts.createSourceFile(name, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node) && !ts.isTaggedTemplateExpression(node.parent)) {
      const text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('${}');
      if (COMMAND_START.test(text)) found.push(text.slice(0, 100));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test('no check interpolates values into a command line', () => {
  const offenders = files(CHECKS).flatMap((file) =>
    commandLiterals(readFileSync(file, 'utf8'), file).map((text) => `${relative(CHECKS, file)}: ${text}`),
  );
  expect(offenders).toEqual([]);
});

test('the scan catches a planted command line', () => {
  expect(commandLiterals('const x = `aws eks create-access-entry --principal-arn ${arn}`;')).toHaveLength(1);
  expect(commandLiterals('const x = `# note\\nkubectl get cm ${name}`;')).toHaveLength(1);
  expect(commandLiterals('const x = sh`aws eks describe-cluster --name ${name}`;')).toEqual([]);
});
