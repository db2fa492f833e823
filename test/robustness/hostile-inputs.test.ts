import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { INPUT_LIMITS } from '../../src/inputs/read-text.js';
import { BIN, ROOT, example, type CliResult } from '../helpers/cli.js';

/**
 * Every command against inputs written to hurt it: control characters, UTF-16 and byte-order marks,
 * NUL bytes, alias bombs, deep nesting, oversized and endless inputs, truncated and wrong-shape
 * JSON. Each run ends with a finding (exit 0/1) or one clear `eksauth:` line (exit 2/3): never a
 * stack trace, an "internal error", a hang or a heap blown up. File inputs run in-process (fast);
 * what needs a stream, a memory cap or the token entry point runs as processes, in parallel.
 */

const dir = mkdtempSync(join(tmpdir(), 'eksauth-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ARN = 'arn:aws:iam::111122223333:role/tfc-agent-role';
/** OSC 8 hyperlink, window title, clear screen, carriage return, backspace, DEL, C1 CSI. */
const CONTROL =
  '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u001b]0;pwned\u0007\u001b[2J\r\b\u007f\u009b31m';

const utf16le = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string): Buffer =>
  Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);

/** Billion laughs: nine levels of nine aliases each, 387 million strings if expanded. */
const BILLION_LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(
    [...'bcdefghi'].map(
      (name, i) =>
        `${name}: &${name} [${Array(9)
          .fill(`*${'abcdefgh'[i] ?? 'a'}`)
          .join(',')}]`,
    ),
  )
  .join('\n');

const configMapWith = (mapRoles: string): string =>
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n' +
  mapRoles
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n') +
  '\n';

/** Inputs that are hostile whatever they are handed to. */
const GENERIC: Record<string, string | Buffer> = {
  empty: '',
  'only whitespace': '\n \t\n',
  'control characters': CONTROL,
  'control characters in JSON': JSON.stringify({ kind: CONTROL, name: CONTROL, items: [{ kind: CONTROL }] }),
  'NUL bytes': 'kind: ConfigMap\0\0data: {}\n',
  'invalid UTF-8': Buffer.from([0x6b, 0x3a, 0x20, 0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0x28, 0x0a]),
  'a lone byte-order mark': Buffer.from([0xff, 0xfe]),
  'UTF-16 with an odd byte count': Buffer.from([0xff, 0xfe, 0x6b, 0x00, 0x3a]),
  'billion laughs': BILLION_LAUGHS,
  'deep array nesting': '['.repeat(100_000) + ']'.repeat(100_000),
  'deep object nesting': '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
  'deep block nesting': Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'),
  'truncated JSON': '{"kind":"ConfigMap","data":{"mapRoles":"- rolearn: arn:aws:iam::1',
  'JSON array': '[]',
  'JSON null': 'null',
  'JSON number': '42',
  'JSON string': '"text"',
  'wrong-shape object': '{"kind": 7, "data": [1, 2], "items": "x", "cluster": [], "evidence": "x"}',
  'evidence of the wrong shape': '{"kind":"eksauth-evidence","version":1,"evidence":{"awsAuth":{"state":"present"}}}',
  'empty evidence': '{"kind":"eksauth-evidence","version":1,"evidence":{}}',
};

/** One way a command takes a file; `base` is a valid input of its kind, for the encoding variants. */
interface Slot {
  name: string;
  argv: (path: string) => string[];
  base?: string;
  limit?: number;
}

const SLOTS: Slot[] = [
  {
    name: 'lint FILE',
    argv: (p) => ['lint', p],
    base: readFileSync(example('seed2-terraform-cloud-agent/aws-auth.yaml'), 'utf8'),
    limit: INPUT_LIMITS.configMap,
  },
  {
    name: 'explain --aws-auth',
    argv: (p) => ['explain', '--principal', ARN, '--aws-auth', p],
    base: readFileSync(example('seed2-terraform-cloud-agent/aws-auth.yaml'), 'utf8'),
  },
  {
    name: 'explain --cluster-info',
    argv: (p) => ['explain', '--principal', ARN, '--cluster-info', p],
    base: readFileSync(example('seed2-terraform-cloud-agent/cluster-info.json'), 'utf8'),
  },
  {
    name: 'explain --nodegroups',
    argv: (p) => ['explain', '--principal', ARN, '--nodegroups', p],
    base: readFileSync(example('seed2-terraform-cloud-agent/nodegroups.json'), 'utf8'),
  },
  { name: 'explain --access-entries', argv: (p) => ['explain', '--principal', ARN, '--access-entries', p] },
  { name: 'explain --fargate-profiles', argv: (p) => ['explain', '--principal', ARN, '--fargate-profiles', p] },
  { name: 'explain --rbac', argv: (p) => ['explain', '--principal', ARN, '--rbac', p] },
  { name: 'doctor --evidence', argv: (p) => ['doctor', '--evidence', p] },
  { name: 'whoami --evidence', argv: (p) => ['whoami', '--evidence', p] },
  {
    name: 'verify --expect',
    argv: (p) => ['verify', '--expect', p, '--sandbox', 'seed-debug-eks-unauthenticated'],
    limit: INPUT_LIMITS.expectations,
  },
  { name: 'decode-token --kubeconfig', argv: (p) => ['decode-token', '--kubeconfig', p, '--kubeconfig-user', 'u'] },
  // Never a valid scenario here: a valid one would start a sandbox that runs until Ctrl-C.
  { name: 'sandbox --scenario', argv: (p) => ['sandbox', '--scenario', p] },
  { name: 'doctor --sandbox FILE', argv: (p) => ['doctor', '--sandbox', p] },
];

