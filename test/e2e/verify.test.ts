import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { eksauth, example } from '../helpers/cli.js';
import { parseJunit } from '../helpers/junit.js';
import { schemaErrors } from '../helpers/schema.js';
import { leaksIn, scenarioSecrets } from '../helpers/secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'eksauth-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tfc = example('verify', 'tfc-agent.yaml');
const noClusters = join(dir, 'no-clusters.yaml');
writeFileSync(noClusters, 'principals:\n  - arn: arn:aws:iam::111122223333:role/deployer\n    authenticated: true\n');
const entries = example('verify', 'access-entries.yaml');

function expectNoSecrets(output: string, scenario: string): void {
  expect(output).not.toMatch(/aws_session_token|SessionToken/i);
  expect(leaksIn(output, scenarioSecrets(loadScenario(scenario)))).toEqual([]);
}

describe('eksauth verify --sandbox: the migration fails before the fix and passes after it (JUnit)', () => {
  test('Terraform Cloud agent, before: exit 1, JUnit failures name identity/principal-not-mapped', () => {
    const run = eksauth([
      'verify',
      '--sandbox',
      'seed-debug-eks-unauthenticated',
      '--expect',
      tfc,
      '--output',
      'junit',
    ]);
    expect(run.status, run.stderr).toBe(1);
    const junit = parseJunit(run.stdout);
    expect(junit.tests).toBe(9);
    expect(junit.failures).toBe(6);
    const failed = junit.cases.filter((c) => c.failure);
    expect(new Set(failed.map((c) => c.classname))).toEqual(
      new Set(['my-cluster.arn:aws:iam::111122223333:role/tfc-agent-role']),
    );
    for (const c of failed) {
      expect(c.failure?.type).toBe('identity/principal-not-mapped');
      expect(c.failure?.text).toContain('docs/checks/identity/principal-not-mapped.md');
    }
    const authenticated = failed.find((c) => c.name === 'authenticated');
    expect(authenticated?.failure?.message).toMatch(/^expected true, observed false \(HTTP 401\)/);
    expectNoSecrets(run.stdout + run.stderr, 'seed-debug-eks-unauthenticated');
  });

  test('Terraform Cloud agent, after: exit 0, every testcase passes', () => {
    const run = eksauth([
      'verify',
      '--sandbox',
      'seed-debug-eks-unauthenticated--fixed',
      '--expect',
      tfc,
      '-o',
      'junit',
    ]);
    expect(run.status, run.stdout).toBe(0);
    const junit = parseJunit(run.stdout);
    expect(junit.tests).toBe(9);
    expect(junit.failures).toBe(0);
  });

  test.each([
    ['migration--aws-auth-to-access-entries--before', 1, 2],
    ['migration--aws-auth-to-access-entries--after', 0, 0],
  ])('aws-auth → access entries, %s: exit %i with %i failures', (scenario, status, failures) => {
    const run = eksauth(['verify', '--sandbox', scenario, '--expect', entries, '--output', 'junit']);
    expect(run.status, run.stderr).toBe(status);
    const junit = parseJunit(run.stdout);
    expect(junit.tests).toBe(14);
    expect(junit.failures).toBe(failures);
    expectNoSecrets(run.stdout + run.stderr, scenario);
  });
});

