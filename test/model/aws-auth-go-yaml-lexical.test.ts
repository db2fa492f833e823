import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { asYamlLibraryText, goYamlLexicalError } from '../../src/model/aws-auth/go-yaml-rules.js';
import { BLOCK_KEYS, type BlockKey } from '../../src/model/aws-auth/types.js';
import { parseYamlV2 } from '../../src/model/aws-auth/yaml-v2.js';
import { expectAgreement } from '../referee/agreement.js';
import { corpus } from '../referee/corpus.js';
import { LEXICAL_CASES, lexicalRequest, type LexicalCase } from '../referee/lexical-cases.js';
import { parseModel } from '../referee/model-answer.js';
import type { RefereeAnswer } from '../referee/referee-client.js';

// Every expected value here is the Go referee's (go-yaml v2, sigs.k8s.io/yaml, encoding/json as the
// authenticator calls them), recorded in lexical-answers.json by record-lexical.ts.
const answers = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'referee', 'lexical-answers.json'), 'utf8'),
) as Record<string, RefereeAnswer | undefined>;

function recorded(name: string): RefereeAnswer {
  const answer = answers[name];
  if (!answer) throw new Error(`no referee answer for "${name}": run npx tsx test/referee/record-lexical.ts`);
  return answer;
}

/**
 * Cases where the model decides differently from the referee today (found by this table). They are
 * asserted to still differ, so fixing one fails its test here and it moves to the agreeing cases.
 */
const KNOWN_DIVERGENCES: Record<string, string> = {
  // Found while adding cases for mutation testing: the `yaml` library refuses, go-yaml reads the block.
  'tab-indented line in a flow row, then a literal at the very end':
    'go-yaml reads a flow map in a block sequence continued on a tab-indented line; the `yaml` library: "Flow map in block collection must be sufficiently indented"',
  // The `yaml` library's lexer ends an under-indented quoted scalar before its line break; when that
  // character is an escaped quote it takes the scalar for closed, so the model's repair (which
  // waits for "Missing closing quote", in yaml-v2.ts readDocuments) never runs.
  'quoted username over lines: an escaped quote before the break':
    'go-yaml reads `"a\\"` continued on an under-indented line as `a" b`; the `yaml` library: "Unexpected scalar at node end"',
};

/**
 * Messages that differ only in wording the model does not reproduce (the decision agrees): the
 * other go-yaml / sigs.k8s.io/yaml / encoding/json messages the model writes must be Go's exactly.
 */
const KNOWN_MESSAGE_DIFFERENCES: Record<string, string> = {
  'line of only a tab': 'go-yaml: "found a tab character that violates indentation"',
  'empty key': 'go-yaml refuses `: x` while scanning ("did not find expected key"); the model reads a null key',
};

/** The message Go gave for a refused block, without go-yaml's `line N:` (positions are checked apart). */
function refereeMessage(answer: RefereeAnswer, block: BlockKey): string | undefined {
  const message =
    block === 'mapAccounts'
      ? answer.mapAccounts.error
      : answer[block].failedAt === 'yaml-to-json'
        ? answer[block].error
        : undefined;
  return message?.replace(/line \d+: /g, '').replace(/:\n\s+/g, ': ');
}

/** Messages the model writes in Go's words (the others are the `yaml` library's or JSON.parse's own). */
const inGoWords = (message: string): boolean => /^(yaml|json): |^Unsupported map key/.test(message);

const table = LEXICAL_CASES.map((c: LexicalCase) => ({ ...c, answer: recorded(c.name) }));

describe('go-yaml v2 lexical rules: the model decodes aws-auth as the Go referee does', () => {
  it.each(table.filter((c) => !(c.name in KNOWN_DIVERGENCES)))('$name', ({ answer, ...c }) => {
    expectAgreement(lexicalRequest(c), answer);
  });

  it.each(table.filter((c) => c.name in KNOWN_DIVERGENCES))('known divergence: $name', ({ answer, ...c }) => {
    expect(() => expectAgreement(lexicalRequest(c), answer)).toThrow(/model vs referee/);
  });

  it('every known divergence and message difference names a case of the table', () => {
    const names = new Set(LEXICAL_CASES.map((c) => c.name));
    const stale = [...Object.keys(KNOWN_DIVERGENCES), ...Object.keys(KNOWN_MESSAGE_DIFFERENCES)].filter(
      (n) => !names.has(n),
    );
    expect(stale).toEqual([]);
  });
});

