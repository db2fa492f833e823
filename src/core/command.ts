import { stringify as toYaml } from 'yaml';

/**
 * The one place fix commands become text. Checks describe commands as data (argument vectors,
 * payloads, HCL values) and never as shell or HCL source: every value from outside (ARNs from
 * aws-auth, usernames, group names) is quoted here, so a backtick or `$(…)` in it stays a
 * character and cannot run when the printed line is pasted.
 *
 * NUL: no command line can carry a NUL byte (argv strings end at it), so a command with one in an
 * argument is withheld: it is printed as a comment saying so, and its JSON form says `withheld`.
 */

/** A document fed to a command on standard input, serialised here (never interpolated). */
export interface Payload {
  /** `yaml-documents`: `value` is a list, written as YAML documents separated by `---`. */
  format: 'yaml' | 'yaml-documents' | 'json';
  value: unknown;
}

/** One program run: its argument vector, and optionally what it reads and where its output goes. */
export interface Command {
  argv: string[];
  stdin?: Payload;
  /** A file name its standard output is written to. */
  stdoutFile?: string;
  /** A file its standard input is read from (`< /dev/null`: a program that would wait for typing does not). */
  stdinFile?: string;
  /** Its standard error goes where its standard output goes (`2>&1`, e.g. to grep `--debug` output). */
  stderrToStdout?: boolean;
}

/** A printed line: a note, or commands joined by pipes (`|`) and then by `&&`. */
export type ShellLine = { kind: 'comment'; text: string } | { kind: 'run'; chain: Command[][]; note?: string };

export type Script = ShellLine[];

/** An HCL expression written by eksauth itself (a reference or function call), never from a value. */
export interface HclExpr {
  readonly hclExpr: string;
}
export type HclValue =
  string | number | boolean | HclExpr | readonly HclValue[] | { readonly [key: string]: HclValue | undefined };

/** One top-level item of a Terraform snippet. */
export type HclItem =
  | { kind: 'comment'; text: string }
  /** eksauth's own HCL text, with every value already escaped (hclTemplate). */
  | { kind: 'verbatim'; text: string }
  | { kind: 'attribute'; name: string; value: HclValue }
  | { kind: 'block'; type: string; labels: string[]; body: HclItem[] };

export type HclScript = HclItem[];

// ---------------------------------------------------------------------------------------------
// Builders: what checks use.

/**
 * A command from a template whose literal text is split on whitespace into words; every
 * interpolated value is data: a string is (part of) one word, an array adds one word per element.
 * `sh` + template `aws eks describe-cluster --name ${name}` → argv ['aws', 'eks', 'describe-cluster', '--name', name].
 */
export function sh(
  strings: TemplateStringsArray,
  ...values: readonly (string | number | readonly string[])[]
): Command {
  const argv: string[] = [];
  let current: string | undefined;
  // Whether the current word begins with a value (not template text): then a leading `-` is data.
  let fromValue = false;
  const flush = (): void => {
    if (current !== undefined) {
      if (fromValue) bindToOption(argv, current);
      else argv.push(current);
    }
    current = undefined;
    fromValue = false;
  };
  strings.forEach((literal, i) => {
    const pieces = literal.split(/\s+/);
    pieces.forEach((piece, j) => {
      if (j > 0) flush();
      if (piece !== '') current = (current ?? '') + piece;
    });
    if (i >= values.length) return;
    const value = values[i];
    if (Array.isArray(value)) {
      if (current !== undefined) throw new Error('sh``: a list value must stand as its own words');
      argv.push(...(value as readonly string[]));
    } else {
      if (current === undefined) fromValue = true;
      current = (current ?? '') + String(value);
    }
  });
  flush();
  return { argv };
}

/**
 * `--flag value`, or `--flag=value` when the value starts with `-`: as a word of its own such a value
 * is read as another option (a group named `--endpoint-url=https://…` would redirect the aws CLI).
 * The aws CLI (argparse), eksctl and kubectl (pflag) all read `--flag=value`.
 */
export const option = (flag: string, value: string): string[] =>
  value.startsWith('-') ? [`${flag}=${value}`] : [flag, value];

