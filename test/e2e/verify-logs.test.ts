import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { eksauth } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'eksauth-verify-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SSO =
  'arn:aws:iam::000000000000:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_AdministratorAccess_3d0c6bf1a2e4b5c7';
const expectations = join(dir, 'sso.yaml');
writeFileSync(
  expectations,
  `clusters:\n  - name: eks-A\n    region: eu-west-2\nprincipals:\n  - arn: ${SSO}\n    authenticated: true\n`,
);

describe('eksauth verify --sandbox with control-plane logs on', () => {
  test("the authenticator's own verdict stands beside the expectation (human and JSON)", () => {
    const args = [
      'verify',
      '--sandbox',
      'seed-aws-auth-configmap-invalid--logs',
      '--expect',
      expectations,
      '--logs-since',
      '3h',
    ];
    const human = eksauth(args);
    expect(human.status, human.stderr).toBe(1);
    expect(human.stdout).toMatch(
      /authenticator log {2}\S+Z denied "identity is not mapped" \(identity\/principal-not-mapped\)/,
    );
    const json = eksauth([...args, '--output', 'json']);
    const parsed = JSON.parse(json.stdout) as {
      matrix: { principals: { observed: { authenticator?: { outcome: string; error?: string } } }[] }[];
    };
    expect(schemaErrors(parsed)).toBe('');
    expect(parsed.matrix[0]?.principals[0]?.observed.authenticator).toMatchObject({
      outcome: 'denied',
      error: 'identity is not mapped',
    });
  }, 90_000); // two CLI runs against a sandbox each; slow on a loaded 2-core machine

  test('--logs-since is validated with a one-line usage error', () => {
    const run = eksauth([
      'verify',
      '--sandbox',
      'seed-aws-auth-configmap-invalid--logs',
      '--expect',
      expectations,
      '--logs-since',
      'yesterday',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--logs-since');
  });
});
