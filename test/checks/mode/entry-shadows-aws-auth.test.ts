import { describe, expect, test } from 'vitest';
import check from '../../../checks/mode/entry-shadows-aws-auth.js';
import type { AccessEntry, AssociatedAccessPolicy, AuthenticationMode, Evidence } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, entry, principal } from '../../helpers/evidence.js';

const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const NODE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;
const row = (arn: string, username: string, groups: string[]) =>
  `- rolearn: ${arn}\n  username: ${username}\n  groups:\n${groups.map((g) => `    - ${g}`).join('\n')}\n`;
const adminRow = row(ADMIN, 'admin', ['system:masters']);
const policy = (
  name: string,
  scope: AssociatedAccessPolicy['accessScope'] = { type: 'cluster', namespaces: [] },
): AssociatedAccessPolicy => ({ policyArn: `arn:aws:eks::aws:cluster-access-policy/${name}`, accessScope: scope });
const cluster = (authenticationMode: AuthenticationMode): Evidence['cluster'] => ({
  name: 'prod',
  accountId: ACCOUNT,
  authenticationMode,
});
const evidenceWith = (
  mapRoles: string,
  entries: AccessEntry[],
  mode: AuthenticationMode = 'API_AND_CONFIG_MAP',
): Evidence => ({ cluster: cluster(mode), awsAuth: awsAuthFrom({ mapRoles }), accessEntries: entries });
const { run, passes, severityOf } = checkTable(check);