describe('eksauth verify outputs', () => {
  test('several clusters: one JUnit suite each; a cluster that does not exist fails with its root cause', () => {
    const run = eksauth([
      'verify',
      '--sandbox',
      'seed-debug-eks-unauthenticated--fixed',
      '--expect',
      tfc,
      '--cluster',
      'my-cluster',
      '--cluster',
      'gone',
      '--output',
      'junit',
    ]);
    expect(run.status, run.stderr).toBe(1);
    const junit = parseJunit(run.stdout);
    expect(new Set(junit.cases.map((c) => c.suite))).toEqual(
      new Set(['eksauth verify my-cluster', 'eksauth verify gone']),
    );
    const gone = junit.cases.filter((c) => c.suite === 'eksauth verify gone');
    expect(gone).toHaveLength(9);
    expect(gone.every((c) => c.failure?.type === 'cluster/not-found')).toBe(true);
    expect(junit.cases.filter((c) => c.suite === 'eksauth verify my-cluster' && c.failure)).toEqual([]);
  });

  test('json follows the output schema and holds the matrix; human and markdown show the mismatch', () => {
    const scenario = 'seed-debug-eks-unauthenticated';
    const json = eksauth(['verify', '--sandbox', scenario, '--expect', tfc, '--output', 'json']);
    expect(json.status).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      rootCause: string | null;
      summary: { failed: number; expectations: number };
      matrix: { cluster: string; principals: { principal: string; pass: boolean }[] }[];
      findings: { checkId: string }[];
    };
    expect(schemaErrors(parsed)).toBe('');
    expect(parsed.rootCause).toBe('identity/principal-not-mapped');
    expect(parsed.summary).toMatchObject({ failed: 6, expectations: 9 });
    expect(parsed.matrix[0]?.principals.map((p) => p.pass)).toEqual([true, false]);
    expect(parsed.findings.map((f) => f.checkId)).toEqual(['identity/principal-not-mapped']);

    const human = eksauth(['verify', '--sandbox', scenario, '--expect', tfc]);
    expect(human.status).toBe(1);
    expect(human.stdout).toContain('✗ authenticated');
    expect(human.stdout).toMatch(/expected true, observed false \(HTTP 401\)/);
    expect(human.stdout).toContain('6 of 9 expectations do not hold.');

    const markdown = eksauth(['verify', '--sandbox', scenario, '--expect', tfc, '--output', 'markdown']);
    expect(markdown.status).toBe(1);
    expect(markdown.stdout).toMatch(/^## ❌ eksauth verify: 6 of 9 expectations do not hold/);
    expect(markdown.stdout).toContain('[`identity/principal-not-mapped`](https://');
    for (const output of [json.stdout, human.stdout, markdown.stdout]) expectNoSecrets(output, scenario);
  });

  test('--generate writes the snapshot, which verify then accepts (exit 0)', () => {
    const file = join(dir, 'snapshot.yaml');
    const generated = eksauth([
      'verify',
      '--sandbox',
      'healthy',
      '--generate',
      '--expect',
      file,
      '--principal',
      'arn:aws:iam::111122223333:user/alice',
    ]);
    expect(generated.status, generated.stderr).toBe(0);
    expect(generated.stderr).toContain(`wrote 5 principals to ${file}`);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('source: access-entry');
    expect(text).toContain('username: arn:aws:sts::111122223333:assumed-role/platform-admin/*');
    expectNoSecrets(text, 'healthy');
    const verified = eksauth(['verify', '--sandbox', 'healthy', '--expect', file]);
    expect(verified.status, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/All \d+ expectations hold\./);
  });
});

test('without working credentials verify says so and exits 3 (the environment stopped it)', () => {
  const home = join(dir, 'home');
  const run = eksauth(['verify', '--expect', tfc, '--timeout', '2'], {
    env: {
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    },
  });
  expect(run.status, run.stderr).toBe(3);
  expect(run.stderr).toMatch(/the operator's credentials do not work: no AWS credentials/);
  expect(run.stdout).toContain('identity/credentials-missing');
  expect(run.stdout).toContain('unknown');
});

describe('eksauth verify usage errors (exit 2, one line each, no stack trace)', () => {
  test('an invalid expectations file lists every problem with its position', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'principals:\n  - arn: arn:aws:iam::111122223333:role/a\n    source: configmap\n    allowed: true\n',
    );
    const run = eksauth(['verify', '--sandbox', 'healthy', '--expect', file]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `eksauth: ${file}:3:13: principals[0].source: must be one of access-entry, aws-auth, cluster-creator (got "configmap")`,
      `eksauth: ${file}:4:5: principals[0]: unknown key "allowed" (expected one of arn, profile, sessionName, authenticated, source, username, groups, can)`,
    ]);
  });

  test.each([
    [['verify', '--sandbox', 'healthy'], /--expect FILE is required/],
    [['verify', '--expect', noClusters], /name a cluster/],
    [['verify', '--sandbox', 'no-such-scenario', '--expect', tfc], /no scenario 'no-such-scenario'/],
    [['verify', '--sandbox', 'healthy', '--expect', join(dir, 'missing.yaml')], /cannot read --expect .*no such file/],
    [['verify', '--sandbox', 'healthy', '--generate', '--output', 'json'], /--output does not apply/],
    [['verify', '--sandbox', 'healthy', '--expect', tfc, '--concurrency', '0'], /--concurrency/],
    [['lint', '--output', 'junit'], /Invalid values/],
  ])('%j', (args, message) => {
    const run = eksauth(args, { env: { AWS_REGION: 'us-east-1' } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
