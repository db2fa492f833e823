import { parse as parseHcl } from '@cdktn/hcl2json';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { hclString, shellQuote, type HclItem, type HclValue } from '../../src/core/command.js';
import { DIALECTS, type Finding } from '../../src/core/types.js';
import { allFixtures, fixesOf, hostilise, type FixCase } from '../helpers/fix-corpus.js';
import type { FixFixture } from '../helpers/fix-fixtures.js';
import { FixHarness, type IntendedCommand } from '../helpers/fix-harness.js';

/**
 * Issue 12 item 1: every check's fix, in every dialect, with hostile values in the evidence
 * (ARNs, usernames, groups, namespaces, cluster names, regions, profiles): each printed shell text
 * passes `bash -n` and, run under bash with recorders for the programs it names, runs exactly the
 * argument vectors (and standard input) its JSON `fix.steps[].<dialect>.commands` states, and
 * nothing else. Terraform text parses, and every string value eksauth wrote reads back unchanged.
 */

/** One of each thing a pasted value can do to a shell or to HCL. */
const HOSTILE: [label: string, value: string, at?: 'start'][] = [
  ['quotes and backtick', `q'"\`touch backtick\`'`],
  ['substitution', '$(touch subst)${IFS}$HOME'],
  ['separators', ';touch semi|touch pipe&touch amp&&touch and'],
  ['newline, CR, tab', '\ntouch newline\r\ttab\n'],
  ['unicode: RTL override, zero-width, line separator, emoji', 'é漢🙂\u202eRTL\u200bZW\u2028LS'],
  ['HCL interpolation and escapes', '${path.root}%{ if true }\\"x\\'],
  ['NUL', '\0nul'],
  ['very long', `L${'x;`$('.repeat(300)}`],
  ['leading dash', '--dash-', 'start'],
];

const harness = new FixHarness();
afterAll(() => harness.close());

let fixtures: FixFixture[] = [];
beforeAll(async () => {
  fixtures = await allFixtures();
}, 120_000);

interface Printed {
  label: string;
  text: string;
  commands: IntendedCommand[];
}

/** Every shell text of a fix: each step's dialect, and the whole dialect as printed (all steps). */
function shellTexts(finding: Finding & { fix: NonNullable<Finding['fix']> }): Printed[] {
  const out: Printed[] = [];
  for (const dialect of DIALECTS) {
    if (dialect === 'terraform') continue;
    const steps = finding.fix.steps.flatMap((s) => (s[dialect] ? [s[dialect]] : []));
    steps.forEach((s, i) => out.push({ label: `${dialect} step ${i + 1}`, text: s.text, commands: s.commands ?? [] }));
    const whole = finding.fix[dialect];
    if (whole !== undefined && steps.length > 1)
      out.push({ label: `${dialect} (all steps)`, text: whole, commands: steps.flatMap((s) => s.commands ?? []) });
  }
  return out;
}

/** Terraform JSON keeps `${` as `$${` (it would be an interpolation there): undo that to read the value. */
const fromTerraformJson = (s: string): string => s.replaceAll('$${', '${').replaceAll('%%{', '%{');

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [fromTerraformJson(value)];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** What an HclValue reads back as from hcl2json: strings exact, eksauth's own expressions as `${…}`. */
function expectedJson(value: HclValue): unknown {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return value;
  if ('hclExpr' in value && Object.keys(value).length === 1) return `\${${(value as { hclExpr: string }).hclExpr}}`;
  if (Array.isArray(value)) return value.map((v: HclValue) => expectedJson(v));
  return Object.fromEntries(
    Object.entries(value as Record<string, HclValue | undefined>).flatMap(([k, v]) =>
      v === undefined ? [] : [[k, expectedJson(v)]],
    ),
  );
}

const readBack = (value: unknown): unknown =>
  typeof value === 'string'
    ? fromTerraformJson(value)
    : Array.isArray(value)
      ? value.map(readBack)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readBack(v)]))
        : value;

