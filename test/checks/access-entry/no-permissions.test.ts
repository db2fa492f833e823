import { describe, expect, test } from 'vitest';
import check from '../../../checks/access-entry/no-permissions.js';
import type { AccessEntry, Evidence, RbacBinding } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, entry, principal } from '../../helpers/evidence.js';

const CI = `arn:aws:iam::${ACCOUNT}:role/ci`;
const VIEW = {
  policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
  accessScope: { type: 'cluster' as const, namespaces: [] },
};
const binding = (subjects: RbacBinding['subjects']): RbacBinding => ({
  kind: 'ClusterRoleBinding',
  name: 'b',
  roleRef: { kind: 'ClusterRole', name: 'view' },
  subjects,
});
const cluster: Evidence['cluster'] = {
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'API',
};
const { run, passes, severityOf } = checkTable(check, { cluster });

describe('access-entry/no-permissions', () => {
  passes([
    ['a policy', { accessEntries: [entry(CI, { associatedAccessPolicies: [VIEW] })] }],
    ['a group (bindings not given)', { accessEntries: [entry(CI, { kubernetesGroups: ['deployers'] })] }],
    [
      'a bound group',
      {
        accessEntries: [entry(CI, { kubernetesGroups: ['deployers'] })],
        rbac: [binding([{ kind: 'Group', name: 'deployers' }])],
      },
    ],
    [
      'unbound groups but a binding for its username',
      {
        accessEntries: [entry(CI, { kubernetesGroups: ['nobody'], username: 'ci-bot' })],
        rbac: [binding([{ kind: 'User', name: 'ci-bot' }])],
      },
    ],
    [
      'unbound groups but a policy',
      {
        accessEntries: [entry(CI, { kubernetesGroups: ['nobody'], associatedAccessPolicies: [VIEW] })],
        rbac: [binding([])],
      },
    ],
    ['a node entry (the Node authorizer grants it)', { accessEntries: [entry(CI, { type: 'EC2_LINUX' })] }],
  ]);

  test('fails: no policy and no group, and it is why the principal is forbidden', () => {
    const hits = run({
      accessEntries: [entry(CI)],
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/ci/run-7`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'noPermissions',
        affectsPrincipal: true,
        subject: { kind: 'access-entry', name: CI },
        data: { arn: CI, username: `arn:aws:sts::${ACCOUNT}:assumed-role/ci/run-7` },
      },
    ]);
    expect(fixText(hits[0]?.data.aws)).toContain(
      `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn ${CI} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope 'type=cluster'`,
    );
    expectRendered(check, hits);
  });

  test("fails for another principal's entry without concerning this one", () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/other`;
    const hits = run({
      accessEntries: [entry(CI, { associatedAccessPolicies: [VIEW] }), entry(other)],
      principal: principal(CI),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'noPermissions',
        affectsPrincipal: false,
        data: { arn: other, username: `arn:aws:sts::${ACCOUNT}:assumed-role/other/{{SessionName}}` },
      },
    ]);
  });

  test('fails: every group of the entry is unbound and nothing else grants', () => {
    const hits = run({
      accessEntries: [entry(CI, { kubernetesGroups: ['deployer'] })],
      rbac: [binding([{ kind: 'Group', name: 'deployers' }])],
      principal: principal(CI),
    });
    expect(hits).toMatchObject([{ messageId: 'groupsUnbound', affectsPrincipal: true, data: { groups: 'deployer' } }]);
    // The entry's own group is bound; the entry is not changed.
    const steps = hits[0]?.fix ?? [];
    expect(steps.map((s) => fixText(s.kubectl)).join('\n')).toContain(
      "kubectl create clusterrolebinding deployer-view '--clusterrole=view' '--group=deployer'",
    );
    expect(steps.map((s) => fixText(s.aws)).join('\n')).not.toContain('update-access-entry');
    expectRendered(check, hits);
  });

  test('an entry with no group: the fix names a group, adds it to the entry, then grants exactly the refused request to it', () => {
    const hits = run({
      accessEntries: [entry(CI)],
      rbac: [],
      principal: principal(CI),
      probe: {
        status: 403,
        error:
          'configmaps is forbidden: User "ci" cannot list resource "configmaps" in API group "" in the namespace "default"',
      },
    });
    expect(hits).toMatchObject([{ messageId: 'noPermissions', affectsPrincipal: true }]);
    const [add, grant] = hits[0]?.fix ?? [];
    expect(fixText(add?.aws)).toBe(
      `aws eks update-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${CI} --kubernetes-groups ci-access`,
    );
    const create = JSON.stringify(grant?.kubectl);
    expect(create).toContain('"verbs":["list"]');
    expect(create).toContain('"resources":["configmaps"]');
    expect(create).toContain('"name":"ci-access"');
    // The alternative: the narrowest AWS-managed policy that grants it.
    expect(fixText(grant?.aws)).toContain('AmazonEKSViewPolicy');
    const all = (hits[0]?.fix ?? []).map((s) => `${fixText(s.kubectl)}${fixText(s.aws)}`).join('\n');
    expect(all).not.toMatch(/\bGROUP\b|CLUSTERROLE/);
  });

  test('info: no group and the policies were not listed', () => {
    const unlisted: AccessEntry = { principalArn: CI, type: 'STANDARD', kubernetesGroups: [] };
    const hits = run({ accessEntries: [unlisted], principal: principal(CI) });
    expect(hits).toMatchObject([{ messageId: 'policiesNotListed', affectsPrincipal: false }]);
    expect(severityOf(hits[0])).toBe('info');
  });

  test('says nothing on a CONFIG_MAP cluster, where entries are not read (mode/config-map-only)', () => {
    expect(run({ cluster: { ...cluster, authenticationMode: 'CONFIG_MAP' }, accessEntries: [entry(CI)] })).toEqual([]);
  });
});

describe('access-entry/no-permissions: which entries, and the exact fix data', () => {
  passes([
    [
      'one of two groups bound',
      {
        accessEntries: [entry(CI, { kubernetesGroups: ['nobody', 'deployers'] })],
        rbac: [binding([{ kind: 'Group', name: 'deployers' }])],
      },
    ],
    [
      'unbound groups, policies not listed (they may grant)',
      {
        accessEntries: [{ principalArn: CI, type: 'STANDARD', kubernetesGroups: ['nobody'] }],
        rbac: [binding([])],
      },
    ],
    ['no entries read', { rbac: [binding([])] }],
  ]);

  test('every group unbound: the groups are listed, and the fix data is the View policy in each tool', () => {
    const hits = run({ accessEntries: [entry(CI, { kubernetesGroups: ['a', 'b'] })], rbac: [] });
    expect(hits).toMatchObject([
      {
        messageId: 'groupsUnbound',
        affectsPrincipal: false,
        subject: { kind: 'access-entry', name: CI },
        data: {
          arn: CI,
          cluster: 'prod',
          groups: 'a, b',
          username: `arn:aws:sts::${ACCOUNT}:assumed-role/ci/{{SessionName}}`,
        },
      },
    ]);
    const data = hits[0]?.data ?? {};
    expect(fixText(data.aws).split('\n')).toEqual([
      '# Read-only; for more use AmazonEKSEditPolicy, AmazonEKSAdminPolicy or AmazonEKSClusterAdminPolicy:',
      `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn ${CI} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope 'type=cluster'`,
    ]);
    expect(fixText(data.eksctl)).toMatch(/^# eksctl cannot add a policy to an existing access entry/);
    expect(fixText(data.terraform).split('\n')).toEqual([
      '# terraform-aws-modules/eks v20+ (module "eks")',
      'access_entries = {',
      '  ci = {',
      `    principal_arn = "${CI}"`,
      '    policy_associations = {',
      '      view_policy = {',
      '        policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"',
      '        access_scope = { type = "cluster" }',
      '      }',
      '    }',
      '  }',
      '}',
    ]);
    expectRendered(check, hits);
  });

  test('the policies-not-listed info carries no fix steps and names the cluster for the list command', () => {
    const hits = run({ accessEntries: [{ principalArn: CI, type: 'STANDARD', kubernetesGroups: [] }] });
    expect(hits).toHaveLength(1);
    expect(hits[0]).not.toHaveProperty('fix');
    expect(hits[0]?.data).toMatchObject({ arn: CI, cluster: 'prod', groups: '' });
  });
});
