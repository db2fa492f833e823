import { describe, expect, test } from 'vitest';
import { eksauth, example } from '../helpers/cli.js';

const savedEvidence = (evidence: unknown): string =>
  JSON.stringify({
    kind: 'eksauth-evidence',
    version: 1,
    collectedAt: '2026-01-01T00:00:00.000Z',
    request: { cluster: 'demo', region: 'us-east-1' },
    evidence,
  });

/** Bad input gets one clear line on stderr and exit 2: never a stack trace, never a hang. */
describe('bad input', () => {
  test.each<[string, string[], string, string?]>([
    ['a missing file', ['lint', '/nonexistent/aws-auth.yaml'], 'cannot read the aws-auth ConfigMap'],
    ['text that is not YAML', ['lint', '-'], 'not valid YAML or JSON', 'a: [unclosed\n'],
    ['YAML that is not a ConfigMap', ['lint', '-'], 'no ConfigMap found', 'just: a map\n'],
    ['an unknown flag', ['lint', '--frobnicate'], 'Unknown argument: frobnicate'],
    ['an unknown command', ['frobnicate'], 'Unknown argument: frobnicate'],
    ['no command', [], 'Name a command'],
    ['a malformed principal ARN', ['explain', '--principal', 'arn:aws:s3:::bucket'], '--principal: service s3'],
    [
      'a principal that is not an ARN',
      ['explain', '--principal', 'tfc-agent'],
      "--principal: arn 'tfc-agent' is invalid",
    ],
    [
      'cluster info that is not JSON',
      [
        'explain',
        '--principal',
        'arn:aws:iam::1:role/a',
        '--cluster-info',
        example('seed2-terraform-cloud-agent/aws-auth.yaml'),
      ],
      'is not JSON',
    ],
    [
      'cluster info of the wrong shape',
      ['explain', '--principal', 'arn:aws:iam::1:role/a', '--cluster-info', '-'],
      'expected `aws eks describe-cluster',
      '{"clusters": []}',
    ],
    // yargs' whole complaint, on one line: the flag, what was given and what is allowed.
    [
      'an invalid mode',
      ['explain', '--principal', 'arn:aws:iam::1:role/a', '--mode', 'OPEN'],
      'Invalid values: Argument: mode, Given: "OPEN", Choices: "CONFIG_MAP", "API_AND_CONFIG_MAP", "API"',
    ],
    [
      'an invalid output format',
      ['lint', '-o', 'xml', '-'],
      'Invalid values: Argument: output, Given: "xml", Choices: "human", "json", "markdown"',
    ],
    [
      'an invalid sandbox auth',
      ['sandbox', '--auth', 'sso'],
      'Argument: auth, Given: "sso", Choices: "aws-cli", "eksauth"',
    ],
    ['an unknown check id', ['checks', 'nope/nope'], "unknown check id 'nope/nope'"],
    [
      'an evidence file of the wrong shape',
      ['doctor', '--evidence', '-'],
      'evidence.accessEntries: expected an array, found number 5',
      savedEvidence({ accessEntries: 5 }),
    ],
    [
      'an evidence file with a wrong nested field',
      ['doctor', '--evidence', '-'],
      'evidence.probe.selfSubjectReview.groups[0]: expected string, found number 7',
      savedEvidence({ probe: { status: 200, error: null, selfSubjectReview: { username: 'u', groups: [7] } } }),
    ],
    [
      'an evidence file with nothing collected (not "no problems found")',
      ['doctor', '--evidence', '-'],
      'holds no evidence',
      savedEvidence({}),
    ],
  ])('%s', (_, args, message, input) => {
    const result = eksauth(args, input !== undefined ? { input } : {});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });
});

describe('help and version', () => {
  test('--version prints the package version', () => {
    expect(eksauth(['--version'])).toMatchObject({ status: 0, stdout: '0.1.0\n' });
  });

  test('--help lists the commands', () => {
    const { status, stdout } = eksauth(['--help']);
    expect(status).toBe(0);
    for (const command of ['lint', 'explain', 'checks']) expect(stdout).toContain(`eksauth ${command}`);
  });
});