describe('a block the referee refuses: the model refuses it with Go’s message', () => {
  const refusals = table.flatMap(({ answer, ...c }) =>
    c.name in KNOWN_DIVERGENCES
      ? []
      : BLOCK_KEYS.flatMap((block) => {
          const expected = refereeMessage(answer, block);
          return expected === undefined ? [] : [{ name: c.name, block, expected, data: c.data }];
        }),
  );

  it.each(refusals)('$name ($block)', ({ name, block, expected, data }) => {
    const awsAuth = parseModel(lexicalRequest({ name, data }));
    const refusal = awsAuth.blocks[block].diagnostics.find((d) => d.kind === 'yaml-syntax' || d.kind === 'not-a-list');
    if (block === 'mapAccounts' && !refusal) {
      // yaml.v2 reports an item it skipped, and keeps the rest: the model does so per item.
      const skipped = awsAuth.blocks.mapAccounts.diagnostics.map((d) => d.message);
      expect(skipped).toEqual([expected]);
      return;
    }
    expect(awsAuth.blocks[block].dropped).toBe(true);
    const message = refusal?.message ?? '';
    if (name in KNOWN_MESSAGE_DIFFERENCES) expect(message).not.toBe(expected);
    else if (inGoWords(message)) expect(message).toBe(expected);
    else expect(message).not.toBe('');
  });
});

/**
 * go-yaml v2 prints `line N:` from the error's mark (decode.go fail()): a scanner error's 0-based
 * line plus one, a parser error's 0-based line as it is, nothing when that is 0. Scanner and parser
 * messages the model writes in Go's words must sit on that line of the block's text (decoder
 * errors and the reader's control-character error carry no line and are not compared).
 */
const SCANNER_ERRORS = [
  'found character that cannot start any token',
  'found unknown escape character',
  'did not find expected hexdecimal number',
  'found invalid Unicode character escape code',
  'found a tab character where an indentation space is expected',
  "could not find expected ':'",
];
const PARSER_ERRORS = ['did not find expected node content', 'found incompatible YAML document'];
/** go-yaml's line breaks: LF, CR, CRLF, NEL, LS, PS. */
const lineOf = (text: string, at: number): number =>
  (text.slice(0, at).match(/\r\n|[\n\r\u0085\u2028\u2029]/g) ?? []).length + 1;

describe('a refusal in go-yaml’s words is on go-yaml’s line', () => {
  const located = [
    ...table
      .filter((c) => !(c.name in KNOWN_DIVERGENCES))
      .map((c) => ({ name: c.name, data: c.data, answer: c.answer })),
    ...corpus.map((c) => ({ name: c.name, data: c.request.data, answer: c.referee })),
  ].flatMap(({ name, data, answer }) =>
    (['mapRoles', 'mapUsers'] as const).flatMap((block) => {
      const match = /^yaml: (?:line (\d+): )?(.*)$/.exec(answer[block].error ?? '');
      if (answer[block].failedAt !== 'yaml-to-json' || !match) return [];
      const [, printed = '0', problem = ''] = match;
      const line = SCANNER_ERRORS.includes(problem)
        ? Math.max(Number(printed), 1)
        : PARSER_ERRORS.includes(problem)
          ? Number(printed) + 1
          : undefined;
      return line === undefined ? [] : [{ name, block, text: data[block] ?? '', problem, line }];
    }),
  );

  it.each(located)('$name ($block): $problem, line $line', ({ text, problem, line }) => {
    const parsed = parseYamlV2(text);
    if (parsed.ok) throw new Error('the model reads a block go-yaml refuses');
    if (parsed.error.message !== `yaml: ${problem}`) return; // worded by the `yaml` library: no position claim
    expect(lineOf(text, parsed.error.at)).toBe(line);
  });

  it('compares enough refusals to mean something', () => {
    expect(located.length).toBeGreaterThan(20);
  });
});

/**
 * The model asks its own go-yaml rules (tabs, escapes, block scalar indentation) only when the `yaml`
 * library reads a block; where the library refuses too, its message is the model's. Applied to the
 * whole text anyway, the rules must find what go-yaml found: its problem, on its line, at the
 * character go-yaml's scanner stops at (the tab, or the backslash of an unknown escape).
 */
const RULE_PROBLEMS = [
  'found character that cannot start any token',
  'found unknown escape character',
  'did not find expected hexdecimal number',
  'found invalid Unicode character escape code',
  'found a tab character where an indentation space is expected',
];
const VIOLATES_INDENTATION = 'found a tab character that violates indentation';
/** Refusals of those kinds that no rule of the model implements (the `yaml` library's own refusal decides). */
const NOT_A_RULE: Record<string, string> = {
  'plain group "@x"': 'a reserved character, not a tab or an escape: the `yaml` library refuses it',
  'YAML 1.2 directive indented': 'an indented `%` cannot start a plain scalar: the `yaml` library refuses it',
};

function ruleVerdict(text: string) {
  const whole = asYamlLibraryText(text);
  const docs = parseAllDocuments(whole, {
    schema: 'failsafe',
    version: '1.1',
    uniqueKeys: false,
    strict: true,
    prettyErrors: false,
  });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  const end = (Array.isArray(docs) ? docs[1]?.range[0] : undefined) ?? whole.length;
  return goYamlLexicalError(whole, doc, end);
}

