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
    expect(hits).toMatchObject([
      { messageId: 'groupsUnbound', affectsPrincipal: true, data: { groups: 'deployer', firstGroup: 'deployer' } },
    ]);
    expectRendered(check, hits);
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
