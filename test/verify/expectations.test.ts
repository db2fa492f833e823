import { describe, expect, test } from 'vitest';
import { ExpectationsError, matchesPattern, parseExpectations } from '../../src/verify/expectations.js';

function errorsOf(text: string): string[] {
  try {
    parseExpectations(text, 'e.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ExpectationsError);
    return (error as ExpectationsError).lines;
  }
  throw new Error('expected an ExpectationsError');
}

describe('expectations file', () => {
  test('reads clusters, principals, patterns and can-i expectations', () => {
    const parsed = parseExpectations(
      [
        'version: 1',
        'clusters: [prod, { name: staging, region: eu-west-1 }]',
        'principals:',
        '  - arn: arn:aws:iam::111122223333:role/deployer',
        '    sessionName: ci',
        '    authenticated: true',
        '    source: access-entry',
        '    username: "deployer:*"',
        '    groups: [deployers]',
        '    can:',
        '      - { verb: create, resource: deployments, group: apps, namespace: payments, allowed: true }',
        '  - arn: arn:aws:sts::111122223333:assumed-role/ops/omar',
        '    authenticated: false',
        '  - profile: ci-user',
        '    can: [{ verb: get, resource: pods, allowed: false }]',
      ].join('\n'),
      'e.yaml',
    );
    expect(parsed.clusters).toEqual([{ name: 'prod' }, { name: 'staging', region: 'eu-west-1' }]);
    const [deployer, ops, ci] = parsed.principals;
    expect(deployer).toMatchObject({
      arn: 'arn:aws:iam::111122223333:role/deployer',
      sessionName: 'ci',
      source: 'access-entry',
      username: 'deployer:*',
      groups: ['deployers'],
      position: { line: 4, column: 5 },
    });
    expect(deployer?.can).toEqual([
      {
        verb: 'create',
        resource: 'deployments',
        group: 'apps',
        namespace: 'payments',
        allowed: true,
        position: { line: 11, column: 9 },
      },
    ]);
    // The session name of an assumed-role ARN is the one the principal signs with.
    expect(ops).toMatchObject({ sessionName: 'omar', authenticated: false });
    expect(ci).toMatchObject({ profile: 'ci-user', label: 'profile ci-user' });
  });

  test('every error is one line with its file position, all of them, in file order', () => {
    const lines = errorsOf(
      [
        'principals:',
        '  - arn: arn:aws:iam::111122223333:role/a',
        '    source: configmap',
        '    usrname: x',
        '  - arn: not-an-arn',
        '    authenticated: yes please',
        '  - authenticated: true',
        '  - arn: arn:aws:iam::111122223333:role/b',
        '    authenticated: false',
        '    username: b',
        '  - arn: arn:aws:iam::111122223333:role/c',
        '    can: [{ verb: get, allowed: true }]',
      ].join('\n'),
    );
    expect(lines).toEqual([
      'e.yaml:3:13: principals[0].source: must be one of access-entry, aws-auth, cluster-creator (got "configmap")',
      'e.yaml:4:5: principals[0]: unknown key "usrname" (expected one of arn, profile, sessionName, authenticated, source, username, groups, can)',
      expect.stringMatching(/^e\.yaml:5:10: principals\[1\]\.arn: /),
      'e.yaml:6:20: principals[1].authenticated: must be true or false',
      'e.yaml:7:5: principals[2]: needs an arn (role or user) or a profile',
      'e.yaml:10:5: principals[3].username: a principal expected to be unauthenticated has no username',
      'e.yaml:12:11: principals[4].can[0]: needs resource',
    ]);
    expect(errorsOf('principals:\n  - arn: arn:aws:iam::111122223333:role/a\n')).toEqual([
      'e.yaml:2:5: principals[0]: states no expectation (authenticated, source, username, groups or can)',
    ]);
    for (const line of lines) expect(line).not.toContain('\n');
  });

  test('broken YAML and a wrong top level are positioned errors, not stack traces', () => {
    expect(errorsOf('principals:\n  - arn: [unclosed\n')[0]).toMatch(/^e\.yaml:\d+:\d+: not valid YAML: /);
    expect(errorsOf('- a\n- b\n')).toEqual([
      'e.yaml:1:1: expected a mapping with `principals:` (and optionally `clusters:`)',
    ]);
    expect(errorsOf('clusters: [x]\n')).toEqual(['e.yaml:1:1: no `principals:` list']);
    expect(errorsOf('version: 2\nprincipals: []\n')).toEqual(['e.yaml:1:10: version: only version 1 exists']);
  });

  test('patterns: * matches any run of characters, everything else is literal', () => {
    expect(matchesPattern('deployer:*', 'deployer:ci-run-81')).toBe(true);
    expect(matchesPattern('deployer:*', 'admin:deployer:x')).toBe(false);
    expect(matchesPattern('a.b', 'axb')).toBe(false);
    expect(matchesPattern('arn:aws:sts::1:assumed-role/r/*', 'arn:aws:sts::1:assumed-role/r/s')).toBe(true);
    expect(matchesPattern('system:masters', 'system:masters')).toBe(true);
    expect(matchesPattern('system:masters', 'system:masters2')).toBe(false);
  });
});
