import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readCanonicalSequence } from '../../src/model/aws-auth/canonical-sequence.js';
import { parseYamlV2, parseYamlV2General } from '../../src/model/aws-auth/yaml-v2.js';

// The fast path must be invisible: for any text it either declines (undefined) or returns exactly
// what the general parser returns, offsets included. These properties hold it to that.

const plainScalars = fc.constantFrom(
  'arn:aws:iam::111122223333:role/ops',
  'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123',
  'system:node:{{EC2PrivateDNSName}}',
  'ops:{{SessionName}}',
  'user-{{AccountID}}-{{SessionNameRaw}}',
  'system:masters',
  'system:bootstrappers',
  'John Smith',
  'a,b',
  'x=y+z@example.com',
  '111122223333',
  '012345678901',
  '0x1F',
  '0o17',
  '1e3',
  '1_000',
  '.5',
  '.inf',
  '.NaN',
  'true',
  'Yes',
  'off',
  'null',
  'Null',
  'y',
  '/leading/slash',
  '_under',
  'trailing.dot.',
  'paren(s)',
);
const quotedScalars = fc.oneof(
  fc.constantFrom('{{SessionName}}', '', 'it is', "it's", 'a: b', '# not a comment', '012', 'true').map((v) => ({
    text: `'${v.replaceAll("'", "''")}'`,
  })),
  fc.constantFrom('{{SessionName}}', '', 'a: b', '#x', 'null', '- item').map((v) => ({ text: `"${v}"` })),
);
const scalar = fc.oneof(
  plainScalars.map((text) => ({ text })),
  quotedScalars,
);
const key = fc.constantFrom(
  'rolearn',
  'userarn',
  'username',
  'groups',
  'roleARN',
  'RoleArn',
  'userid',
  'sso',
  'yes',
  'Off',
  'x_1',
  'k9',
);
const value = fc.oneof(
  { weight: 3, arbitrary: scalar.map((s) => ({ scalar: s.text })) },
  { weight: 1, arbitrary: fc.array(scalar, { minLength: 1, maxLength: 3 }).map((items) => ({ items })) },
);

interface Layout {
  rootIndent: number;
  afterDash: number;
  sequenceIndent: number;
  blankLines: boolean;
  comments: boolean;
  trailingSpaces: boolean;
}

const layout: fc.Arbitrary<Layout> = fc.record({
  rootIndent: fc.nat(3),
  afterDash: fc.integer({ min: 1, max: 3 }),
  sequenceIndent: fc.constantFrom(0, 2, 4),
  blankLines: fc.boolean(),
  comments: fc.boolean(),
  trailingSpaces: fc.boolean(),
});

type Value = { scalar: string } | { items: { text: string }[] };
const rows = fc.array(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 });

