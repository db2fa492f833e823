import { describe, expect, test } from 'vitest';
import check from '../../../checks/access-entry/invalid-shape.js';
import type { AccessEntry, Evidence } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, entry, principal } from '../../helpers/evidence.js';

const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const NODE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;
const VIEW = {
  policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
  accessScope: { type: 'cluster' as const, namespaces: [] },
};
const cluster: Evidence['cluster'] = {
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'API_AND_CONFIG_MAP',
};
const { run, passes } = checkTable(check, { cluster });

describe('access-entry/invalid-shape', () => {
  passes([
    ['a plain STANDARD entry', { accessEntries: [entry(ADMIN)] }],
    [
      'a role with a path',
      { accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1`)] },
    ],
    [
      'a username with a colon before {{SessionName}}',
      { accessEntries: [entry(ADMIN, { username: 'admin:{{SessionName}}' })] },
    ],
    [
      'a username that only looks reserved further in',
      { accessEntries: [entry(ADMIN, { username: 'team-system:x' })] },
    ],
    ['own groups', { accessEntries: [entry(ADMIN, { kubernetesGroups: ['developers', 'eks-console-readers'] })] }],
    [
      'an EC2_LINUX entry as EKS describes it',
      {
        accessEntries: [
          entry(NODE, {
            type: 'EC2_LINUX',
            username: 'system:node:{{EC2PrivateDNSName}}',
            kubernetesGroups: ['system:nodes'],
          }),
        ],
      },
    ],
    [
      'a FARGATE_LINUX entry as EKS describes it',
      { accessEntries: [entry(NODE, { type: 'fargate_linux', username: 'system:node:{{SessionName}}' })] },
    ],
    ['the type spelled as in the guide', { accessEntries: [entry(NODE, { type: 'EC2_Linux' })] }],
    ['an IAM user', { accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:user/jane`)] }],
    ['no type given (STANDARD)', { accessEntries: [entry(ADMIN, { type: '' })] }],
    // Current EKS guide (set-custom-username): a username may end in either session template.
    ['a username ending in :{{SessionName}}', { accessEntries: [entry(ADMIN, { username: 'admin:{{SessionName}}' })] }],
    [
      'a username ending in :{{SessionNameRaw}}',
      { accessEntries: [entry(ADMIN, { username: 'admin:{{SessionNameRaw}}' })] },
    ],
    // Every entry type of CreateAccessEntry `type`.
    ...(['EC2', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX'] as const).map(
      (type) => [`a bare ${type} node entry`, { accessEntries: [entry(NODE, { type })] }] as [string, Evidence],
    ),
  ]);

  test.each<[string, AccessEntry, string, Record<string, string>]>([
    [
      'a system: username',
      entry(ADMIN, { username: 'system:admin' }),
      'reservedUsername',
      {
        value: 'system:admin',
        prefix: 'system:',
        defaultUsername: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/{{SessionName}}`,
      },
    ],
    ['an eks: username', entry(ADMIN, { username: 'eks:thing' }), 'reservedUsername', { prefix: 'eks:' }],
    ['an amazon: username', entry(ADMIN, { username: 'amazon:x' }), 'reservedUsername', { prefix: 'amazon:' }],
    ['an aws: username', entry(ADMIN, { username: 'aws:x' }), 'reservedUsername', { prefix: 'aws:' }],
    ['an iam: username', entry(ADMIN, { username: 'iam:x' }), 'reservedUsername', { prefix: 'iam:' }],
    [
      '{{SessionName}} without a colon before it',
      entry(ADMIN, { username: 'john{{SessionName}}' }),
      'sessionNameColon',
      { value: 'john{{SessionName}}', suggestion: 'john:{{SessionName}}' },
    ],
    [
      'system:masters as a group',
      entry(ADMIN, { kubernetesGroups: ['system:masters'] }),
      'systemGroup',
      { value: 'system:masters' },
    ],
    [
      'system:bootstrappers on a STANDARD entry',
      entry(ADMIN, { kubernetesGroups: ['system:bootstrappers'] }),
      'systemGroup',
      { value: 'system:bootstrappers', mastersNote: '' },
    ],
    ['an STS session ARN', entry(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`), 'stsArn', { roleArn: ADMIN }],
    [
      'a service-linked role',
      entry(`arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`),
      'serviceLinkedRole',
      {},
    ],
    ['an unknown type', entry(ADMIN, { type: 'EC2_MAC' }), 'unknownType', { type: 'EC2_MAC' }],
    [
      'a node entry with own groups',
      entry(NODE, { type: 'EC2_LINUX', kubernetesGroups: ['system:nodes', 'ops'] }),
      'nodeTypeExtras',
      { extras: 'the groups ops', type: 'EC2_LINUX' },
    ],
    [
      'a node entry with a policy and a username',
      entry(NODE, { type: 'EC2_WINDOWS', username: 'node', associatedAccessPolicies: [VIEW] }),
      'nodeTypeExtras',
      { extras: '1 access policies and the username node' },
    ],
  ])('fails: %s', (_, e, messageId, data) => {
    const hits = run({ accessEntries: [e] });
    expect(hits).toMatchObject([
      {
        messageId,
        data: { arn: e.principalArn, ...data },
        affectsPrincipal: false,
        subject: { kind: 'access-entry', name: e.principalArn },
      },
    ]);
    expectRendered(check, hits);
  });

  test('system:masters becomes AmazonEKSClusterAdminPolicy in the fix', () => {
    const [hit] = run({ accessEntries: [entry(ADMIN, { kubernetesGroups: ['system:masters', 'ops'] })] });
    expect(fixText(hit?.data.aws)).toContain(
      `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ADMIN}`,
    );
    expect(fixText(hit?.data.aws)).toContain(
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ADMIN} --kubernetes-groups ops`,
    );
    expect(fixText(hit?.data.aws)).toContain(
      `cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope 'type=cluster'`,
    );
  });

  test('an STS ARN concerns the principal of that role: EKS never matched it (401)', () => {
    const hits = run({
      accessEntries: [entry(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`)],
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob`),
    });
    expect(hits).toMatchObject([{ messageId: 'stsArn', affectsPrincipal: true }]);
    expect(fixText(hits[0]?.data.aws)).toContain(
      `create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ADMIN}`,
    );
    expect(fixText(hits[0]?.data.aws)).not.toContain('delete-access-entry');
  });

  test('several problems on one entry are each reported', () => {
    const hits = run({
      accessEntries: [entry(ADMIN, { username: 'system:x', kubernetesGroups: ['system:masters', 'system:nodes'] })],
      principal: principal(ADMIN),
    });
    expect(hits.map((h) => [h.messageId, h.data.value, h.affectsPrincipal])).toEqual([
      ['reservedUsername', 'system:x', true],
      ['systemGroup', 'system:masters', true],
      ['systemGroup', 'system:nodes', true],
    ]);
  });

  test('fails for a person mapped by a node-type entry (401: the node username cannot be rendered)', () => {
    const hits = run({
      accessEntries: [entry(ADMIN, { type: 'EC2_LINUX' })],
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/dana`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'nodeTypeForPerson',
        affectsPrincipal: true,
        data: { type: 'EC2_LINUX', session: 'dana', template: 'system:node:{{EC2PrivateDNSName}}' },
      },
    ]);
    expect(String(hits[0]?.data.outcome)).toContain('401 Unauthorized');
    expect(fixText(hits[0]?.data.aws)).toContain(
      `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ADMIN}`,
    );
    expectRendered(check, hits);
  });

  test.each<[string, Partial<Evidence>, string]>([
    ['a node session (instance id)', {}, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/i-0123456789abcdef0`],
    [
      'a node group role',
      { nodegroups: [{ nodegroupName: 'ng', nodeRole: `arn:aws:iam::${ACCOUNT}:role/nodes/Admin`, healthIssues: [] }] },
      `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/dana`,
    ],
    ['no session known', {}, ADMIN],
  ])('a node-type entry is not blamed for %s', (_, extra, arn) => {
    const hits = run({ accessEntries: [entry(ADMIN, { type: 'EC2_LINUX' })], ...extra, principal: principal(arn) });
    expect(hits).toEqual([]);
  });

  test('a service-linked role: the only fix is to delete the entry, in each dialect', () => {
    const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`;
    const hits = run({ accessEntries: [entry(slr)] });
    expect(hits).toMatchObject([{ messageId: 'serviceLinkedRole', subject: { kind: 'access-entry', name: slr } }]);
    expect(fixText(hits[0]?.data.aws)).toBe(
      `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${slr}`,
    );
    expect(fixText(hits[0]?.data.eksctl)).toBe(
      `eksctl delete accessentry --cluster prod --region eu-west-1 --principal-arn ${slr}`,
    );
    expect(fixText(hits[0]?.data.terraform)).toBe('# Remove this entry from access_entries.');
  });

  test('node-type extras: names the own groups and policy count, recreates the entry bare with its node type', () => {
    const create = (type: string) =>
      [
        `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${NODE}`,
        `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${NODE} --type ${type}`,
      ].join('\n');
    const windows = run({
      accessEntries: [
        entry(NODE, {
          type: 'EC2_WINDOWS',
          kubernetesGroups: ['system:nodes', 'eks:kube-proxy-windows', 'a', 'b'],
          associatedAccessPolicies: [VIEW, VIEW],
        }),
      ],
    });
    expect(windows).toMatchObject([
      { messageId: 'nodeTypeExtras', data: { type: 'EC2_WINDOWS', extras: 'the groups a, b and 2 access policies' } },
    ]);
    expect(fixText(windows[0]?.data.aws)).toBe(create('EC2_WINDOWS'));
    expect(fixText(windows[0]?.data.eksctl)).toBe(
      [
        `eksctl delete accessentry --cluster prod --region eu-west-1 --principal-arn ${NODE}`,
        `eksctl create accessentry -f - <<'EOF'`,
        'apiVersion: "eksctl.io/v1alpha5"',
        'kind: "ClusterConfig"',
        'metadata:',
        '  name: "prod"',
        '  region: "eu-west-1"',
        'accessConfig:',
        '  accessEntries:',
        `    - principalARN: "${NODE}"`,
        '      type: "EC2_WINDOWS"',
        'EOF',
      ].join('\n'),
    );
    expect(fixText(windows[0]?.data.terraform)).toContain(
      `  eks-node = { principal_arn = "${NODE}", type = "EC2_WINDOWS" }`,
    );
    const [fargate, ec2] = run({
      accessEntries: [
        entry(NODE, { type: 'FARGATE_LINUX', kubernetesGroups: ['a'] }),
        entry(NODE, { type: 'EC2', kubernetesGroups: ['a'] }),
      ],
    });
    expect(fixText(fargate?.data.aws)).toBe(create('FARGATE_LINUX'));
    expect(fixText(ec2?.data.aws)).toBe(create('EC2_LINUX'));
  });

  test('system groups: each named with its own remedy, the valid username kept in the recreated entry', () => {
    const ops = `arn:aws:iam::${ACCOUNT}:role/ops`;
    const hits = run({
      accessEntries: [
        entry(ops, { username: 'ops:{{SessionName}}', kubernetesGroups: ['system:authenticated', 'system:masters'] }),
      ],
    });
    expect(hits.map((h) => [h.messageId, h.data.value, h.data.mastersNote, h.data.groupRemedy])).toEqual([
      [
        'systemGroup',
        'system:authenticated',
        '',
        'Remove system:authenticated from the entry; grant the rights with an access policy or a group of your own bound by RBAC.',
      ],
      [
        'systemGroup',
        'system:masters',
        '; the access-entry equivalent of system:masters is AmazonEKSClusterAdminPolicy at cluster scope',
        'Remove system:masters from the entry and associate AmazonEKSClusterAdminPolicy at cluster scope instead.',
      ],
    ]);
    const createOps = `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ops} --username 'ops:{{SessionName}}'`;
    expect(fixText(hits[0]?.data.aws).split('\n')).toEqual([
      `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ops}`,
      createOps,
    ]);
    expect(fixText(hits[1]?.data.aws).split('\n').slice(1)).toEqual([
      createOps,
      `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn ${ops} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope 'type=cluster'`,
    ]);
  });
});
