import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  commandsOf,
  hclString,
  renderScript,
  script,
  sh,
  shellTemplate,
  withStdin,
  type Script,
} from '../../src/core/command.js';

const dir = mkdtempSync(join(tmpdir(), 'eksauth-cmd-'));
const bin = join(dir, 'bin');
const log = join(dir, 'argv');
const marker = join(dir, 'MARKER');
mkdirSync(bin);
// Recorders: each writes its name and arguments NUL-separated, one invocation per record.
for (const name of ['aws', 'eksctl', 'kubectl']) {
  const path = join(bin, name);
  writeFileSync(
    path,
    `#!/bin/bash\nprintf '%s\\0' "$(($# + 1))" "${name}" "$@" >> "$RECORD"\nwhile IFS= read -r _; do :; done\n`,
  );
  chmodSync(path, 0o755);
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs printed text under bash with only the recorders on PATH; returns the recorded argv lists. */
function runRecorded(text: string): string[][] {
  writeFileSync(log, '');
  const file = join(dir, 'fix.sh');
  writeFileSync(file, text);
  execFileSync('/bin/bash', ['-n', file], { stdio: 'ignore' });
  // Exit status is not the question (a missing program is 127): what ran, and with which argv, is.
  spawnSync('/bin/bash', ['--noprofile', '--norc', file], {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { PATH: bin, RECORD: log, MARKER: marker, HOME: dir },
    cwd: dir,
  });
  // Each record: the argument count, then that many NUL-terminated arguments.
  const fields = readFileSync(log, 'utf8').split('\0').slice(0, -1);
  const records: string[][] = [];
  for (let i = 0; i < fields.length;) {
    const count = Number(fields[i]);
    records.push(fields.slice(i + 1, i + 1 + count));
    i += 1 + count;
  }
  return records;
}

/** Values that try to break out: quotes, substitutions, separators, newlines, unicode, long runs. */
const hostile = fc.oneof(
  fc.constantFrom(
    "'",
    '"',
    '`echo > $MARKER`',
    '$(echo > $MARKER)',
    '; echo > $MARKER',
    '| echo > $MARKER',
    '&& echo > $MARKER',
    '\n echo > $MARKER',
    '$MARKER',
    '\\',
    '*',
    '~',
    '#',
    '',
    '-',
    'a=b',
    '{{SessionName}}',
    '${x}',
    'é漢🙂',
    '\u202e',
    "'\"'$(x)'\"'",
    'x'.repeat(5000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\0', '')),
);

describe('shell commands are built from argv and quoted in one place', () => {
  test('every hostile argument reaches the program unchanged and nothing else runs', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), (values) => {
        const lines: Script = script(
          sh`aws eks create-access-entry --cluster-name ${values[0] ?? ''} --region eu-west-2 --principal-arn ${values}`,
          sh`eksctl create iamidentitymapping --arn ${values[0] ?? ''}`,
          withStdin(sh`kubectl apply -f -`, { format: 'yaml', value: { data: values } }),
        );
        const recorded = runRecorded(renderScript(lines));
        expect(recorded).toEqual(lines.flatMap((l) => (l.kind === 'run' ? l.chain.flat().map((c) => c.argv) : [])));
        expect(existsSync(marker)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  test('fix templates fill values word by word', () => {
    const lines = shellTemplate(
      'aws eks describe-cluster --name {cluster} --region {region} {profile}   # note {cluster}',
      {
        cluster: '$(echo > $MARKER)',
        region: 'eu-west-2',
        profile: ['--profile', "it's"],
      },
    );
    expect(runRecorded(renderScript(lines))).toEqual([
      ['aws', 'eks', 'describe-cluster', '--name', '$(echo > $MARKER)', '--region', 'eu-west-2', '--profile', "it's"],
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  test('an input file is a redirection of eksauth, not an argument, and the JSON says so', () => {
    const lines = script({ ...sh`openssl s_client -connect ${"h'ost:443"}`, stdinFile: '/dev/null' });
    expect(renderScript(lines)).toBe("openssl s_client -connect 'h'\\''ost:443' < /dev/null");
    expect(commandsOf(lines)).toEqual([
      { argv: ['openssl', 's_client', '-connect', "h'ost:443"], stdinFile: '/dev/null' },
    ]);
  });

  test('a NUL byte withholds the command with a visible note', () => {
    const text = renderScript(script(sh`aws eks create-access-entry --principal-arn ${'a\0b'}`));
    expect(text).toMatch(/^# withheld: argument 4 of aws contains a NUL byte/);
    expect(runRecorded(text)).toEqual([]);
  });

  test('the recorder catches a planted unquoted argument', () => {
    const planted = (argv: string[]): string => argv.join(' ');
    const argv = ['aws', 'eks', 'create-access-entry', '--principal-arn', 'arn;echo >$MARKER'];
    expect(runRecorded(planted(argv))).not.toEqual([argv]);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });
});

describe('HCL string literals', () => {
  test.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['${var.x}', '"$${var.x}"'],
    ['%{ if x }', '"%%{ if x }"'],
    ['a\nb\tc\r', '"a\\nb\\tc\\r"'],
    ['nul\0', '"nul\\u0000"'],
  ])('%j', (value, expected) => {
    expect(hclString(value)).toBe(expected);
  });
});
