import { describe, expect, it } from 'vitest';
import { listShippedScenarios, loadScenario, parseScenario, ScenarioError } from '../../src/sandbox/scenario/load.js';

const minimal = (extra: string): string =>
  `name: t\naccounts:\n  - id: "111122223333"\nprincipals:\n  - { id: alice, type: user, name: alice }\n${extra}`;

function errorOf(text: string): string {
  try {
    parseScenario(text, 't.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario files', () => {
  it('every shipped scenario loads and names an expectation', () => {
    const names = listShippedScenarios();
    expect(names).toContain('healthy');
    expect(names).toContain('seed-debug-eks-unauthenticated');
    expect(names).toContain('seed-aws-auth-configmap-invalid');
    for (const name of names) {
      const scenario = loadScenario(name);
      expect(scenario.name, name).toBe(name);
      expect(scenario.clusters.length, name).toBeGreaterThan(0);
      // Named after its root cause's check id, optionally with a `--variant` (e.g. `--logging-off`).
      const id = scenario.expect.rootCause?.replace('/', '--');
      if (id) expect(name.startsWith('seed-') || name === id || name.startsWith(`${id}--`), name).toBe(true);
    }
  });

  it('finds a scenario by check id', () => {
    expect(loadScenario('aws-auth/yaml-invalid').name).toBe('aws-auth--yaml-invalid');
  });

  it('keeps aws-auth text verbatim, broken YAML included', () => {
    const scenario = loadScenario('seed-aws-auth-configmap-invalid');
    const mapRoles = scenario.clusters[0]?.awsAuthData?.mapRoles ?? '';
    expect(mapRoles).toContain('  username: {{SessionName}}\n');
    expect(mapRoles.split('\n')[0]).toBe('- rolearn: arn:aws:iam::000000000000:role/cluster-role');
  });

  it('fills defaults: ids, keys, the creator access entry in API modes', () => {
    const s = parseScenario(
      minimal(
        `  - { id: admin, type: role, name: admin, path: /ops/ }\nclusters:\n  - name: c\n    authenticationMode: API\n    creator: { principal: admin }\n`,
      ),
      't.yaml',
    );
    const alice = s.principals.find((p) => p.id === 'alice');
    expect(alice?.accessKeys[0]?.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(s.principals.find((p) => p.id === 'admin')?.arn).toBe('arn:aws:iam::111122223333:role/ops/admin');
    expect(s.principals.find((p) => p.id === 'admin')?.uniqueId).toMatch(/^AROA[A-Z2-7]{17}$/);
    const entry = s.clusters[0]?.accessEntries[0];
    expect(entry?.principalArn).toBe('arn:aws:iam::111122223333:role/ops/admin');
    expect(entry?.policies[0]?.policyArn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    // Same input, same ids: scenarios are reproducible.
    expect(parseScenario(minimal(''), 'a').principals[0]?.uniqueId).toBe(
      parseScenario(minimal(''), 'b').principals[0]?.uniqueId,
    );
  });

  it('reads relative dates', () => {
    const now = new Date('2026-01-31T00:00:00Z');
    const s = parseScenario(minimal('clusters:\n  - { name: c, createdAt: -30d }\n'), 't', now);
    expect(s.clusters[0]?.createdAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it.each([
    [
      'an unknown field',
      minimal('clusters:\n  - { name: c, authMode: API }\n'),
      "t.yaml: clusters[0]: unknown field 'authMode'",
    ],
    [
      'a bad mode',
      minimal('clusters:\n  - { name: c, authenticationMode: CONFIGMAP }\n'),
      't.yaml: clusters[0].authenticationMode: must be one of CONFIG_MAP, API_AND_CONFIG_MAP, API (got "CONFIGMAP")',
    ],
    [
      'an unquoted-looking account id',
      'name: t\naccounts:\n  - id: "1234"\n',
      't.yaml: accounts[0].id: must be a 12-digit account id',
    ],
    [
      'an unknown principal reference',
      minimal('clusters:\n  - { name: c, creator: { principal: bob } }\n'),
      "t.yaml: clusters[0].creator.principal: no principal 'bob'",
    ],
    [
      'bootstrap off in CONFIG_MAP',
      minimal('clusters:\n  - { name: c, bootstrapClusterCreatorAdminPermissions: false }\n'),
      'bootstrapClusterCreatorAdminPermissions: EKS rejects false in CONFIG_MAP mode',
    ],
    [
      'a path in the role name',
      minimal('  - { id: r, type: role, name: team/r }\n'),
      't.yaml: principals[1].name: "team/r" is not an IAM name',
    ],
    ['broken scenario YAML', 'name: [\n', 't.yaml: not valid YAML:'],
    [
      'access entries in CONFIG_MAP',
      minimal('clusters:\n  - name: c\n    accessEntries: [{ principal: alice }]\n'),
      'a CONFIG_MAP cluster cannot have access entries',
    ],
    [
      'a non-string aws-auth value',
      minimal('clusters:\n  - name: c\n    awsAuth: { mapRoles: [a] }\n'),
      't.yaml: clusters[0].awsAuth.mapRoles: must be a string, got a list',
    ],
    [
      'a clock offset without a sign',
      `clientClockOffset: 20m\n${minimal('')}`,
      't.yaml: clientClockOffset: must be a signed duration such as -20m or +6m (got "20m")',
    ],
    [
      'a bad fault',
      minimal('faults:\n  - { service: s3, kind: latency }\n'),
      't.yaml: faults[0].service: must be one of sts, eks, iam, cloudtrail, logs, kube (got "s3")',
    ],
  ])('rejects %s with one clear line', (_what, text, message) => {
    const error = errorOf(text);
    expect(error).toContain(message);
    expect(error.split('\n')).toHaveLength(1);
  });
});