/**
 * An aws CLI list option (`--kubernetes-groups a b`); as a JSON list when a value starts with `-`,
 * which the aws CLI reads as the same list (checked against aws-cli 1.45).
 */
export const listOption = (flag: string, values: readonly string[]): string[] =>
  values.some((v) => v.startsWith('-')) ? [flag, JSON.stringify(values)] : [flag, ...values];

/** Joins a value word that starts with `-` to the long option before it (see `option`). */
function bindToOption(argv: string[], value: string): void {
  const previous = argv.at(-1);
  if (value.startsWith('-') && previous !== undefined && /^--[A-Za-z0-9-]+$/.test(previous))
    argv[argv.length - 1] = `${previous}=${value}`;
  else argv.push(value);
}

/** A command reading a serialised document on standard input (`-f -`). */
export const withStdin = (command: Command, stdin: Payload): Command => ({ ...command, stdin });
export const toFile = (command: Command, stdoutFile: string): Command => ({ ...command, stdoutFile });

/** A line of commands piped into each other. */
export const pipe = (...commands: Command[]): ShellLine => ({ kind: 'run', chain: [commands] });
/** One command on its own line. */
export const run = (command: Command, note?: string): ShellLine => ({
  kind: 'run',
  chain: [[command]],
  ...(note !== undefined ? { note } : {}),
});
export const comment = (text: string): ShellLine => ({ kind: 'comment', text });
/** Commands and notes as printed lines, in order. */
export const script = (...lines: (ShellLine | Command)[]): Script => lines.map((l) => ('argv' in l ? run(l) : l));

/** An HCL expression eksauth writes itself; a literal template only, so no value can reach it. */
export function hclExpr(strings: TemplateStringsArray, ...none: never[]): HclExpr {
  if (none.length > 0) throw new Error('hclExpr takes no values');
  return { hclExpr: strings.join('') };
}
export const hclAttr = (name: string, value: HclValue): HclItem => ({ kind: 'attribute', name, value });
export const hclBlock = (type: string, labels: string[], body: HclItem[]): HclItem => ({
  kind: 'block',
  type,
  labels,
  body,
});
export const hclComment = (text: string): HclItem => ({ kind: 'comment', text });

// ---------------------------------------------------------------------------------------------
// Rendering.

const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-]+$/;

/** A POSIX shell word that the shell turns back into exactly `value`. */
export function shellQuote(value: string): string {
  if (SAFE_WORD.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Control characters (and other invisible format characters) as visible escapes, for notes. */
export function visible(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const hidden =
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029 ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069);
    out += hidden ? (named[ch] ?? `\\u${code.toString(16).padStart(4, '0')}`) : ch;
  }
  return out;
}

/** Why a command cannot be printed, or undefined. */
export function withheldReason(command: Command): string | undefined {
  const at = command.argv.findIndex((a) => a.includes('\0'));
  if (at >= 0)
    return `argument ${at} of ${visible(command.argv[0] ?? '')} contains a NUL byte, which no command line can carry: correct the value where it comes from first`;
  if (command.stdoutFile?.includes('\0')) return 'the output file name contains a NUL byte';
  if (command.stdinFile?.includes('\0')) return 'the input file name contains a NUL byte';
  return undefined;
}

