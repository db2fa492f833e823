import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderedDialect } from '../../src/core/types.js';

/**
 * Runs printed fix text under bash the way an engineer pastes it, with every program it is meant to
 * start replaced by a recorder, and says everything that differs from what the fix's JSON says it runs:
 * a line `bash -n` refuses, an argument vector or standard input that differs, a program nobody meant
 * to start (a canary catches it), a file written that no `> file` of the fix names.
 */
export type IntendedCommand = NonNullable<RenderedDialect['commands']>[number];

export interface Recorded {
  argv: string[];
  stdin: string;
}

const BASH = '/bin/bash';
/** Builtins a fix may name on purpose: a function of the same name records them (functions win in bash). */
const RECORDED_BUILTINS = ['command', 'unset', 'export', 'cd', 'echo', 'printf', 'read', 'set', 'source', 'exec'];

export class FixHarness {
  private readonly dir = mkdtempSync(join(tmpdir(), 'eksauth-fix-harness-'));
  private readonly bin = join(this.dir, 'bin');
  private readonly record = join(this.dir, 'record');
  private readonly canary = join(this.dir, 'canary');
  private readonly bashEnv = join(this.dir, 'bash-env');
  private readonly programs = new Set<string>();

  constructor() {
    mkdirSync(this.bin);
    for (const name of ['aws', 'eksctl', 'kubectl', 'eksauth']) this.recorder(name);
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A program on PATH that appends its argv and standard input to the record, NUL-separated. */
  private recorder(name: string): void {
    if (this.programs.has(name) || name.includes('/') || name.includes('\0') || name === '') return;
    this.programs.add(name);
    if (RECORDED_BUILTINS.includes(name)) return;
    const path = join(this.bin, name);
    writeFileSync(
      path,
      `#!${BASH}\nIFS= read -r -d '' __in; { printf '%s\\0' "$(($# + 1))" ${shellWord(name)} "$@" "$__in"; } >> "$RECORD"\n`,
    );
    chmodSync(path, 0o755);
  }

  /** The environment file bash reads first: builtin recorders, and the canary for any other program. */
  private writeBashEnv(): void {
    const builtins = RECORDED_BUILTINS.filter((b) => this.programs.has(b)).map(
      (b) => `${b}() { builtin printf '%s\\0' "$(($# + 1))" ${b} "$@" '' >> "$RECORD"; }`,
    );
    writeFileSync(
      this.bashEnv,
      [`command_not_found_handle() { builtin printf '%s ' "$@" >> "$CANARY"; return 127; }`, ...builtins, ''].join(
        '\n',
      ),
    );
  }

  /** What differs between running `text` and the intended commands (empty: it runs exactly them). */
  problems(text: string, intended: readonly IntendedCommand[]): string[] {
    return this.problemsOfEach([{ text, commands: intended }])[0] ?? [];
  }

  /**
   * The problems of each printed text, all run by one bash process (each in its own subshell, in
   * an empty directory, with markers between them in the records), so thousands of fixes take
   * seconds. Commands the JSON marks withheld must not run at all.
   */
  problemsOfEach(cases: readonly { text: string; commands: readonly IntendedCommand[] }[]): string[][] {
    for (const c of cases)
      for (const command of c.commands) if (command.argv[0] !== undefined) this.recorder(command.argv[0]);
    this.writeBashEnv();
    const work = mkdtempSync(join(this.dir, 'cwd-'));
    const files = join(this.dir, 'files');
    const script = join(this.dir, 'fix.sh');
    const marker = (i: number, into: string): string => `builtin printf 'CASE${i}\\0' >> "$${into}"`;
    const body = cases.map((c, i) =>
      [
        marker(i, 'RECORD'),
        marker(i, 'CANARY'),
        marker(i, 'FILES'),
        '(',
        c.text,
        ':',
        ')',
        '__f=(*)',
        '((${#__f[@]})) && builtin printf \'%s\\0\' "${__f[@]}" >> "$FILES" && /bin/rm -rf -- "${__f[@]}"',
      ].join('\n'),
    );
    writeFileSync(script, ['shopt -s nullglob dotglob', ...body, ''].join('\n'));
    for (const f of [this.record, this.canary, files]) writeFileSync(f, '');
    const out: string[][] = cases.map(() => []);
    if (spawnSync(BASH, ['-n', script]).status !== 0)
      cases.forEach((c, i) => {
        writeFileSync(script, c.text);
        const syntax = spawnSync(BASH, ['-n', script], { encoding: 'utf8' });
        if (syntax.status !== 0) out[i]?.push(`bash -n refuses it: ${syntax.stderr.trim()}`);
      });
    // Run the ones bash accepts (the others already have their problem).
    const valid = cases.flatMap((c, i) => (out[i]?.length === 0 ? [i] : []));
    if (valid.length < cases.length) {
      const ran = valid.length > 0 ? this.problemsOfEach(valid.map((i) => cases[i] as (typeof cases)[number])) : [];
      valid.forEach((i, j) => out[i]?.push(...(ran[j] ?? [])));
      return out;
    }
    const ran = spawnSync(BASH, ['--noprofile', '--norc', script], {
      stdio: ['ignore', 'ignore', 'ignore'],
      cwd: work,
      timeout: 300_000,
      env: {
        PATH: this.bin,
        RECORD: this.record,
        CANARY: this.canary,
        FILES: files,
        BASH_ENV: this.bashEnv,
        HOME: work,
      },
    });
    if (ran.error) throw ran.error;
    const records = byCase(readFileSync(this.record, 'utf8'), cases.length);
    const canaries = byCase(readFileSync(this.canary, 'utf8'), cases.length);
    const written = byCase(readFileSync(files, 'utf8'), cases.length);
    cases.forEach((c, i) => {
      const problems = out[i] ?? [];
      const recorded = parseRecords(records[i] ?? '');
      const expected: Recorded[] = c.commands
        .filter((command) => command.withheld === undefined)
        .map((command) => ({ argv: command.argv, stdin: command.stdin ?? '' }));
      if (JSON.stringify(recorded) !== JSON.stringify(expected))
        problems.push(`ran ${JSON.stringify(recorded)}\nintended ${JSON.stringify(expected)}`);
      if (canaries[i]) problems.push(`started a program nobody asked for: ${JSON.stringify(canaries[i])}`);
      const wrote = (written[i] ?? '').split('\0').filter(Boolean).sort();
      const allowed = [
        ...new Set(
          c.commands.flatMap((command) =>
            command.withheld === undefined && command.stdoutFile ? [command.stdoutFile] : [],
          ),
        ),
      ].sort();
      if (JSON.stringify(wrote) !== JSON.stringify(allowed))
        problems.push(`wrote files ${JSON.stringify(wrote)}, the fix names ${JSON.stringify(allowed)}`);
    });
    rmSync(work, { recursive: true, force: true });
    return out;
  }
}

/** A record file cut at the `CASE<i>` markers. */
function byCase(text: string, count: number): string[] {
  const out: string[] = Array.from({ length: count }, () => '');
  const parts = text.split(/CASE(\d+)\0/);
  for (let j = 1; j < parts.length; j += 2) out[Number(parts[j])] = parts[j + 1] ?? '';
  return out;
}

function parseRecords(text: string): Recorded[] {
  const fields = text.split('\0');
  const records: Recorded[] = [];
  for (let i = 0; i + 1 < fields.length;) {
    const count = Number(fields[i]);
    if (!Number.isInteger(count) || count < 1) break;
    records.push({ argv: fields.slice(i + 1, i + 1 + count), stdin: fields[i + 1 + count] ?? '' });
    i += count + 2;
  }
  return records;
}

const shellWord = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;