describe('mode/entry-shadows-aws-auth', () => {
  passes([
    ['no entry for the row', evidenceWith(adminRow, [entry(`arn:aws:iam::${ACCOUNT}:role/Other`)])],
    ['mode API: aws-auth is ignored anyway (mode/api-ignores-aws-auth)', evidenceWith(adminRow, [entry(ADMIN)], 'API')],
    ['mode CONFIG_MAP: entries are not read', evidenceWith(adminRow, [entry(ADMIN)], 'CONFIG_MAP')],
    [
      'a node entry over the node row EKS wrote',
      evidenceWith(row(NODE, 'system:node:{{EC2PrivateDNSName}}', ['system:bootstrappers', 'system:nodes']), [
        entry(NODE, {
          type: 'EC2_LINUX',
          username: 'system:node:{{EC2PrivateDNSName}}',
          kubernetesGroups: ['system:nodes'],
        }),
      ]),
    ],
  ]);

  test('fails: an entry without policies hides a system:masters row (the principal gets 403)', () => {
    const evidence: Evidence = {
      ...evidenceWith(adminRow, [entry(ADMIN)]),
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`),
    };
    const hits = run(evidence);
    expect(hits).toMatchObject([
      {
        messageId: 'dropsMasters',
        affectsPrincipal: true,
        location: { key: 'mapRoles[0].rolearn' },
        data: { entryArn: ADMIN, where: 'aws-auth mapRoles[0] (line 9)', granted: 'no access policy and no group' },
      },
    ]);
    expect(fixText(hits[0]?.data.aws)).toContain(
      `associate-access-policy --cluster-name prod --region REGION --principal-arn arn:aws:iam::111122223333:role/Admin --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope 'type=cluster'`,
    );
    expect(severityOf(hits[0])).toBe('error');
    expectRendered(check, hits);
  });

  test('fails without a principal too, but concerns nobody', () => {
    expect(
      run(evidenceWith(adminRow, [entry(ADMIN, { associatedAccessPolicies: [policy('AmazonEKSViewPolicy')] })])),
    ).toMatchObject([
      {
        messageId: 'dropsMasters',
        affectsPrincipal: false,
        data: { granted: 'policies AmazonEKSViewPolicy and no group' },
      },
    ]);
  });

  test('a namespace-scoped cluster-admin policy is not system:masters', () => {
    const hits = run(
      evidenceWith(adminRow, [
        entry(ADMIN, {
          associatedAccessPolicies: [policy('AmazonEKSClusterAdminPolicy', { type: 'namespace', namespaces: ['dev'] })],
        }),
      ]),
    );
    expect(hits).toMatchObject([{ messageId: 'dropsMasters' }]);
  });

  test('fails: an entry with nothing replaces a row with ordinary groups', () => {
    const evidence: Evidence = {
      ...evidenceWith(row(ADMIN, 'dev', ['developers']), [entry(ADMIN)]),
      principal: principal(ADMIN),
    };
    expect(run(evidence)).toMatchObject([
      { messageId: 'grantsNothing', affectsPrincipal: true, data: { rowGroups: 'developers' } },
    ]);
  });

  test('warns: the entry keeps some groups of the row but not all', () => {
    const evidence: Evidence = {
      ...evidenceWith(row(ADMIN, 'dev', ['developers', 'readers']), [entry(ADMIN, { kubernetesGroups: ['readers'] })]),
      principal: principal(ADMIN),
    };
    const hits = run(evidence);
    expect(hits).toMatchObject([
      { messageId: 'dropsGroups', affectsPrincipal: false, data: { lostGroups: 'developers' } },
    ]);
    expect(fixText(hits[0]?.data.aws)).toContain(
      'update-access-entry --cluster-name prod --region REGION --principal-arn arn:aws:iam::111122223333:role/Admin --kubernetes-groups readers developers',
    );
  });

  test('info: an equivalent entry replaces the row (delete the row once verified)', () => {
    const hits = run(
      evidenceWith(adminRow, [entry(ADMIN, { associatedAccessPolicies: [policy('AmazonEKSClusterAdminPolicy')] })]),
    );
    expect(hits).toMatchObject([{ messageId: 'replacesRow', affectsPrincipal: false }]);
    expect(severityOf(hits[0])).toBe('info');
  });

  test('unknown policies are never called a loss', () => {
    const unlisted: AccessEntry = { principalArn: ADMIN, type: 'STANDARD', kubernetesGroups: [] };
    expect(run(evidenceWith(adminRow, [unlisted]))).toMatchObject([
      {
        messageId: 'replacesRow',
        data: { note: ' (its access policies were not listed, so what it grants is unknown)' },
      },
    ]);
  });

  test('matches an entry carrying the role path against the path-less row', () => {
    expect(run(evidenceWith(adminRow, [entry(`arn:aws:iam::${ACCOUNT}:role/team/Admin`)]))).toMatchObject([
      { messageId: 'dropsMasters' },
    ]);
  });

  test("a node-type entry over a person's row: the fix recreates it as STANDARD", () => {
    const hits = run(
      evidenceWith(adminRow, [
        entry(ADMIN, {
          type: 'EC2_LINUX',
          username: 'system:node:{{EC2PrivateDNSName}}',
          kubernetesGroups: ['system:nodes'],
        }),
      ]),
    );
    expect(hits).toMatchObject([
      { messageId: 'dropsMasters', data: { granted: 'no access policy and groups system:nodes' } },
    ]);
    expect(String(fixText(hits[0]?.data.aws)).split('\n')).toEqual([
      `aws eks delete-access-entry --cluster-name prod --region REGION --principal-arn ${ADMIN}`,
      `aws eks create-access-entry --cluster-name prod --region REGION --principal-arn ${ADMIN}`,
      `aws eks associate-access-policy --cluster-name prod --region REGION --principal-arn ${ADMIN} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope 'type=cluster'`,
    ]);
  });

  test('reads nothing without aws-auth evidence', () => {
    const mixed = cluster('API_AND_CONFIG_MAP');
    expect(run({ cluster: mixed, accessEntries: [entry(ADMIN)] })).toEqual([]);
    expect(run({ cluster: mixed, accessEntries: [entry(ADMIN)], awsAuth: { state: 'absent' } })).toEqual([]);
  });

  test('data of a lossy entry: subject, every group, every policy, the username change, the Terraform plan', () => {
    const hits = run(
      evidenceWith(row(ADMIN, 'admin', ['system:masters', 'developers', 'readers']), [
        entry(ADMIN, {
          username: 'jane',
          associatedAccessPolicies: [
            policy('AmazonEKSViewPolicy'),
            policy('AmazonEKSEditPolicy', { type: 'namespace', namespaces: ['dev'] }),
          ],
        }),
      ]),
    );
    expect(hits).toEqual([
      expect.objectContaining({
        messageId: 'dropsMasters',
        subject: { kind: 'access-entry', name: ADMIN },
        data: expect.objectContaining({
          rowGroups: 'system:masters, developers, readers',
          lostGroups: 'developers, readers',
          granted: 'policies AmazonEKSViewPolicy, AmazonEKSEditPolicy and no group',
          note: ', and its username jane replaces admin',
        }),
      }),
    ]);
    // The plan keeps the entry's username and its cluster-scoped policies (not the namespace-scoped one).
    expect(fixText(hits[0]?.data.terraform)).toBe(
      [
        '# terraform-aws-modules/eks v20+ (module "eks")',
        'access_entries = {',
        '  admin = {',
        `    principal_arn = "${ADMIN}"`,
        '    user_name = "jane"',
        '    kubernetes_groups = ["developers", "readers"]',
        '    policy_associations = {',
        '      view_policy = {',
        '        policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"',
        '        access_scope = { type = "cluster" }',
        '      }',
        '      cluster_admin_policy = {',
        '        policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"',
        '        access_scope = { type = "cluster" }',
        '      }',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  test('an entry already equivalent to an ordinary row: nothing to add, only the row to remove', () => {
    const hits = run(
      evidenceWith(row(ADMIN, 'dev', ['developers']), [
        entry(ADMIN, {
          username: 'dev',
          kubernetesGroups: ['developers'],
          associatedAccessPolicies: [policy('AmazonEKSViewPolicy')],
        }),
      ]),
    );
    expect(hits).toMatchObject([
      { messageId: 'replacesRow', data: { granted: 'policies AmazonEKSViewPolicy and groups developers', note: '' } },
    ]);
    expect(fixText(hits[0]?.data.aws)).toBe(
      '# Nothing to add; after verifying the entry, remove mapRoles[0] from aws-auth.',
    );
    expect(fixText(hits[0]?.data.terraform)).not.toContain('AmazonEKSClusterAdminPolicy');
    expect(fixText(hits[0]?.data.terraform)).toContain('view_policy = {');
  });

  test('a row with neither groups nor username: the entry replaces it, granting nothing is no loss', () => {
    const hits = run(evidenceWith(`- rolearn: ${ADMIN}\n  username: ""\n`, [entry(ADMIN)]));
    expect(hits).toMatchObject([
      {
        messageId: 'replacesRow',
        data: {
          rowGroups: '(none)',
          granted: 'no access policy and no group',
          note: `, and its username arn:aws:sts::${ACCOUNT}:assumed-role/Admin/{{SessionName}} replaces (the ARN)`,
        },
      },
    ]);
  });

  test('unlisted policies: groups the entry lacks are still lost', () => {
    const unlisted: AccessEntry = { principalArn: ADMIN, type: 'STANDARD', kubernetesGroups: [] };
    expect(run(evidenceWith(row(ADMIN, 'dev', ['developers']), [unlisted]))).toMatchObject([
      { messageId: 'dropsGroups', data: { lostGroups: 'developers', granted: 'policies not listed and no group' } },
    ]);
  });

  test('two rows for one ARN: compared with the row EKS uses (the later one overrides)', () => {
    const rows = row(ADMIN, 'dev', ['developers']) + row(ADMIN, 'other', ['readers']);
    expect(run(evidenceWith(rows, [entry(ADMIN)]))).toMatchObject([
      { messageId: 'grantsNothing', data: { where: 'aws-auth mapRoles[1] (line 9)', rowGroups: 'readers' } },
    ]);
  });

  test('a node entry over a row that is not a complete node row is still reported', () => {
    const node = (username: string, groups: string[]) =>
      run(evidenceWith(row(NODE, username, groups), [entry(NODE, { type: 'EC2_LINUX' })]));
    expect(node('system:node:{{EC2PrivateDNSName}}', ['system:bootstrappers'])).toMatchObject([
      { messageId: 'dropsGroups', data: { lostGroups: 'system:bootstrappers' } },
    ]);
    expect(node('builder', ['system:nodes'])).toHaveLength(1);
  });

  test('the fix only adds what is missing: no "nothing to add" comment, no extra policy', () => {
    const hits = run(
      evidenceWith(row(ADMIN, 'dev', ['developers', 'readers']), [
        entry(ADMIN, {
          kubernetesGroups: ['readers', 'ops'],
          associatedAccessPolicies: [policy('AmazonEKSViewPolicy')],
        }),
      ]),
    );
    expect(hits).toMatchObject([
      { messageId: 'dropsGroups', data: { granted: 'policies AmazonEKSViewPolicy and groups readers, ops' } },
    ]);
    expect(fixText(hits[0]?.data.aws)).toBe(
      `aws eks update-access-entry --cluster-name prod --region REGION --principal-arn ${ADMIN} --kubernetes-groups readers ops developers`,
    );
    expect(fixText(hits[0]?.data.terraform)).toContain(
      '    policy_associations = {\n      view_policy = {\n        policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"\n        access_scope = { type = "cluster" }\n      }\n    }\n',
    );
  });
});
