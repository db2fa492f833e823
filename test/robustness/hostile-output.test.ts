import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { eksauth, type CliResult } from '../helpers/cli.js';
import { parseJunit } from '../helpers/junit.js';
import {
  HOSTILE,
  HOSTILE_ARG,
  expectMarkdownSafe,
  expectShownEscaped,
  expectTerminalSafe,
} from '../helpers/hostile.js';

/**
 * Issue 10 item 2, end to end through the built CLI: a hostile value in an aws-auth ConfigMap,
 * in explain's input files, in a doctor evidence file and in a verify expectations file reaches
 * the output (that is the point: the engineer must see it), but never as a byte a terminal obeys,
 * and never as HTML, a link or a table cell in Markdown.
 */
const dir = mkdtempSync(join(tmpdir(), 'eksauth-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const q = (value: string): string => JSON.stringify(value);

/** A ConfigMap with the value in every field a check quotes, plus a path role so a fix is printed. */
const configMap = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: { name: aws-auth, namespace: kube-system }',
  'data:',
  '  mapRoles: |',
  `    - rolearn: ${q(`arn:aws:iam::111122223333:role/a${HOSTILE}`)}`,
  `      username: ${q(`user${HOSTILE}`)}`,
  `      groups: [${q(`system:masters${HOSTILE}`)}]`,
  '    - rolearn: arn:aws:iam::111122223333:role/path/deployer',
  `      username: ${q(`deployer${HOSTILE}`)}`,
  `      groups: [${q(`group${HOSTILE}`)}]`,
  '  mapUsers: |',
  `    - userarn: ${q(`arn:aws:iam::111122223333:user/bob${HOSTILE}`)}`,
  `      username: ${q(`bob${HOSTILE}`)}`,
  '',
].join('\n');
const awsAuth = file('aws-auth.yaml', configMap);
const clusterInfo = file(
  'cluster.json',
  JSON.stringify({
    cluster: {
      name: `prod${HOSTILE}`,
      arn: 'arn:aws:eks:us-east-1:111122223333:cluster/prod',
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
    },
  }),
);
const accessEntries = file(
  'access-entries.json',
  JSON.stringify([
    {
      principalArn: 'arn:aws:iam::111122223333:role/deployer',
      type: 'STANDARD',
      username: `entry${HOSTILE}`,
      kubernetesGroups: [`entry-group${HOSTILE}`],
      associatedAccessPolicies: [],
    },
  ]),
);
const evidence = file(
  'evidence.json',
  JSON.stringify({
    kind: 'eksauth-evidence',
    version: 1,
    collectedAt: '2026-12-02T21:40:47.522Z',
    request: { cluster: `prod${HOSTILE}`, region: 'us-east-1' },
    awsAuthText: configMap,
    evidence: {
      awsAuthState: 'present',
      principalArn: 'arn:aws:sts::111122223333:assumed-role/deployer/run-1',
      cluster: { name: `prod${HOSTILE}`, authenticationMode: 'CONFIG_MAP', status: 'ACTIVE' },
      probe: { status: 401, error: `Unauthorized${HOSTILE}` },
      failures: {
        accessEntries: {
          code: 'invalid',
          action: 'eks:ListAccessEntries',
          message: `eks:ListAccessEntries failed: InvalidRequestException: ${HOSTILE}`,
        },
      },
      unavailable: { accessEntries: `eks:ListAccessEntries failed: InvalidRequestException: ${HOSTILE}` },
    },
  }),
);

const runs: [string, string[]][] = [
  ['lint', ['lint', awsAuth]],
  [
    'explain',
    [
      'explain',
      '--principal',
      'arn:aws:sts::111122223333:assumed-role/deployer/run-1',
      '--aws-auth',
      awsAuth,
      '--cluster-info',
      clusterInfo,
      '--access-entries',
      accessEntries,
    ],
  ],
  ['doctor --evidence', ['doctor', '--evidence', evidence]],
  ['whoami --evidence', ['whoami', '--evidence', evidence]],
];

/** Every way a person sees human output: piped, forced colour, and forced colour turned off by --no-color. */
const humanModes: [string, string[], Record<string, string>, boolean][] = [
  ['plain', [], {}, false],
  ['coloured', [], { NO_COLOR: '', FORCE_COLOR: '1' }, true],
  ['--no-color', ['--no-color'], { NO_COLOR: '', FORCE_COLOR: '1' }, false],
];

function expectRan(result: CliResult, label: string): void {
  expect(result.status, `${label}: ${result.stderr}`).not.toBeNull();
  expect(result.stderr, label).not.toMatch(/internal error|\n\s+at /);
}

describe.each(runs)('%s with hostile values', (name, args) => {
  test.each(humanModes)('human, %s: no byte a terminal obeys, on stdout or stderr', (mode, flags, env, colour) => {
    const result = eksauth([...args, ...flags], { env });
    const label = `${name} human ${mode}`;
    expectRan(result, label);
    expectTerminalSafe(result.stdout, label, { colour });
    expectTerminalSafe(result.stderr, `${label} (stderr)`, { colour });
    expectShownEscaped(result.stdout, label);
    if (colour) expect(result.stdout, `${label}: our own colour still works`).toContain('\x1b[1m');
  });

  test('markdown: no raw HTML, link, image or extra table cell, and nothing a terminal obeys', () => {
    const result = eksauth([...args, '--output', 'markdown']);
    const label = `${name} markdown`;
    expectRan(result, label);
    expectTerminalSafe(result.stdout, label);
    expectMarkdownSafe(result.stdout, label);
    expect(result.stdout, `${label}: the value is shown as text`).toContain('&lt;img src=x');
  });

  test('json: the value survives exactly, escaped as JSON', () => {
    const result = eksauth([...args, '--output', 'json']);
    expectRan(result, `${name} json`);
    expectTerminalSafe(result.stdout, `${name} json`);
    expect(result.stdout).toContain('onerror=alert(1)');
    // Exactly as given, or, where EKS refuses the block that holds it (control characters drop a
    // whole aws-auth block, as the Go referee shows), quoted the way the finding quotes raw YAML text.
    const json = JSON.stringify(JSON.parse(result.stdout));
    const asGiven = JSON.stringify(HOSTILE).slice(1, -1);
    const asQuotedYamlText = JSON.stringify(asGiven).slice(1, -1);
    expect(
      [asGiven, asQuotedYamlText].some((form) => json.includes(form)),
      `${name} json`,
    ).toBe(true);
  });
});

describe('one-line errors that quote outside values', () => {
  test.each<[string, string[]]>([
    ['a principal that is not an ARN', ['explain', '--principal', HOSTILE_ARG]],
    ['a creator that is not an ARN', ['explain', '--principal', 'arn:aws:iam::1:role/a', '--creator', HOSTILE_ARG]],
    ['an unknown check id', ['checks', HOSTILE_ARG]],
    ['an unknown option', ['lint', `--${HOSTILE_ARG}`]],
    [
      'an evidence file of another version',
      ['doctor', '--evidence', file('v9.json', JSON.stringify({ kind: 'eksauth-evidence', version: HOSTILE }))],
    ],
  ])('%s', (_, args) => {
    const result = eksauth(args);
    expect(result.status).toBe(2);
    expectTerminalSafe(result.stderr, 'stderr');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('\\u001b]52');
  });
});

describe('decode-token with a hostile token', () => {
  const url = `https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Date=${HOSTILE}`;
  const token = `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;

  test.each(humanModes)('human, %s', (mode, flags, env, colour) => {
    const result = eksauth(['decode-token', token, ...flags], { env });
    expectRan(result, `decode-token ${mode}`);
    expectTerminalSafe(result.stdout, `decode-token human ${mode}`, { colour });
  });

  test('markdown', () => {
    const result = eksauth(['decode-token', token, '--output', 'markdown']);
    expectRan(result, 'decode-token markdown');
    expectTerminalSafe(result.stdout, 'decode-token markdown');
    expectMarkdownSafe(result.stdout, 'decode-token markdown');
  });
});

describe('verify with hostile expectations', () => {
  const expectations = file(
    'expect.yaml',
    [
      'version: 1',
      'clusters: [{ name: my-cluster, region: us-east-1 }]',
      'principals:',
      '  - arn: arn:aws:iam::111122223333:role/tfc-agent-role',
      '    sessionName: terraform-run-4mYtQ8',
      '    authenticated: true',
      `    username: ${q(`terraform${HOSTILE}`)}`,
      `    groups: [${q(`system:masters${HOSTILE}`)}]`,
      '',
    ].join('\n'),
  );
  const args = ['verify', '--sandbox', 'seed-debug-eks-unauthenticated--fixed', '--expect', expectations];

  test.each(humanModes)('human, %s', (mode, flags, env, colour) => {
    const result = eksauth([...args, ...flags], { env });
    expect(result.status, result.stderr).toBe(1);
    expectTerminalSafe(result.stdout, `verify human ${mode}`, { colour });
    expectTerminalSafe(result.stderr, `verify human ${mode} (stderr)`, { colour });
    expectShownEscaped(result.stdout, `verify human ${mode}`);
  });

  test.each(['markdown', 'junit'])('%s', (format) => {
    const result = eksauth([...args, '--output', format]);
    expect(result.status, result.stderr).toBe(1);
    expectTerminalSafe(result.stdout, `verify ${format}`);
    if (format === 'markdown') expectMarkdownSafe(result.stdout, 'verify markdown');
    else {
      expect(result.stdout).not.toMatch(/<img|<script/);
      // Still XML a CI system can read, with the value in it as text.
      const failure = parseJunit(result.stdout).cases.find((c) => c.failure)?.failure;
      expect(failure?.text).toContain('<img src=x onerror=alert(1)>');
    }
  });
});