/** Problems with a fix's Terraform: it must parse, attributes read back as written, hostile text survives. */
async function terraformProblems(c: FixCase, hostile: string): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, step] of c.finding.fix.steps.entries()) {
    const text = step.terraform?.text;
    if (text === undefined) continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = (await parseHcl(`step${i + 1}.tf`, text)) as Record<string, unknown>;
    } catch (error) {
      problems.push(`terraform step ${i + 1} does not parse: ${String(error)}\n${text}`);
      continue;
    }
    const items: HclItem[] = c.steps[i]?.terraform ?? [];
    for (const item of items)
      if (item.kind === 'attribute' && !isDeepStrictEqual(readBack(parsed[item.name]), expectedJson(item.value)))
        problems.push(`terraform attribute ${item.name} reads back as ${JSON.stringify(parsed[item.name])}`);
    // Every string literal of the code (also those inside expressions hcl2json leaves unevaluated),
    // parsed on its own: a value eksauth wrote reads back whole.
    const literals = text
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .flatMap((line) => line.match(/"(?:[^"\\]|\\.)*"/g) ?? []);
    const escaped = hclString(hostile).slice(1, -1);
    if (hostile === '' || !literals.some((l) => l.includes(escaped))) continue;
    const values = await parseHcl('literals.tf', literals.map((l, j) => `l${j} = ${l}`).join('\n'));
    if (!strings(values).some((s) => s.includes(hostile)))
      problems.push(`terraform step ${i + 1}: the value ${JSON.stringify(hostile)} does not read back`);
  }
  return problems;
}

/** The printed fix carries the hostile value somewhere (so the case tests quoting at all). */
const carries = (c: FixCase, hostile: string): boolean =>
  c.finding.fix.steps.some(
    (s) =>
      DIALECTS.some((d) => s[d]?.commands?.some((cmd) => cmd.argv.some((a) => a.includes(hostile)) || cmd.withheld)) ||
      (s.terraform?.text.includes(hclString(hostile).slice(1, -1)) ?? false),
  );

