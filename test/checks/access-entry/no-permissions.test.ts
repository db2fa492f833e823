import { describe, expect, test } from 'vitest';
import check from '../../../checks/access-entry/no-permissions.js';
import { unfilledPlaceholders } from '../../../src/core/render.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Hit } from '../../../src/core/types.js';
import type { AccessEntry, Evidence, RbacBinding } from '../../../src/model/evidence.js';
import { KNOWN_TEMPLATE_VARIABLES } from '../../../src/model/templates.js';
import { ACCOUNT, contextFor, entry, principal } from '../../helpers/evidence.js';

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
const unfilled = (hits: Hit[]): string[] =>
  hits
    .flatMap((hit) => {
      const f = renderHit(check, hit);
      return [f.message, f.remediation, ...Object.values(f.fix ?? {}).flat()].flatMap((t) =>
        unfilledPlaceholders(String(t)),
      );
    })
    .filter((name) => !(KNOWN_TEMPLATE_VARIABLES as readonly string[]).includes(name));

describe('access-entry/no-permissions', () => {
  test.each<[string, AccessEntry[], RbacBinding[] | undefined]>([
    ['a policy', [entry(CI, { associatedAccessPolicies: [VIEW] })], undefined],
    ['a group (bindings not given)', [entry(CI, { kubernetesGroups: ['deployers'] })], undefined],
    [
      'a bound group',
      [entry(CI, { kubernetesGroups: ['deployers'] })],
      [binding([{ kind: 'Group', name: 'deployers' }])],
    ],
    [
      'unbound groups but a binding for its username',
      [entry(CI, { kubernetesGroups: ['nobody'], username: 'ci-bot' })],
      [binding([{ kind: 'User', name: 'ci-bot' }])],
    ],
    [
      'unbound groups but a policy',
      [entry(CI, { kubernetesGroups: ['nobody'], associatedAccessPolicies: [VIEW] })],
      [binding([])],
    ],
    ['a node entry (the Node authorizer grants it)', [entry(CI, { type: 'EC2_LINUX' })], undefined],
  ])('passes: %s', (_, accessEntries, rbac) => {
    expect(check.run(contextFor({ cluster, accessEntries, ...(rbac ? { rbac } : {}) }))).toEqual([]);
  });

  test('fails: no policy and no group, and it is why the principal is forbidden', () => {
    const hits = check.run(
      contextFor({
        cluster,
        accessEntries: [entry(CI)],
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/ci/run-7`),
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'noPermissions',
        affectsPrincipal: true,
        subject: { kind: 'access-entry', name: CI },
        data: { arn: CI, username: `arn:aws:sts::${ACCOUNT}:assumed-role/ci/run-7` },
      },
    ]);
    expect(hits[0]?.data.aws).toContain(
      `aws eks associate-access-policy --cluster-name prod --principal-arn ${CI} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope type=cluster`,
    );
    expect(unfilled(hits)).toEqual([]);
  });

  test("fails for another principal's entry without concerning this one", () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/other`;
    const hits = check.run(
      contextFor({
        cluster,
        accessEntries: [entry(CI, { associatedAccessPolicies: [VIEW] }), entry(other)],
        principal: principal(CI),
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'noPermissions',
        affectsPrincipal: false,
        data: { arn: other, username: `arn:aws:sts::${ACCOUNT}:assumed-role/other/{{SessionName}}` },
      },
    ]);
  });

  test('fails: every group of the entry is unbound and nothing else grants', () => {
    const hits = check.run(
      contextFor({
        cluster,
        accessEntries: [entry(CI, { kubernetesGroups: ['deployer'] })],
        rbac: [binding([{ kind: 'Group', name: 'deployers' }])],
        principal: principal(CI),
      }),
    );
    expect(hits).toMatchObject([
      { messageId: 'groupsUnbound', affectsPrincipal: true, data: { groups: 'deployer', firstGroup: 'deployer' } },
    ]);
    expect(unfilled(hits)).toEqual([]);
  });

  test('info: no group and the policies were not listed', () => {
    const unlisted: AccessEntry = { principalArn: CI, type: 'STANDARD', kubernetesGroups: [] };
    const hits = check.run(contextFor({ cluster, accessEntries: [unlisted], principal: principal(CI) }));
    expect(hits).toMatchObject([{ messageId: 'policiesNotListed', affectsPrincipal: false }]);
    expect(renderHit(check, hits[0] as Hit).severity).toBe('info');
  });

  test('says nothing on a CONFIG_MAP cluster, where entries are not read (mode/config-map-only)', () => {
    expect(
      check.run(contextFor({ cluster: { ...cluster, authenticationMode: 'CONFIG_MAP' }, accessEntries: [entry(CI)] })),
    ).toEqual([]);
  });
});