/** The corpus for one slot: the generic inputs, plus its valid input re-encoded and oversized. */
function corpusFor(slot: Slot): [string, string | Buffer][] {
  const cases = Object.entries(GENERIC);
  if (slot.base !== undefined) {
    cases.push(
      ['UTF-16 LE with a BOM (PowerShell)', utf16le(slot.base)],
      ['UTF-16 BE with a BOM', utf16be(slot.base)],
      ['UTF-16 LE without a BOM', Buffer.from(slot.base, 'utf16le')],
      ['UTF-8 with a BOM', `\ufeff${slot.base}`],
      ['NUL in the middle of a valid input', `${slot.base.slice(0, 40)}\0${slot.base.slice(40)}`],
      ['a valid input truncated', slot.base.slice(0, Math.floor(slot.base.length / 2))],
      ['control characters in a valid input', slot.base.replaceAll('tfc-agent', `tfc${CONTROL}agent`)],
    );
  }
  if (slot.name === 'lint FILE') cases.push(['an alias bomb inside mapRoles', configMapWith(BILLION_LAUGHS)]);
  if (slot.limit !== undefined) cases.push(['one byte over the limit', `#${' '.repeat(slot.limit)}`]);
  return cases;
}

let fileCount = 0;
function write(content: string | Buffer): string {
  const path = join(dir, `input-${fileCount++}`);
  writeFileSync(path, content);
  return path;
}

/** Runs the CLI in this process, capturing what it writes and the exit code it sets. */
async function inProcess(argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const { stdout, stderr } = process;
  const writes = { out: stdout.write.bind(stdout), err: stderr.write.bind(stderr) };
  const listeners = stdout.listeners('error');
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
  stdout.write = capture(out) as typeof stdout.write;
  stderr.write = capture(err) as typeof stderr.write;
  process.exitCode = undefined;
  try {
    await main(['--no-color', ...argv]);
  } catch (error) {
    err.push(`escaped main: ${(error as Error).stack ?? String(error)}`);
  } finally {
    stdout.write = writes.out as typeof stdout.write;
    stderr.write = writes.err as typeof stderr.write;
    for (const listener of stdout.listeners('error'))
      if (!listeners.includes(listener)) stdout.off('error', listener as () => void);
  }
  const status = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { status, stdout: out.join(''), stderr: err.join('') };
}

/** The promise every run keeps, whatever it was handed. */
function expectContained(result: CliResult, what: string): void {
  const context = `${what}\n--- stderr:\n${result.stderr.slice(0, 2000)}`;
  expect(result.status, context).not.toBeNull();
  expect([0, 1, 2, 3], context).toContain(result.status);
  expect(result.stderr, context).not.toMatch(/^\s+at /m);
  expect(result.stderr, context).not.toMatch(/internal error|escaped main|heap out of memory|RangeError|TypeError/);
  if (result.status === 2 || result.status === 3) {
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    expect(lines.length, context).toBeGreaterThan(0);
    for (const line of lines) expect(line, context).toMatch(/^eksauth: \S/);
  } else {
    expect(result.stdout.length, context).toBeGreaterThan(0);
  }
}

describe('every command taking a file survives the hostile corpus', () => {
  test.each(SLOTS.map((slot) => [slot.name, slot] as const))(
    '%s',
    async (_, slot) => {
      for (const [name, content] of corpusFor(slot)) {
        const path = write(content);
        expectContained(await inProcess(slot.argv(path)), `${slot.name} with ${name}`);
      }
    },
    120_000,
  );
});