export function serialisePayload(payload: Payload): string {
  const yaml = (value: unknown): string =>
    toYaml(value, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
  if (payload.format === 'json') return `${JSON.stringify(payload.value, null, 2)}\n`;
  if (payload.format === 'yaml-documents')
    return (Array.isArray(payload.value) ? payload.value : [payload.value]).map(yaml).join('---\n');
  return yaml(payload.value);
}

/** A here-document delimiter that no line of the payload equals. */
function delimiterFor(body: string): string {
  const lines = new Set(body.split('\n'));
  let delimiter = 'EOF';
  for (let i = 1; lines.has(delimiter); i++) delimiter = `EOF_${i}`;
  return delimiter;
}

/** One command as shell text, plus the here-document it needs (if any). */
function renderCommand(command: Command): { text: string; heredoc?: string } {
  const words = command.argv.map(shellQuote);
  // A first word with `=` would read as a variable assignment.
  if (command.argv[0]?.includes('=')) words[0] = `'${command.argv[0].replaceAll("'", `'\\''`)}'`;
  let text = words.join(' ');
  if (command.stderrToStdout) text += ' 2>&1';
  if (command.stdoutFile !== undefined) text += ` > ${shellQuote(command.stdoutFile)}`;
  if (command.stdinFile !== undefined && !command.stdin) text += ` < ${shellQuote(command.stdinFile)}`;
  if (!command.stdin) return { text };
  const body = serialisePayload(command.stdin);
  const delimiter = delimiterFor(body);
  return { text: `${text} <<'${delimiter}'`, heredoc: `${body}${body.endsWith('\n') ? '' : '\n'}${delimiter}` };
}

function renderLine(line: ShellLine): string {
  if (line.kind === 'comment') return `# ${visible(line.text)}`;
  const withheld = line.chain
    .flat()
    .map(withheldReason)
    .find((r) => r !== undefined);
  if (withheld !== undefined) return `# withheld: ${withheld}`;
  const heredocs: string[] = [];
  const text = line.chain
    .map((pipeline) =>
      pipeline
        .map((command) => {
          const rendered = renderCommand(command);
          if (rendered.heredoc !== undefined) heredocs.push(rendered.heredoc);
          return rendered.text;
        })
        .join(' | '),
    )
    .join(' && ');
  const note = line.note !== undefined ? `   # ${visible(line.note)}` : '';
  return [`${text}${note}`, ...heredocs].join('\n');
}

export function renderScript(lines: Script): string {
  return lines.map(renderLine).join('\n');
}

/** An HCL quoted string whose value is exactly `value` (no interpolation, no directive). */
export function hclString(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  // A function replacer: in a replacement string `$$` would mean a single `$`.
  return `"${out.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{')}"`;
}

const HCL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const isExpr = (value: HclValue): value is HclExpr =>
  typeof value === 'object' && value !== null && 'hclExpr' in value && Object.keys(value).length === 1;

export function renderHclValue(value: HclValue, depth = 0): string {
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isExpr(value)) return value.hclExpr;
  if (Array.isArray(value)) return `[${value.map((v: HclValue) => renderHclValue(v, depth)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, HclValue | undefined>).filter(
    (e): e is [string, HclValue] => e[1] !== undefined,
  );
  if (entries.length === 0) return '{}';
  const inline = entries.every(([, v]) => typeof v !== 'object' || isExpr(v) || Array.isArray(v));
  const key = (k: string): string => (HCL_IDENTIFIER.test(k) ? k : hclString(k));
  if (inline && entries.length <= 3)
    return `{ ${entries.map(([k, v]) => `${key(k)} = ${renderHclValue(v, depth)}`).join(', ')} }`;
  const pad = '  '.repeat(depth + 1);
  return `{\n${entries.map(([k, v]) => `${pad}${key(k)} = ${renderHclValue(v, depth + 1)}`).join('\n')}\n${'  '.repeat(depth)}}`;
}

function renderHclItem(item: HclItem, depth: number): string[] {
  const pad = '  '.repeat(depth);
  if (item.kind === 'comment') return [`${pad}# ${visible(item.text)}`];
  if (item.kind === 'verbatim') return item.text.split('\n').map((l) => `${pad}${l}`);
  if (item.kind === 'attribute') return [`${pad}${item.name} = ${renderHclValue(item.value, depth)}`];
  return [
    `${pad}${[item.type, ...item.labels.map(hclString)].join(' ')} {`,
    ...item.body.flatMap((i) => renderHclItem(i, depth + 1)),
    `${pad}}`,
  ];
}

export function renderHcl(items: HclScript): string {
  return items.flatMap((i) => renderHclItem(i, 0)).join('\n');
}

