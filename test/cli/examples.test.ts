import { describe, expect, test } from 'vitest';
import { eksauth, example } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';

interface JsonReport {
  rootCause: string | null;
  findings: {
    checkId: string;
    severity: string;
    message: string;
    affectsPrincipal: boolean;
    remediation: string;
    fix?: Record<string, unknown>;
  }[];
  decision: { authenticated: boolean; source: string | null; username: string | null; groups: string[] };
  steps: { title: string; status: string; detail: string }[];
}

function explainJson(args: string[]): { status: number | null; report: JsonReport; raw: unknown } {
  const result = eksauth(['explain', ...args, '--output', 'json']);
  const raw = JSON.parse(result.stdout) as unknown;
  return { status: result.status, report: raw as JsonReport, raw };
}

const seed2 = (file: string) => example('seed2-terraform-cloud-agent', file);
const seed2Args = [
  '--cluster-info',
  seed2('cluster-info.json'),
  '--aws-auth',
  seed2('aws-auth.yaml'),
  '--nodegroups',
  seed2('nodegroups.json'),
  '--creator',
  'arn:aws:iam::111122223333:role/terraform-local',
];
const seed1 = example('seed1-invalid-aws-auth', 'aws-auth.yaml');
const ssoSession =
  'arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_AdministratorAccess_3d0c6bf1a2e4b5c7/jane@example.com';

describe('seed 2: the Terraform Cloud agent role', () => {
  test('the agent role is not mapped; the creator is named', () => {
    const { status, report, raw } = explainJson([
      '--principal',
      'arn:aws:iam::111122223333:role/tfc-agent',
      ...seed2Args,
    ]);
    expect(schemaErrors(raw)).toBe('');
    expect(status).toBe(1);
    expect(report.rootCause).toBe('identity/principal-not-mapped');
    expect(report.decision).toEqual({ authenticated: false, source: null, username: null, groups: [] });
    const root = report.findings.find((f) => f.checkId === report.rootCause);
    expect(root?.message).toContain('arn:aws:iam::111122223333:role/terraform-local did');
    expect(Object.keys(root?.fix ?? {})).toEqual(
      expect.arrayContaining(['kubectl', 'eksctl', 'aws', 'terraform', 'risks']),
    );
    expect(JSON.stringify(root?.fix)).toContain(
      'eksctl create iamidentitymapping --cluster platform --region us-west-2 --arn arn:aws:iam::111122223333:role/tfc-agent',
    );
  });

  test("the creator's own access is explained: system:masters through the hidden mapping", () => {
    const { status, report, raw } = explainJson([
      '--principal',
      'arn:aws:sts::111122223333:assumed-role/terraform-local/local-run',
      ...seed2Args,
    ]);
    expect(schemaErrors(raw)).toBe('');
    expect(status).toBe(0);
    expect(report.rootCause).toBeNull();
    expect(report.decision).toMatchObject({
      authenticated: true,
      source: 'cluster-creator',
      groups: ['system:masters'],
    });
    expect(report.steps.find((s) => s.title === 'Cluster creator')).toMatchObject({ status: 'pass' });
  });
});

describe('seed 1: the invalid aws-auth ConfigMap', () => {
  test('explain names yaml-invalid as the root cause, with the node rows it takes down, plus the path', () => {
    const { status, report, raw } = explainJson(['--principal', ssoSession, '--aws-auth', seed1]);
    expect(schemaErrors(raw)).toBe('');
    expect(status).toBe(1);
    expect(report.rootCause).toBe('aws-auth/yaml-invalid');
    const invalid = report.findings.find((f) => f.checkId === 'aws-auth/yaml-invalid');
    expect(invalid?.message).toContain('node-group-role');
    expect(invalid?.message).toContain('cluster-role');
    expect(report.findings.map((f) => f.checkId)).toContain('aws-auth/role-arn-has-path');
  });

  test('lint reports both, with positions in the file', () => {
    const result = eksauth(['lint', seed1, '--output', 'json']);
    const report = JSON.parse(result.stdout) as { findings: { checkId: string; location?: { line: number } }[] };
    expect(schemaErrors(report)).toBe('');
    expect(result.status).toBe(1);
    expect(report.findings.find((f) => f.checkId === 'aws-auth/yaml-invalid')?.location?.line).toBe(24);
    expect(report.findings.find((f) => f.checkId === 'aws-auth/role-arn-has-path')?.location?.line).toBe(23);
  });
});

describe('every output format of every example renders fully', () => {
  test.each(['human', 'markdown', 'json'])('%s leaves no {placeholder} unfilled', (format) => {
    for (const args of [
      ['lint', seed1],
      ['explain', '--principal', ssoSession, '--aws-auth', seed1],
      ['explain', '--principal', 'arn:aws:iam::111122223333:role/tfc-agent', ...seed2Args],
    ]) {
      const { stdout } = eksauth([...args, '--output', format]);
      // {{SessionName}} and friends are EKS's own templates; a single-brace {word} is ours, unfilled.
      expect(stdout.replace(/\{\{[A-Za-z]+\}\}/g, '')).not.toMatch(/(?<!\$)\{[a-z][A-Za-z]*\}/);
    }
  });

  test('human output is plain without a TTY and coloured only when forced', () => {
    expect(eksauth(['lint', seed1]).stdout).not.toContain('\x1b[');
    expect(eksauth(['lint', seed1], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).toContain('\x1b[');
    expect(eksauth(['lint', seed1, '--no-color'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).not.toContain(
      '\x1b[',
    );
  });
});