describe('go-yaml’s tab and escape rules find go-yaml’s refusal, even where the `yaml` library refuses first', () => {
  const refusals = table
    .filter((c) => !(c.name in KNOWN_DIVERGENCES) && !(c.name in NOT_A_RULE))
    .flatMap(({ name, data, answer }) =>
      BLOCK_KEYS.flatMap((block) => {
        const error = block === 'mapAccounts' ? answer.mapAccounts.error : answer[block].error;
        const match = /^yaml: (?:line (\d+): )?(.*)$/.exec(error ?? '');
        const [, printed = '0', goProblem = ''] = match ?? [];
        // The model words go-yaml's "violates indentation" as its other tab error (KNOWN_MESSAGE_DIFFERENCES).
        const problem = goProblem === VIOLATES_INDENTATION ? 'found character that cannot start any token' : goProblem;
        if (!match || !RULE_PROBLEMS.includes(problem)) return [];
        return [{ name, block, text: data[block] ?? '', problem, line: Math.max(Number(printed), 1) }];
      }),
    );

  it.each(refusals)('$name ($block): $problem, line $line', ({ text, problem, line }) => {
    const verdict = ruleVerdict(text);
    expect(verdict?.message).toBe(`yaml: ${problem}`);
    expect(lineOf(text, verdict?.at ?? -1)).toBe(line);
    // go-yaml's mark: the tab itself; an unknown escape's backslash.
    if (/tab|cannot start/.test(problem)) expect(text[verdict?.at ?? -1]).toBe('\t');
    if (problem === 'found unknown escape character') expect(text[verdict?.at ?? -1]).toBe('\\');
  });

  it('compares enough refusals to mean something, and every exception names a case', () => {
    expect(refusals.length).toBeGreaterThan(20);
    expect(Object.keys(NOT_A_RULE).filter((n) => !LEXICAL_CASES.some((c) => c.name === n))).toEqual([]);
  });
});

/**
 * encoding/json reports the first type error of a block (decodeState.saveError keeps the first).
 * The referee decodes into its own types (main.roleRow, main.userRow, main.ssoMatcher); the
 * authenticator's are config.RoleMapping, config.UserMapping and config.SSOARNMatcher.
 */
const goTypeNames = (message: string): string =>
  message
    .replace(/\bmain\.roleRow\b|\broleRow\b/g, (m) => (m.startsWith('main.') ? 'config.RoleMapping' : 'RoleMapping'))
    .replace(/\bmain\.userRow\b|\buserRow\b/g, (m) => (m.startsWith('main.') ? 'config.UserMapping' : 'UserMapping'))
    .replace(/\bmain\.ssoMatcher\b|\bssoMatcher\b/g, (m) =>
      m.startsWith('main.') ? 'config.SSOARNMatcher' : 'SSOARNMatcher',
    );

/** Where the model's first type error is not Go's, what it is instead (derived from Go's message). */
const KNOWN_TYPE_ERROR_DIFFERENCES: Record<string, { why: string; model: (go: string) => string }> = {
  'sso with numeric account': {
    why: 'Go names the nested field by its path (`SSOARNMatcher.sso.accountID`), the model `SSOARNMatcher.accountID`',
    model: (go) => go.replace('SSOARNMatcher.sso.', 'SSOARNMatcher.'),
  },
  'indented root that is not a list': {
    why: 'go-yaml reads the indented map `-rolearn: x` and stops at the dedent; the model (goYamlReadsUpTo knows indented lists only) reports a syntax error instead',
    model: () => 'Unexpected seq-item-ind at node end',
  },
  'indented root list, a dash inside its first line': {
    why: 'the same: an indented map whose first line holds `- ` is no list to goYamlReadsUpTo',
    model: () => 'Unexpected seq-item-ind at node end',
  },
};

describe('a type error the referee reports: the model’s first type error of the block is Go’s', () => {
  const typeErrors = table
    .filter((c) => !(c.name in KNOWN_DIVERGENCES))
    .flatMap(({ name, data, answer }) =>
      (['mapRoles', 'mapUsers'] as const).flatMap((block) =>
        answer[block].failedAt === 'json-type'
          ? [{ name, block, data, expected: goTypeNames(answer[block].error ?? '') }]
          : [],
      ),
    );

  it.each(typeErrors)('$name ($block)', ({ name, block, data, expected }) => {
    const diagnostics = parseModel(lexicalRequest({ name, data })).blocks[block].diagnostics;
    const first = diagnostics.find((d) => d.kind === 'type-error' || d.kind === 'not-a-list');
    const known = KNOWN_TYPE_ERROR_DIFFERENCES[name];
    if (known) {
      expect(first?.message).not.toBe(expected);
      expect(diagnostics[0]?.message).toBe(known.model(expected));
    } else expect(first?.message).toBe(expected);
  });

  it('compares enough type errors to mean something', () => {
    expect(typeErrors.length).toBeGreaterThan(50);
    const names = new Set(LEXICAL_CASES.map((c) => c.name));
    expect(Object.keys(KNOWN_TYPE_ERROR_DIFFERENCES).filter((n) => !names.has(n))).toEqual([]);
  });
});
