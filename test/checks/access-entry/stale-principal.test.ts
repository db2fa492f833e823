import { describe, expect, test } from 'vitest';
import check, { toMillis } from '../../../checks/access-entry/stale-principal.js';
import type { Evidence, IamPrincipalDetails } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, entry, principal } from '../../helpers/evidence.js';

const CI = `arn:aws:iam::${ACCOUNT}:role/ci`;
const CI_WITH_PATH = `arn:aws:iam::${ACCOUNT}:role/automation/ci`;
const cluster: Evidence['cluster'] = {
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'API',
};
const details = (createDate: string | undefined, arn = CI): IamPrincipalDetails => ({
  arn,
  path: '/',
  ...(createDate !== undefined ? { createDate } : {}),
});
const { run, passes } = checkTable(check, { cluster });

describe('access-entry/stale-principal', () => {
  passes([
    [
      'role created before its entry',
      {
        accessEntries: [entry(CI, { createdAt: '2024-03-14T15:31:44Z' })],
        principalDetails: details('2023-01-01T00:00:00Z'),
      },
    ],
    [
      'same instant',
      { accessEntries: [entry(CI, { createdAt: '1710430304' })], principalDetails: details('2024-03-14T15:31:44Z') },
    ],
    [
      'entry of another role',
      {
        accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/other`, { createdAt: '2020-01-01T00:00:00Z' })],
        principalDetails: details('2024-01-01T00:00:00Z'),
      },
    ],
    ['entry without createdAt', { accessEntries: [entry(CI)], principalDetails: details('2024-01-01T00:00:00Z') }],
    [
      'role without createDate',
      { accessEntries: [entry(CI, { createdAt: '2020-01-01T00:00:00Z' })], principalDetails: details(undefined) },
    ],
    [
      'unreadable dates',
      { accessEntries: [entry(CI, { createdAt: 'yesterday' })], principalDetails: details('2024-01-01T00:00:00Z') },
    ],
  ]);

  test('fails: the role is younger than its entry (epoch seconds from the API, ISO from IAM)', () => {
    const e = entry(CI, {
      createdAt: '1710430304.348',
      kubernetesGroups: ['deployers'],
      associatedAccessPolicies: [
        {
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
          accessScope: { type: 'namespace', namespaces: ['apps'] },
        },
      ],
    });
    const hits = run({
      accessEntries: [e],
      principalDetails: details('2024-06-01T08:00:00Z'),
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/ci/run-1`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'recreatedAfterEntry',
        affectsPrincipal: true,
        subject: { kind: 'access-entry', name: CI },
        data: {
          iamArn: CI,
          entryArn: CI,
          createDate: '2024-06-01T08:00:00.000Z',
          entryCreatedAt: '2024-03-14T15:31:44.348Z',
        },
      },
    ]);
    const aws = String(fixText(hits[0]?.data.aws)).split('\n');
    expect(aws).toEqual([
      `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${CI}`,
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${CI} --kubernetes-groups deployers`,
      `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn ${CI} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy --access-scope 'type=namespace,namespaces=apps'`,
    ]);
    expectRendered(check, hits);
  });

  test('matches across a role path, and a node entry keeps its type', () => {
    const hits = run({
      accessEntries: [entry(CI_WITH_PATH, { type: 'EC2_LINUX', createdAt: '2024-01-01T00:00:00Z' })],
      principalDetails: details('2024-02-01T00:00:00Z', CI_WITH_PATH),
    });
    expect(hits).toMatchObject([
      { messageId: 'recreatedAfterEntry', affectsPrincipal: false, data: { entryArn: CI_WITH_PATH } },
    ]);
    expect(fixText(hits[0]?.data.aws)).toContain(`--principal-arn ${CI_WITH_PATH} --type EC2_LINUX`);
  });

  test.each([
    ['1710430304', 1710430304000],
    ['1710430304.5', 1710430304500],
    ['2024-03-14T15:31:44Z', 1710430304000],
    ['not a date', undefined],
    [undefined, undefined],
  ])('reads the timestamp %s', (value, expected) => {
    expect(toMillis(value)).toBe(expected);
  });

  test('says nothing on a CONFIG_MAP cluster, where entries are not read (mode/config-map-only)', () => {
    expect(
      run({
        cluster: { ...cluster, authenticationMode: 'CONFIG_MAP' },
        accessEntries: [entry(CI, { createdAt: '2020-01-01T00:00:00Z' })],
        principalDetails: details('2024-01-01T00:00:00Z'),
      }),
    ).toEqual([]);
  });
});

describe('access-entry/stale-principal: the recreate commands', () => {
  const BOT = `arn:aws:iam::${ACCOUNT}:role/team/Deploy.Bot`;
  const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
  const EDIT = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy';
  const recreated = (fields: Parameters<typeof entry>[1], arn = BOT) =>
    run({
      accessEntries: [entry(arn, { createdAt: '2024-01-01T00:00:00Z', ...fields })],
      principalDetails: details('2024-02-01T00:00:00Z', arn),
    });

  test('a standard entry keeps its username, groups and both policy scopes', () => {
    const hits = recreated({
      username: 'deploy-bot',
      kubernetesGroups: ['g1', 'g2'],
      associatedAccessPolicies: [
        { policyArn: VIEW, accessScope: { type: 'cluster', namespaces: [] } },
        { policyArn: EDIT, accessScope: { type: 'namespace', namespaces: ['a', 'b'] } },
      ],
    });
    expect(hits).toHaveLength(1);
    const data = hits[0]?.data ?? {};
    expect(data).toMatchObject({ cluster: 'prod', entryKey: 'deploy_bot' });
    const target = '--cluster-name prod --region eu-west-1';
    expect(fixText(data.aws).split('\n')).toEqual([
      `aws eks delete-access-entry ${target} --principal-arn ${BOT}`,
      `aws eks create-access-entry ${target} --principal-arn ${BOT} --username deploy-bot --kubernetes-groups g1 g2`,
      `aws eks associate-access-policy ${target} --principal-arn ${BOT} --policy-arn ${VIEW} --access-scope 'type=cluster'`,
      `aws eks associate-access-policy ${target} --principal-arn ${BOT} --policy-arn ${EDIT} --access-scope 'type=namespace,namespaces=a,b'`,
    ]);
    const eksctl = fixText(data.eksctl);
    expect(eksctl).toContain(`- principalARN: "${BOT}"\n      kubernetesUsername: "deploy-bot"`);
    expect(eksctl).toContain('kubernetesGroups:\n        - "g1"\n        - "g2"');
    expect(eksctl).toContain(`- policyARN: "${VIEW}"\n          accessScope:\n            type: "cluster"`);
    const terraform = fixText(data.terraform);
    expect(terraform.split('\n').slice(0, 3)).toEqual([
      '# Replace the entry so it is created again for the current principal (deploy_bot: its key in access_entries), and its policy associations with it (deleting the entry deleted them; their keys are those of policy_associations below):',
      `# terraform apply -replace='module.eks.aws_eks_access_entry.this["deploy_bot"]' -replace='module.eks.aws_eks_access_policy_association.this["deploy_bot_view_policy"]' -replace='module.eks.aws_eks_access_policy_association.this["deploy_bot_edit_policy"]'`,
      '# It should read:',
    ]);
    expect(terraform).toContain(`deploy_bot = {\n    principal_arn = "${BOT}"\n    user_name = "deploy-bot"`);
    expect(terraform).toContain('kubernetes_groups = ["g1", "g2"]');
    expect(terraform).toContain(
      `view_policy = {\n        policy_arn = "${VIEW}"\n        access_scope = { type = "cluster" }`,
    );
    // The namespaced association comes back in its namespaces, never widened to the cluster, in every dialect.
    expect(eksctl).toContain(
      `- policyARN: "${EDIT}"\n          accessScope:\n            type: "namespace"\n            namespaces:\n              - "a"\n              - "b"`,
    );
    expect(terraform).toContain(
      `edit_policy = {\n        policy_arn = "${EDIT}"\n        access_scope = { type = "namespace", namespaces = ["a", "b"] }`,
    );
    // eksctl deletes, then creates the entry with both associations from one config.
    expect(fixText(data.eksctl).split('\n')[0]).toBe(
      `eksctl delete accessentry --cluster prod --region eu-west-1 --principal-arn ${BOT}`,
    );
    expectRendered(check, hits);
  });

  test.each(['EC2_WINDOWS', 'FARGATE_LINUX', 'EC2_LINUX'] as const)(
    'a %s node entry is recreated with its type and without username or groups',
    (type) => {
      const NODE = `arn:aws:iam::${ACCOUNT}:role/node`;
      const hits = recreated({ type, username: 'someone', kubernetesGroups: ['g'] }, NODE);
      const data = hits[0]?.data ?? {};
      expect(fixText(data.aws).split('\n')[1]).toBe(
        `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${NODE} --type ${type}`,
      );
      expect(fixText(data.eksctl)).toContain(`- principalARN: "${NODE}"\n      type: "${type}"\nEOF`);
      expect(fixText(data.terraform)).toContain(`node = { principal_arn = "${NODE}", type = "${type}" }`);
    },
  );

  test.each(['HYBRID_LINUX', 'HYPERPOD_LINUX', 'EC2'] as const)(
    'a %s entry is recreated with its own type, never as STANDARD, in every dialect',
    (type) => {
      const NODE = `arn:aws:iam::${ACCOUNT}:role/node`;
      const hits = recreated(
        { type, username: 'system:node:{{SessionName}}', kubernetesGroups: ['system:nodes'] },
        NODE,
      );
      const data = hits[0]?.data ?? {};
      expect(fixText(data.aws).split('\n').slice(0, 2)).toEqual([
        `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${NODE}`,
        `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${NODE} --type ${type}`,
      ]);
      expect(fixText(data.terraform)).toContain(`node = { principal_arn = "${NODE}", type = "${type}" }`);
      const eksctl = fixText(data.eksctl);
      if (type === 'HYPERPOD_LINUX') {
        // eksctl's config refuses the type: it must not delete what it cannot create again.
        expect(eksctl).toBe(
          '# access entries of type HYPERPOD_LINUX are unknown to eksctl: eksctl could delete the entry but not create it again, so use the aws CLI or Terraform',
        );
      } else expect(eksctl).toContain(`- principalARN: "${NODE}"\n      type: "${type}"\nEOF`);
    },
  );

  test('an EC2 (Auto Mode) entry keeps its namespaced and cluster-wide associations', () => {
    const NODE = `arn:aws:iam::${ACCOUNT}:role/auto-node`;
    const AUTO = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy';
    const hits = recreated(
      {
        type: 'EC2',
        associatedAccessPolicies: [
          { policyArn: AUTO, accessScope: { type: 'cluster', namespaces: [] } },
          { policyArn: VIEW, accessScope: { type: 'namespace', namespaces: ['ops'] } },
        ],
      },
      NODE,
    );
    const data = hits[0]?.data ?? {};
    const target = '--cluster-name prod --region eu-west-1';
    expect(fixText(data.aws).split('\n')).toEqual([
      `aws eks delete-access-entry ${target} --principal-arn ${NODE}`,
      `aws eks create-access-entry ${target} --principal-arn ${NODE} --type EC2`,
      `aws eks associate-access-policy ${target} --principal-arn ${NODE} --policy-arn ${AUTO} --access-scope 'type=cluster'`,
      `aws eks associate-access-policy ${target} --principal-arn ${NODE} --policy-arn ${VIEW} --access-scope 'type=namespace,namespaces=ops'`,
    ]);
    expect(fixText(data.eksctl)).toContain(
      `- policyARN: "${VIEW}"\n          accessScope:\n            type: "namespace"\n            namespaces:\n              - "ops"`,
    );
    expect(fixText(data.terraform)).toContain('access_scope = { type = "namespace", namespaces = ["ops"] }');
  });

  test('a node entry eksctl takes without policies, holding one anyway, is not deleted by eksctl', () => {
    const NODE = `arn:aws:iam::${ACCOUNT}:role/node`;
    const hits = recreated(
      {
        type: 'HYBRID_LINUX',
        associatedAccessPolicies: [{ policyArn: VIEW, accessScope: { type: 'cluster', namespaces: [] } }],
      },
      NODE,
    );
    expect(fixText(hits[0]?.data.eksctl)).toBe(
      "# eksctl's config refuses access policies on an entry of type HYBRID_LINUX: eksctl could delete the entry but not create it again, so use the aws CLI or Terraform",
    );
  });

  test('a namespace scope EKS reported without namespaces is never widened to the cluster', () => {
    const hits = recreated({
      associatedAccessPolicies: [{ policyArn: EDIT, accessScope: { type: 'namespace', namespaces: [] } }],
    });
    expect(fixText(hits[0]?.data.aws)).toContain(`--policy-arn ${EDIT} --access-scope 'type=namespace'`);
    expect(fixText(hits[0]?.data.aws)).not.toContain('type=cluster');
  });

  test.each([
    ['STANDARD', 'STANDARD'],
    ['no type', undefined],
  ])('a %s entry is recreated as a standard entry with its username and groups', (_, type) => {
    const hits = recreated({ ...(type ? { type } : {}), username: 'someone', kubernetesGroups: ['g'] });
    expect(fixText(hits[0]?.data.aws).split('\n')[1]).toBe(
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${BOT} --username someone --kubernetes-groups g`,
    );
    expect(fixText(hits[0]?.data.terraform)).toContain(
      `deploy_bot = { principal_arn = "${BOT}", user_name = "someone", kubernetes_groups = ["g"] }`,
    );
  });

  test('reports every recreated entry, and says nothing without principal details or entries', () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/other`;
    expect(
      run({
        accessEntries: [
          entry(other, { createdAt: '2020-01-01T00:00:00Z' }),
          entry(CI, { createdAt: '2020-01-01T00:00:00Z' }),
          entry(`arn:aws:iam::${ACCOUNT}:role/path/ci`, { createdAt: '2020-01-01T00:00:00Z' }),
        ],
        principalDetails: details('2024-01-01T00:00:00Z'),
      }).map((h) => h.subject?.name),
    ).toEqual([CI, `arn:aws:iam::${ACCOUNT}:role/path/ci`]);
    expect(run({ accessEntries: [entry(CI, { createdAt: '2020-01-01T00:00:00Z' })] })).toEqual([]);
    expect(run({ principalDetails: details('2024-01-01T00:00:00Z') })).toEqual([]);
  });

  test.each([
    [' 1710430304 ', 1710430304000],
    ['2024-03-14', 1710374400000],
  ])('reads the timestamp %j (trimmed; digits only count as epoch seconds when nothing precedes them)', (value, ms) => {
    expect(toMillis(value)).toBe(ms);
  });
});