function render(document: [string, Value][][], l: Layout): string {
  const lines: string[] = [];
  const pad = (n: number) => ' '.repeat(n);
  const tail = l.trailingSpaces ? '  ' : '';
  for (const row of document) {
    if (l.comments) lines.push(`${pad(l.rootIndent)}# a row`);
    const keyIndent = l.rootIndent + 1 + l.afterDash;
    row.forEach(([k, v], index) => {
      const lead = index === 0 ? `${pad(l.rootIndent)}-${pad(l.afterDash)}` : pad(keyIndent);
      if ('scalar' in v) {
        lines.push(`${lead}${k}: ${v.scalar}${tail}`);
        return;
      }
      lines.push(`${lead}${k}:${tail}`);
      if (l.comments) lines.push(`${pad(keyIndent)}# members`);
      for (const item of v.items) lines.push(`${pad(keyIndent + l.sequenceIndent)}- ${item.text}${tail}`);
    });
    if (l.blankLines) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

const canonicalText = fc.tuple(rows, layout).map(([document, l]) => render(document, l));

/** Characters and fragments that turn canonical text into something else, often something invalid. */
const noise = fc.constantFrom(
  '\t',
  '\r',
  '{',
  '}',
  '[',
  ']',
  '&a ',
  '*a',
  '!!str ',
  '!!int ',
  '|',
  '>',
  '"',
  "'",
  '\\',
  ' #c',
  ': ',
  ':',
  '-',
  '- ',
  '\n',
  '\n  ',
  '\n    x',
  '---\n',
  '? ',
  '<<: ',
  ' ',
  '%',
  '@',
  '`',
  '{{SessionName}}',
);

const mutatedText = fc
  .tuple(canonicalText, fc.array(fc.tuple(noise, fc.nat()), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) =>
    edits.reduce((out, [piece, at]) => {
      const cut = at % (out.length + 1);
      return out.slice(0, cut) + piece + out.slice(cut);
    }, text),
  );

function general(text: string) {
  const parsed = parseYamlV2General(text);
  if (!parsed.ok) throw new Error(`the general parser rejected canonical text: ${parsed.error.message}\n${text}`);
  return parsed.value;
}

describe('canonical aws-auth sequences', () => {
  test('are read by the fast path, with exactly the general parser’s values and offsets', () => {
    fc.assert(
      fc.property(canonicalText, (text) => {
        const fast = readCanonicalSequence(text);
        expect(fast, text).toBeDefined();
        expect(fast).toEqual(general(text));
      }),
      { numRuns: 600 },
    );
  });

  test('mutated, either decline or agree with the general parser', () => {
    let taken = 0;
    fc.assert(
      fc.property(mutatedText, (text) => {
        const fast = readCanonicalSequence(text);
        if (fast === undefined) return;
        taken++;
        const reference = parseYamlV2General(text);
        expect(reference.ok, text).toBe(true);
        if (reference.ok) expect(fast).toEqual(reference.value);
      }),
      { numRuns: 1500 },
    );
    // Some mutations (a space, a blank line) keep the shape: the agreement above was really tested.
    expect(taken).toBeGreaterThan(50);
  });

  test.each([
    ['seed 1: an unquoted template at the start of a value', '- rolearn: r\n  username: {{SessionName}}\n'],
    ['a flow sequence', '- rolearn: r\n  groups: [a, b]\n'],
    ['a key with no value', '- rolearn: r\n  groups:\n'],
    ['a multi-line plain scalar', '- rolearn: r\n  username: a\n    b\n'],
    ['an anchor and alias', '- rolearn: &r r\n  username: *r\n'],
    ['a tag', '- rolearn: !!str r\n'],
    ['an escape in double quotes', '- rolearn: "r\\n"\n'],
    ['a trailing comment', '- rolearn: r # admin\n'],
    ['a tab', '- rolearn: r\n\tusername: u\n'],
    ['CRLF line ends', '- rolearn: r\r\n  username: u\r\n'],
    ['a mapping at the top', 'rolearn: r\n'],
    ['a scalar row', '- r\n'],
    ['a nested sequence row', '- - r\n'],
    ['a document marker', '---\n- rolearn: r\n'],
    ['a merge key', '- <<: {rolearn: r}\n'],
    ['a mis-indented key', '- rolearn: r\n   username: u\n'],
    ['a null key (YAML→JSON refuses the block)', '- rolearn: r\n  ~: u\n'],
    ['a key spelled null', '- null: r\n'],
    ['nothing', ''],
  ])('declines %s, and the general parser decides', (_, text) => {
    expect(readCanonicalSequence(text)).toBeUndefined();
    expect(parseYamlV2(text)).toEqual(parseYamlV2General(text));
  });

  test('reads a compact group list and keeps scalar types as go-yaml v2 resolves them', () => {
    const text = '- rolearn: r\n  groups:\n  - system:masters\n  - 0777\n  username: yes\n';
    expect(readCanonicalSequence(text)).toEqual({
      kind: 'seq',
      at: 0,
      items: [
        {
          kind: 'map',
          at: 2,
          entries: [
            { key: 'rolearn', keyAt: 2, value: { kind: 'string', value: 'r', at: 11, text: 'r' } },
            {
              key: 'groups',
              keyAt: 15,
              value: {
                kind: 'seq',
                at: 25,
                items: [
                  { kind: 'string', value: 'system:masters', at: 27, text: 'system:masters' },
                  { kind: 'number', value: 511, at: 46, text: '0777' },
                ],
              },
            },
            { key: 'username', keyAt: 53, value: { kind: 'bool', value: true, at: 63, text: 'yes' } },
          ],
        },
      ],
    });
  });
});

describe('the fast path at its edges', () => {
  /** Read by the fast path, exactly as the general parser reads it. */
  const reads = (text: string) => {
    const fast = readCanonicalSequence(text);
    expect(fast, text).toBeDefined();
    expect(fast).toEqual(general(text));
  };
  /** Declined, or read exactly as the general parser reads it. */
  const agrees = (text: string) => {
    const fast = readCanonicalSequence(text);
    if (fast === undefined) return;
    const reference = parseYamlV2General(text);
    expect(reference.ok, text).toBe(true);
    if (reference.ok) expect(fast, text).toEqual(reference.value);
  };

  test.each([
    ['no final line break', '- rolearn: r\n  username: u'],
    ['a blank first line', '\n- rolearn: r\n'],
    ['a 1000-character key', `- ${'k'.repeat(1000)}: v\n`],
    ['a group list indented under its key', '- groups:\n    - a\n  username: u\n'],
  ])('reads %s', (_, text) => reads(text));

  test.each([
    ['a key with no value followed by the next row', '- groups:\n- rolearn: r\n'],
    ['a key with no value followed by a scalar row', '- groups:\n- a\n'],
    ['an empty key', '- : x\n'],
    ['a row indented differently from the first', '- rolearn: r\n - rolearn: x\n'],
    ['an empty row', '- rolearn: r\n- \n'],
    ['an empty row alone', '- \n'],
    ['two words with no colon', '- a  b\n'],
    ['an empty group item', '- groups:\n  - \n'],
    ['a key longer than YAML allows', `- ${'k'.repeat(1025)}: v\n`],
  ])('declines or agrees on %s', (_, text) => agrees(text));
});
