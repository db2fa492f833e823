import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_KEYS } from '../../src/model/aws-auth/types.js';
import { parseYamlV2, parseYamlV2General } from '../../src/model/aws-auth/yaml-v2.js';
import { expectAgreement } from '../referee/agreement.js';
import { lexicalRequest } from '../referee/lexical-cases.js';
import { parseModel } from '../referee/model-answer.js';
import type { RefereeAnswer } from '../referee/referee-client.js';
import { YAML_V2_CASES } from '../referee/yaml-v2-cases.js';

// Every expected value here is the Go referee's (go-yaml v2, sigs.k8s.io/yaml, encoding/json as the
// authenticator calls them), recorded in yaml-v2-answers.json by record-lexical.ts.
const answers = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'referee', 'yaml-v2-answers.json'), 'utf8'),
) as Record<string, RefereeAnswer | undefined>;

const table = YAML_V2_CASES.map((c) => {
  const answer = answers[c.name];
  if (!answer) throw new Error(`no referee answer for "${c.name}": run npx tsx test/referee/record-lexical.ts`);
  return { ...c, answer };
});

/** Go's message for a block it refused, without go-yaml's `line N: ` (the model keeps an offset instead). */
function refereeMessage(answer: RefereeAnswer, block: (typeof BLOCK_KEYS)[number]): string | undefined {
  if (block === 'mapAccounts') return answer.mapAccounts.error;
  return answer[block].failedAt === 'yaml-to-json'
    ? answer[block].error?.replace(/^yaml: line \d+: /, 'yaml: ')
    : undefined;
}

describe('go-yaml v2 decoding (tags, timestamps, refused keys): the model decodes as the Go referee does', () => {
  it.each(table)('$name', ({ answer, ...c }) => {
    expectAgreement(lexicalRequest(c), answer);
  });
});

/**
 * Refusals the model words in Go's style but otherwise (the decision agrees). The other messages in
 * Go's words must be Go's exactly; where the `yaml` library refuses first, its own words stand.
 */
const KNOWN_MESSAGE_DIFFERENCES: Record<string, string> = {
  'a flow null key':
    'go-yaml refuses `, : x` while parsing ("did not find expected node content"); the model reads a null key, which sigs.k8s.io/yaml would refuse',
};

/** Messages the model writes in Go's words (the others are the `yaml` library's). */
const inGoWords = (message: string): boolean => /^(yaml|json): |^Unsupported map key/.test(message);

describe('a block the referee refuses: the model refuses it with Go’s message', () => {
  const refusals = table.flatMap(({ name, data, answer }) =>
    BLOCK_KEYS.flatMap((block) => {
      const expected = refereeMessage(answer, block);
      return expected === undefined ? [] : [{ name, block, expected, data }];
    }),
  );

  it.each(refusals)('$name ($block): $expected', ({ name, block, expected, data }) => {
    const { dropped, diagnostics } = parseModel(lexicalRequest({ name, data })).blocks[block];
    if (block !== 'mapAccounts') expect(dropped).toBe(true);
    const messages = diagnostics.map((d) => d.message);
    if (name in KNOWN_MESSAGE_DIFFERENCES) expect(messages).not.toContain(expected);
    else if (messages.some(inGoWords)) expect(messages).toContain(expected);
    else expect(messages).not.toEqual([]);
  });

  it('every known message difference names a case of the table', () => {
    const names = new Set(YAML_V2_CASES.map((c) => c.name));
    expect(Object.keys(KNOWN_MESSAGE_DIFFERENCES).filter((n) => !names.has(n))).toEqual([]);
  });

  it('compares enough refusals to mean something', () => {
    expect(refusals.length).toBeGreaterThan(60);
  });
});

describe('the canonical fast path and the general parser agree on every block of the table', () => {
  const blocks = table.flatMap(({ name, data }) =>
    Object.entries(data).map(([block, text]) => ({ name, block, text })),
  );
  it.each(blocks)('$name ($block)', ({ text }) => {
    expect(parseYamlV2(text, 'any')).toEqual(parseYamlV2General(text, 'any'));
  });
});

describe('parseYamlV2General on a block without a document', () => {
  it.each(['', '# only a comment\n'])('%j is null, as go-yaml decodes it to nil', (text) => {
    expect(parseYamlV2General(text, 'any')).toEqual({ ok: true, value: { kind: 'null', at: 0, text: '' } });
  });
});
