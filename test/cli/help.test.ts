import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { HELP_EXAMPLES, type HelpTopic } from '../../src/cli/help-examples.js';
import { ROOT, eksauth } from '../helpers/cli.js';

const topLevel = eksauth(['--help']).stdout;
/** The commands as top-level help lists them, in its order. */
const commandSection = topLevel.slice(topLevel.indexOf('Commands:'), topLevel.indexOf('Options:'));
const commands = [...commandSection.matchAll(/^ {2}eksauth ([a-z-]+)/gm)].map((m) => m[1] ?? '');
const helpOf = new Map(commands.map((command) => [command, eksauth([command, '--help'])]));

describe('eksauth --help', () => {
  test('lists commands in the order a user reaches for them, doctor first', () => {
    expect(commands).toEqual([
      'doctor',
      'whoami',
      'verify',
      'token',
      'decode-token',
      'explain',
      'lint',
      'sandbox',
      'checks',
      'completion',
    ]);
  });

  // `completion` is yargs' own: its --help prints the script itself.
  test.each(commands.filter((c) => c !== 'completion'))('%s --help has two or three real examples', (command) => {
    const { status, stdout } = helpOf.get(command) ?? { status: null, stdout: '' };
    expect(status).toBe(0);
    const examples = HELP_EXAMPLES[command as HelpTopic];
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(3);
    const section = stdout.slice(stdout.indexOf('\nExamples:\n'));
    expect(section.length).toBeGreaterThan(12);
    for (const [line, description] of examples) {
      expect(line).toMatch(new RegExp(`\\$0 ${command}\\b`));
      // yargs wraps long lines into two columns: the description's first words start its row.
      expect(section).toContain(description.split(' ').slice(0, 3).join(' '));
    }
  });

  test('the top level shows the seed story, the sandbox and CI', () => {
    expect(topLevel).toContain('Examples:');
    expect(topLevel).toContain('eksauth doctor --cluster prod --role-arn');
    expect(topLevel).toContain('eksauth doctor --sandbox');
    expect(topLevel).toContain('eksauth verify --expect expectations.yaml --output');
  });

  test('whoami has its own help, not a copy of doctor', () => {
    const whoami = helpOf.get('whoami')?.stdout ?? '';
    const doctor = helpOf.get('doctor')?.stdout ?? '';
    expect(whoami).toContain('eksauth whoami --cluster NAME');
    expect(whoami).toContain('kubectl auth whoami');
    expect(whoami).not.toContain('--can');
    expect(doctor).toContain('--can');
    expect(whoami).not.toContain('eksauth doctor');
  });

  test('token advertises the one output it has', () => {
    const token = helpOf.get('token')?.stdout ?? '';
    expect(token).toMatch(/\[choices: "json"\] \[default: "json"\]/);
    expect(token).not.toContain('markdown');
    expect(eksauth(['--no-color', 'token', '--cluster', 'demo', '-o', 'human']).status).toBe(2);
  });

  test('negatable flags show the spelling people type (--no-color, --no-cache, --no-exec)', () => {
    for (const [command, { stdout }] of helpOf) {
      if (command === 'completion') continue;
      expect(stdout, command).toContain('--no-color');
      expect(stdout, command).not.toMatch(/--(color|cache|exec)\b/);
    }
    expect(helpOf.get('token')?.stdout).toContain('--no-cache');
    expect(helpOf.get('doctor')?.stdout).toContain('--no-exec');
  });
});

describe('README and help spell every flag the same way', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const flagsIn = (text: string) => new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]));

  test.each(commands.filter((c) => c !== 'completion'))(
    "each flag of the README's %s row is in its help",
    (command) => {
      const rows = readme.split('\n').filter((line) => line.startsWith(`| \`eksauth ${command} `));
      expect(rows.length, `README's command table has a row for ${command}`).toBeGreaterThan(0);
      const help = helpOf.get(command)?.stdout ?? '';
      for (const flag of flagsIn(rows.join('\n'))) expect(help, `${command} ${flag}`).toContain(`${flag} `);
    },
  );

  test('the flags every command takes, and completion, are documented as help spells them', () => {
    const common = readme.slice(readme.indexOf('Every command takes')).split('\n\n')[0] ?? '';
    expect(common).toContain('`--no-color`');
    expect(readme).toContain('eksauth completion >> ~/.bashrc');
    for (const flag of flagsIn(common)) {
      const help = flag === '--output' ? helpOf.get('doctor')?.stdout : topLevel;
      expect(help, flag).toContain(flag);
    }
  });
});