describe('every fix of every check survives hostile values in every dialect', () => {
  const covered = new Map<string, Set<string>>();
  const carried = new Set<string>();

  test.each(HOSTILE)(
    '%s',
    async (_, hostile, at) => {
      const failures: string[] = [];
      const printed: (Printed & { where: string })[] = [];
      // One case per check and message (the first story that reaches it): every check, every dialect.
      const seen = new Set<string>();
      for (const fixture of fixtures) {
        for (const c of fixesOf(hostilise(fixture, hostile, at ?? 'end'))) {
          const id = c.check.meta.id;
          const key = `${id}:${c.finding.messageId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          covered.set(id, (covered.get(id) ?? new Set()).add(c.finding.messageId));
          if (carries(c, hostile)) carried.add(id);
          const where = `${fixture.name} → ${key}`;
          for (const text of shellTexts(c.finding)) printed.push({ ...text, where });
          for (const p of await terraformProblems(c, hostile)) failures.push(`${where}: ${p}`);
          if (at === 'start')
            for (const step of c.finding.fix.steps)
              for (const d of DIALECTS)
                for (const command of step[d]?.commands ?? [])
                  for (const arg of command.argv)
                    // `env VAR=… <exec command>` replays the kubeconfig's own exec entry, word for word as kubectl runs it.
                    if (arg.startsWith(hostile) && command.argv[0] !== 'env')
                      failures.push(
                        `${where} ${d}: ${JSON.stringify(arg)} stands as its own word: ${command.argv[0]} reads it as an option`,
                      );
        }
      }
      harness.problemsOfEach(printed).forEach((problems, i) => {
        const p = printed[i];
        for (const problem of problems) failures.push(`${p?.where} ${p?.label}: ${problem}\n--- text ---\n${p?.text}`);
      });
      expect(failures.slice(0, 5).join('\n\n')).toBe('');
    },
    240_000,
  );

  test('the cases cover every check in the registry (a new check cannot escape)', () => {
    const missing = CHECKS.map((c) => c.meta.id).filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
    const notCarried = CHECKS.map((c) => c.meta.id).filter((id) => !carried.has(id));
    console.log(`checks whose fixes never carry an outside value: ${notCarried.join(' ')}`);
    console.log(
      `messages covered: ${[...covered.values()].reduce((n, s) => n + s.size, 0)} of ${CHECKS.reduce((n, c) => n + Object.keys(c.meta.messages).length, 0)}`,
    );
  });
});

/**
 * Shell syntax written into a template lands in argv as a literal word and runs as data: `export
 * 'NO_PROXY="$NO_PROXY,h"'` sets NO_PROXY to quotes and a dollar sign, `openssl '</dev/null'` gets an
 * argument named `</dev/null`. The recorders cannot see that (the argv matches what the JSON says),
 * so with the stories' own (benign) values no argument may look like shell syntax.
 */
const SHELL_SYNTAX: [what: string, pattern: RegExp][] = [
  ['a redirection', /^[0-9]*(?:<|>|>>|<&|>&)\S*$/],
  ['an expansion', /\$(?:[A-Za-z_{(]|\()/],
  ['a quoted assignment', /^[A-Za-z_][A-Za-z0-9_]*=["']/],
];

test('no printed command carries shell syntax as an argument', () => {
  const failures: string[] = [];
  for (const fixture of fixtures)
    for (const c of fixesOf(fixture.evidence))
      for (const step of c.finding.fix.steps)
        for (const d of DIALECTS)
          for (const command of step[d]?.commands ?? [])
            for (const arg of command.argv)
              for (const [what, pattern] of SHELL_SYNTAX)
                if (pattern.test(arg))
                  failures.push(
                    `${fixture.name} → ${c.check.meta.id} ${d}: ${JSON.stringify(arg)} is ${what}, run as data`,
                  );
  expect(failures).toEqual([]);
});

describe('the harness fails on a planted unquoted argument', () => {
  /** A renderer with the bug the builder exists to prevent: arguments joined unquoted. */
  const unsafe = (commands: IntendedCommand[]): string => commands.map((c) => c.argv.join(' ')).join('\n');
  /** A mutated builder: quotes every argument but the last (the one holding the hostile value). */
  const lastUnquoted = (commands: IntendedCommand[]): string =>
    commands.map((c) => [...c.argv.slice(0, -1).map(shellQuote), c.argv.at(-1) ?? ''].join(' ')).join('\n');

  test.each([
    ['unquoted renderer', unsafe],
    ['builder that leaves one argument unquoted', lastUnquoted],
  ])('%s', (_, render) => {
    // Values the shell reads as syntax (a bare unicode word or a leading dash is still one word).
    const syntax = ['quotes and backtick', 'substitution', 'separators', 'newline, CR, tab', 'very long'];
    const planted: { text: string; commands: IntendedCommand[] }[] = [];
    for (const [, hostile] of HOSTILE.filter(([label]) => syntax.includes(label)))
      for (const name of ['aws-auth--role-arn-has-path', 'access-entry--no-permissions', 'rbac--group-unbound']) {
        const fixture = fixtures.find((f) => f.name === name);
        if (!fixture) throw new Error(`scenario ${name} is gone`);
        for (const c of fixesOf(hostilise(fixture, hostile)))
          for (const step of c.finding.fix.steps)
            for (const d of DIALECTS)
              for (const command of step[d]?.commands ?? [])
                if (!command.stdin && !command.withheld && command.argv.at(-1)?.includes(hostile))
                  planted.push({ text: render([command]), commands: [command] });
      }
    expect(planted.length).toBeGreaterThan(10);
    const reports = harness.problemsOfEach(planted);
    const missed = planted.filter((_, i) => reports[i]?.length === 0).map((p) => p.text);
    expect(missed, 'the harness let a planted unquoted argument through').toEqual([]);
  });
});

describe('a property: random values in the story never change what a fix runs', () => {
  test('random strings', () => {
    const fixture = fixtures.find((f) => f.name === 'seed-aws-auth-configmap-invalid') ?? fixtures[0];
    if (!fixture) throw new Error('no fixtures');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }), (hostile) => {
        const printed = fixesOf(hostilise(fixture, hostile)).flatMap((c) => shellTexts(c.finding));
        harness.problemsOfEach(printed).forEach((problems, i) => expect(problems, printed[i]?.text).toEqual([]));
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