/** The commands of a script, as a fix loop would run them (withheld ones marked). */
export function commandsOf(lines: Script): {
  argv: string[];
  stdin?: string;
  stdoutFile?: string;
  stdinFile?: string;
  stderrToStdout?: boolean;
  withheld?: string;
}[] {
  return lines.flatMap((line) => {
    if (line.kind !== 'run') return [];
    // renderLine withholds a whole line when one of its commands cannot be printed.
    const lineWithheld = line.chain
      .flat()
      .map(withheldReason)
      .find((r) => r !== undefined);
    return line.chain.flat().map((c) => {
      const withheld =
        withheldReason(c) ?? (lineWithheld !== undefined ? `on a withheld line: ${lineWithheld}` : undefined);
      return {
        argv: c.argv,
        ...(c.stdin ? { stdin: serialisePayload(c.stdin) } : {}),
        ...(c.stdoutFile !== undefined ? { stdoutFile: c.stdoutFile } : {}),
        ...(c.stdinFile !== undefined && !c.stdin ? { stdinFile: c.stdinFile } : {}),
        ...(c.stderrToStdout ? { stderrToStdout: true } : {}),
        ...(withheld !== undefined ? { withheld } : {}),
      };
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Templates: a check's fix written as text with `{name}` holes. The template (eksauth's own text)
// is split into words, pipes, `&&` and `>` BEFORE any value is filled in; a value then only ever
// becomes (part of) one word, or, given as a list, several whole words, and is quoted on output.

/** A value for a template hole: text, a list of whole words, or whole lines (when the hole is a line). */
export type TemplateValue = string | number | readonly string[] | Script | HclScript;

const HOLE = /\{([a-zA-Z][a-zA-Z0-9]*)\}/g;
/** Marks, inside template text only, a brace the template quoted (a private-use character). */
const QUOTED = '\uE000';

const isScript = (v: TemplateValue | undefined): v is Script | HclScript =>
  Array.isArray(v) && v.length > 0 && typeof v[0] === 'object';

/** A comment's text with its holes filled (lists joined by spaces). */
function fillText(text: string, values: Readonly<Record<string, TemplateValue>>): string {
  return text.replace(HOLE, (whole, name: string) => {
    const v = values[name];
    if (v === undefined || isScript(v)) return whole;
    return Array.isArray(v) ? v.join(' ') : String(v);
  });
}

/** Template words: whitespace separates them; `'…'` in the template keeps spaces and is literal. */
function templateWords(text: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`fix template has an unclosed quote: ${text}`);
      current = (current ?? '') + text.slice(i + 1, end).replaceAll('{', `${QUOTED}{`);
      i = end;
    } else if (/\s/.test(ch)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else current = (current ?? '') + ch;
  }
  if (current !== undefined) words.push(current);
  return words;
}

/** Fills a word's holes; a word that is exactly one list-valued hole becomes several words. */
function fillWord(word: string, values: Readonly<Record<string, TemplateValue>>): string[] {
  const whole = /^\{([a-zA-Z][a-zA-Z0-9]*)\}$/.exec(word);
  if (whole) {
    const v = values[whole[1] ?? ''];
    if (Array.isArray(v) && !isScript(v)) return [...(v as readonly string[])];
  }
  // QUOTED marks a brace the template quoted: literal, never a hole (`'{.users[0]}'`, `{{SessionName}}`).
  // Only template text carries the mark; values are inserted after, untouched.
  const parts = word.split(new RegExp(`(${QUOTED}?\\{[a-zA-Z][a-zA-Z0-9]*\\})`));
  const filled = parts.map((part, i) => {
    if (i % 2 === 0) return part.replaceAll(QUOTED, '');
    if (part.startsWith(QUOTED)) return part.slice(QUOTED.length);
    const name = part.slice(1, -1);
    const v = values[name];
    if (v === undefined || isScript(v)) return part;
    if (Array.isArray(v)) throw new Error(`fix template: list value {${name}} must stand as its own word`);
    return String(v);
  });
  return [filled.join('')];
}

function templateLine(line: string, values: Readonly<Record<string, TemplateValue>>): ShellLine[] {
  const trimmed = line.trim();
  if (trimmed.startsWith('#')) return [comment(fillText(trimmed.replace(/^#\s?/, ''), values))];
  const hole = /^\{([a-zA-Z][a-zA-Z0-9]*)\}$/.exec(trimmed);
  const lines = hole ? values[hole[1] ?? ''] : undefined;
  if (isScript(lines)) return lines as Script;
  const at = trimmed.indexOf('   # ');
  const code = at >= 0 ? trimmed.slice(0, at) : trimmed;
  const note = at >= 0 ? fillText(trimmed.slice(at + 5), values) : undefined;
  const chain = code.split(' && ').map((segment) =>
    segment.split(' | ').map((part): Command => {
      const [left = '', file] = part.split(' > ');
      const argv: string[] = [];
      const words = templateWords(left);
      // `2>&1` in a template is a redirection of eksauth's own, never an argument.
      const stderrToStdout = words.includes('2>&1');
      for (const word of words.filter((w) => w !== '2>&1')) {
        const filled = fillWord(word, values);
        // A word the template does not start with `-` but its filled value does: the `-` is data.
        const only = filled.length === 1 ? filled[0] : undefined;
        if (only !== undefined && !word.startsWith('-') && only.startsWith('-')) bindToOption(argv, only);
        else argv.push(...filled);
      }
      return {
        argv,
        ...(file !== undefined ? { stdoutFile: fillWord(file.trim(), values).join('') } : {}),
        ...(stderrToStdout ? { stderrToStdout } : {}),
      };
    }),
  );
  return [{ kind: 'run', chain, ...(note !== undefined ? { note } : {}) }];
}

/** A shell dialect from its template. */
export function shellTemplate(template: string, values: Readonly<Record<string, TemplateValue>>): Script {
  return template.split('\n').flatMap((line) => (line.trim() === '' ? [] : templateLine(line, values)));
}

/**
 * A Terraform dialect from its template: holes may stand only inside `"…"` string literals, and are
 * filled with the value escaped for HCL (quotes, backslashes, `${`, `%{`, control characters).
 */
export function hclTemplate(template: string, values: Readonly<Record<string, TemplateValue>>): HclScript {
  const only = /^\{([a-zA-Z][a-zA-Z0-9]*)\}$/.exec(template.trim());
  const whole = only ? values[only[1] ?? ''] : undefined;
  if (isScript(whole)) return whole as HclScript;
  // A comment line is prose: its holes are text (lists joined by spaces) with control characters
  // shown, so a newline in a value cannot end the comment and start HCL.
  const lines = template
    .split('\n')
    .map((line) => (line.trim().startsWith('#') ? visible(fillText(line, values)) : hclCodeLine(line, values)));
  return [{ kind: 'verbatim', text: lines.join('\n') }];
}

/** One line of HCL code from a template: holes inside string literals escaped, others lists or identifiers. */
function hclCodeLine(line: string, values: Readonly<Record<string, TemplateValue>>): string {
  const text = line.replace(/"((?:[^"\\]|\\.)*)"/g, (_, inner: string) => {
    const filled = inner.replace(HOLE, (whole, name: string) => {
      const v = values[name];
      if (v === undefined || isScript(v)) return whole;
      return hclString(Array.isArray(v) ? v.join(' ') : String(v)).slice(1, -1);
    });
    return `"${filled}"`;
  });
  // Outside a string literal a hole may only be a list (written as an HCL list of strings).
  const parts = text.split(/("(?:[^"\\]|\\.)*")/);
  const filled = parts
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(HOLE, (whole, name: string) => {
            const v = values[name];
            if (v === undefined) return whole;
            // Text outside a string is an identifier (a block key, a resource name): nothing else survives.
            if (typeof v !== 'object')
              return String(v)
                .replace(/[^A-Za-z0-9_-]/g, '_')
                .replace(/^(?=[0-9-]|$)/, '_');
            if (!Array.isArray(v) || isScript(v))
              throw new Error(`fix template: {${name}} outside an HCL string must be a list or an identifier`);
            return renderHclValue(v as readonly string[]);
          }),
    )
    .join('');
  return filled;
}