describe('encodings are read, not misread', () => {
  const base = example('seed2-terraform-cloud-agent/aws-auth.yaml');
  const text = readFileSync(base, 'utf8');

  test.each([
    ['UTF-16 LE with a BOM (PowerShell Out-File)', utf16le(text)],
    ['UTF-16 BE with a BOM', utf16be(text)],
    ['UTF-8 with a BOM', Buffer.from(`\ufeff${text}`)],
  ])('a ConfigMap in %s lints exactly like its UTF-8 twin', async (_, bytes) => {
    const expected = await inProcess(['lint', base, '--output', 'json']);
    const path = write(bytes);
    const actual = await inProcess(['lint', path, '--output', 'json']);
    expect(actual.status).toBe(expected.status);
    expect(actual.stdout.replaceAll(path, base)).toBe(expected.stdout);
  });

  test('UTF-16 without a byte-order mark is refused clearly, not "no ConfigMap found"', async () => {
    const result = await inProcess(['lint', write(Buffer.from(text, 'utf16le'))]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^eksauth: .* contains NUL bytes: .*UTF-16 without a byte-order mark/);
  });

  test('UTF-16 expectations are read too', async () => {
    const expectations = readFileSync(example('verify/tfc-agent.yaml'), 'utf8');
    const path = write(utf16le(expectations.replace(/clusters:[\s\S]*?principals:/, 'clusters: [1]\nprincipals:')));
    const result = await inProcess(['verify', '--expect', path]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('clusters');
    expect(result.stderr).not.toContain('NUL');
  });
});

/** Spawns the built CLI with a capped heap and a generous timeout, feeding `stdin` (a path or text). */
function spawned(
  argv: string[],
  options: { stdinPath?: string; input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const stdinFd = options.stdinPath !== undefined ? openSync(options.stdinPath, 'r') : undefined;
    const child = spawn(process.execPath, ['--max-old-space-size=96', BIN, ...argv], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        NO_COLOR: '1',
        AWS_CONFIG_FILE: join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
        ...options.env,
      },
      stdio: [stdinFd ?? 'pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    if (stdinFd !== undefined) closeSync(stdinFd);
    else child.stdin?.end(options.input ?? '');
    // A child that stops reading early closes its stdin: that is its right, not a test failure.
    child.stdin?.on('error', () => undefined);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

const KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLEhostileSESSIONtoken',
  AWS_REGION: 'us-west-2',
};

describe('endless and huge inputs end in one line, within a capped heap', () => {
  const zero = '/dev/zero';
  const cases: [string, string[], Parameters<typeof spawned>[1], number][] = [
    ['lint /dev/zero', ['lint', zero], {}, 2],
    ['lint - </dev/zero', ['lint', '-'], { stdinPath: zero }, 2],
    ['decode-token - </dev/zero', ['decode-token', '-'], { stdinPath: zero }, 2],
    ['explain --rbac /dev/zero', ['explain', '--principal', ARN, '--rbac', zero], {}, 2],
    ['doctor --evidence /dev/zero', ['doctor', '--evidence', zero], {}, 2],
    ['verify --expect /dev/zero', ['verify', '--expect', zero], {}, 2],
    ['sandbox --scenario /dev/zero', ['sandbox', '--scenario', zero], {}, 2],
    ['decode-token --kubeconfig /dev/zero', ['decode-token', '--kubeconfig', zero, '--kubeconfig-user', 'u'], {}, 2],
    [
      'token with AWS_CONFIG_FILE=/dev/zero',
      ['token', '--cluster', 'demo'],
      { env: { ...KEYS, AWS_CONFIG_FILE: zero } },
      3,
    ],
    [
      'lint - with a PowerShell (UTF-16) pipe',
      ['lint', '-'],
      { input: utf16le(readFileSync(example('seed2-terraform-cloud-agent/aws-auth.yaml'), 'utf8')) },
      0,
    ],
    ['lint - with billion laughs', ['lint', '-'], { input: BILLION_LAUGHS }, 2],
    ['lint - with an alias bomb in mapRoles', ['lint', '-'], { input: configMapWith(BILLION_LAUGHS) }, 1],
    ['lint - with deep nesting', ['lint', '-'], { input: '['.repeat(100_000) + ']'.repeat(100_000) }, 2],
    ['decode-token - with control characters', ['decode-token', '-'], { input: CONTROL }, 1],
    ['decode-token - with NUL bytes', ['decode-token', '-'], { input: 'k8s-aws-v1.\0\0\0' }, 2],
    ['decode-token with a 64 KiB argument', ['decode-token', `k8s-aws-v1.${'A'.repeat(65_536)}`], {}, 1],
    ['checks with control characters', ['checks', CONTROL], {}, 2],
    [
      'token with control characters in KUBERNETES_EXEC_INFO',
      ['token', '--cluster', 'demo', '--no-cache'],
      { env: { ...KEYS, KUBERNETES_EXEC_INFO: CONTROL } },
      0,
    ],
    [
      'token with deeply nested KUBERNETES_EXEC_INFO',
      ['token', '--cluster', 'demo', '--no-cache'],
      { env: { ...KEYS, KUBERNETES_EXEC_INFO: '['.repeat(50_000) + ']'.repeat(50_000) } },
      0,
    ],
  ];

  test('each run ends with the expected exit code, never a crash (run in parallel)', async () => {
    const results = await Promise.all(cases.map(([, argv, options]) => spawned(argv, options)));
    for (const [i, [name, , , status]] of cases.entries()) {
      const result = results[i];
      if (!result) throw new Error(`no result for ${name}`);
      expect(result.signal, name).toBeNull();
      expectContained(result, name);
      expect(result.status, `${name}\n${result.stderr}`).toBe(status);
      for (const secret of [KEYS.AWS_SECRET_ACCESS_KEY, KEYS.AWS_SESSION_TOKEN]) {
        expect(result.stdout, name).not.toContain(secret);
        expect(result.stderr, name).not.toContain(secret);
      }
    }
  }, 180_000);
});
