// How nodes/node-role-unmapped and nodes/fargate-role-unmapped decide a role is (not) mapped as a node,
// and the exact data and fix each outcome carries. Expected values: eks-control-plane-facts.md §4.1
// (the row EKS writes per kind of node), corrections-turn-2.md §1 (node entry types) and §4 (the
// authenticator looks role ARNs up case-insensitively, without the IAM path).
import { describe, expect, test } from 'vitest';
import nodeCheck from '../../../checks/nodes/node-role-unmapped.js';
import fargateCheck from '../../../checks/nodes/fargate-role-unmapped.js';
import { groupByRole, isWindowsAmi, missingNodeRows, nodeMappingOf } from '../../../checks/nodes/node-mappings.js';
import type { Evidence, Nodegroup } from '../../../src/model/evidence.js';
import { commandsOf, type Script } from '../../../src/core/command.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, awsAuthFromText, clusterIn, entry, principal } from '../../helpers/evidence.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;
const PATHED = `arn:aws:iam::${ACCOUNT}:role/eks/eks-node`;
const OTHER = `arn:aws:iam::${ACCOUNT}:role/other-nodes`;
const FARGATE = `arn:aws:iam::${ACCOUNT}:role/fargate-pods`;
const LINUX_GROUPS = ['system:bootstrappers', 'system:nodes'];
const FARGATE_GROUPS = ['system:bootstrappers', 'system:nodes', 'system:node-proxier'];
const row = (arn: string, username: string, groups: readonly string[], key = 'rolearn') =>
  `- ${key}: ${arn}\n  username: ${username}\n  groups:\n${groups.map((g) => `    - ${g}`).join('\n')}\n`;
const linuxRow = (arn = ROLE) => row(arn, 'system:node:{{EC2PrivateDNSName}}', LINUX_GROUPS);
const ADMIN = row(`arn:aws:iam::${ACCOUNT}:role/admin`, 'admin', ['system:masters']);
const ng = (name: string, fields: Partial<Nodegroup> = {}): Nodegroup => ({
  nodegroupName: name,
  nodeRole: ROLE,
  healthIssues: [],
  ...fields,
});
/** aws-auth as a YAML file, mapRoles a literal block: its first row is on line 8. */
const fromYaml = (mapRoles: string) =>
  awsAuthFromText(
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n${mapRoles
      .split('\n')
      .map((l) => (l ? `    ${l}` : l))
      .join('\n')}`,
  );
/** The role name in another case: IAM role names are case-insensitive, the ARN's other parts are not. */
const recased = (arn: string) => arn.replace(/role\/(.*)$/, (_, name: string) => `role/${name.toUpperCase()}`);
const nodes = checkTable(nodeCheck);
const fargate = checkTable(fargateCheck);
const lines = (value: unknown) => fixText(value).split('\n');
const patchBody = (value: unknown) => commandsOf(value as Script)[0]?.argv.at(-1);

describe('which roles are node roles', () => {
  test.each<[string | undefined, boolean]>([
    ['WINDOWS_CORE_2019_x86_64', true],
    ['windows_full_2022_x86_64', true],
    ['AL2023_x86_64_STANDARD', false],
    ['BOTTLEROCKET_x86_64', false],
    ['CUSTOM', false],
    [undefined, false],
  ])('isWindowsAmi(%s) = %s', (amiType, windows) => {
    expect(isWindowsAmi(amiType)).toBe(windows);
  });

  test('groupByRole: one group per role as EKS compares it (no path, any case, trimmed); no role, no group', () => {
    const groups = [
      ng('a'),
      ng('b', { nodeRole: ` ${recased(PATHED)} ` }),
      ng('c', { nodeRole: OTHER }),
      ng('d', { nodeRole: '' }),
      ng('e', { nodeRole: '   ' }),
    ];
    expect(groupByRole(groups, (g) => g.nodeRole).map((gs) => gs.map((g) => g.nodegroupName))).toEqual([
      ['a', 'b'],
      ['c'],
    ]);
  });
});

describe('nodeMappingOf', () => {
  const present = (mapRoles: string, extra: Evidence = {}): Evidence => ({
    awsAuth: awsAuthFrom({ mapRoles }),
    ...extra,
  });

  test('CONFIG_MAP reads no access entry, even one of the wrong type', () => {
    const evidence = present(linuxRow(), { accessEntries: [entry(ROLE)] });
    expect(nodeMappingOf(ROLE, 'linux', evidence, 'CONFIG_MAP')).toEqual({ status: 'mapped' });
  });

  test('API_AND_CONFIG_MAP: entries unread and no row is unknown; entries unread and a full row is mapped', () => {
    expect(nodeMappingOf(ROLE, 'linux', present(ADMIN), 'API_AND_CONFIG_MAP')).toEqual({ status: 'unknown' });
    expect(nodeMappingOf(ROLE, 'linux', present(linuxRow()), 'API_AND_CONFIG_MAP')).toEqual({ status: 'mapped' });
  });

  test('API_AND_CONFIG_MAP: entries read, none for the role, no row: none', () => {
    expect(nodeMappingOf(ROLE, 'linux', present(ADMIN, { accessEntries: [] }), 'API_AND_CONFIG_MAP')).toEqual({
      status: 'none',
    });
  });

  test('an EC2 entry (Auto Mode) maps Linux and Windows nodes, not Fargate', () => {
    const evidence: Evidence = { accessEntries: [entry(PATHED, { type: 'EC2' })] };
    expect(nodeMappingOf(ROLE, 'linux', evidence, 'API')).toEqual({ status: 'mapped' });
    expect(nodeMappingOf(ROLE, 'windows', evidence, 'API')).toEqual({ status: 'mapped' });
    expect(nodeMappingOf(ROLE, 'fargate', evidence, 'API')).toMatchObject({ status: 'wrong-entry' });
  });

  test('unknown: API without the entries read, or aws-auth not read', () => {
    expect(nodeMappingOf(ROLE, 'linux', present(linuxRow()), 'API')).toEqual({ status: 'unknown' });
    expect(nodeMappingOf(ROLE, 'linux', { accessEntries: [] }, 'API_AND_CONFIG_MAP')).toEqual({ status: 'unknown' });
    expect(nodeMappingOf(ROLE, 'linux', {}, 'CONFIG_MAP')).toEqual({ status: 'unknown' });
  });

  test('two rows written with different paths: the first is named', () => {
    const mapRoles = `${linuxRow(`arn:aws:iam::${ACCOUNT}:role/a/eks-node`)}${linuxRow(PATHED)}`;
    expect(nodeMappingOf(ROLE, 'linux', present(mapRoles), 'CONFIG_MAP')).toMatchObject({
      status: 'only-with-path',
      row: { index: 0 },
    });
  });

  test('API: no entry and no row is none without an ignored row', () => {
    expect(nodeMappingOf(ROLE, 'linux', present(ADMIN, { accessEntries: [] }), 'API')).toEqual({ status: 'none' });
  });

  test('a row with a node username other than the EC2 template still maps a Linux role (nodes/username-template says more)', () => {
    expect(
      nodeMappingOf(ROLE, 'linux', present(row(ROLE, 'system:node:{{SessionName}}', LINUX_GROUPS)), 'CONFIG_MAP'),
    ).toEqual({ status: 'mapped' });
  });

  test('the row lookup is case-insensitive and ignores the IAM path of the asked role', () => {
    expect(nodeMappingOf(PATHED, 'linux', present(linuxRow(recased(ROLE))), 'CONFIG_MAP')).toEqual({
      status: 'mapped',
    });
  });

  test('a quoted rolearn with spaces matches nothing, as in the authenticator', () => {
    expect(nodeMappingOf(ROLE, 'linux', present(linuxRow(`" ${ROLE}"`)), 'CONFIG_MAP')).toEqual({ status: 'none' });
  });

  test('the missing parts: the username first, then the groups in the order EKS writes them', () => {
    expect(nodeMappingOf(ROLE, 'windows', present(row(ROLE, 'ops', ['team'])), 'CONFIG_MAP')).toMatchObject({
      status: 'incomplete-row',
      missing: [
        'username system:node:{{EC2PrivateDNSName}}',
        'system:bootstrappers',
        'system:nodes',
        'eks:kube-proxy-windows',
      ],
    });
  });

  test('a Fargate row must have exactly the {{SessionName}} username', () => {
    expect(
      nodeMappingOf(FARGATE, 'fargate', present(row(FARGATE, 'system:node:fargate', FARGATE_GROUPS)), 'CONFIG_MAP'),
    ).toMatchObject({ status: 'incomplete-row', missing: ['username system:node:{{SessionName}}'] });
  });

  test('a row lost with a broken mapUsers block does not map a node role (only mapRoles rows are node rows)', () => {
    const evidence: Evidence = {
      awsAuth: awsAuthFrom({
        mapRoles: ADMIN,
        mapUsers: `- userarn: ${ROLE}\n  username: {{SessionName}}\n`,
      }),
      accessEntries: [],
    };
    expect(nodeMappingOf(ROLE, 'linux', evidence, 'CONFIG_MAP')).toEqual({ status: 'none' });
  });

  test('a node row under mapUsers maps the role, as the authenticator looks role ARNs up there too', () => {
    const users = (username: string) =>
      `- userarn: ${recased(ROLE)}\n  username: ${username}\n  groups: [system:bootstrappers, system:nodes]\n`;
    const withUsers = (mapRoles: string, username: string): Evidence => ({
      awsAuth: awsAuthFrom({ mapRoles, mapUsers: users(username) }),
    });
    expect(nodeMappingOf(ROLE, 'linux', withUsers(ADMIN, 'system:node:{{EC2PrivateDNSName}}'), 'CONFIG_MAP')).toEqual({
      status: 'mapped',
    });
    expect(nodeMappingOf(ROLE, 'linux', withUsers(ADMIN, 'ops'), 'CONFIG_MAP')).toMatchObject({
      status: 'incomplete-row',
      row: { block: 'mapUsers', index: 0 },
      missing: ['username system:node:{{EC2PrivateDNSName}}'],
    });
    // mapRoles first: its row decides.
    expect(nodeMappingOf(ROLE, 'linux', withUsers(linuxRow(), 'ops'), 'CONFIG_MAP')).toEqual({ status: 'mapped' });
    // A path in a mapUsers row is not looked for: only-with-path concerns mapRoles.
    const pathedUser: Evidence = {
      awsAuth: awsAuthFrom({
        mapUsers: `- userarn: ${PATHED}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`,
      }),
    };
    expect(nodeMappingOf(ROLE, 'linux', pathedUser, 'CONFIG_MAP')).toEqual({ status: 'none' });
  });

  test('a row lost with a broken mapRoles block is found by ARN without path, any case', () => {
    const mapRoles = `${linuxRow(recased(PATHED))}- rolearn: x\n  username: {{SessionName}}\n`;
    expect(nodeMappingOf(ROLE, 'linux', present(mapRoles), 'CONFIG_MAP')).toMatchObject({
      status: 'lost-with-block',
      location: { line: 9 },
    });
  });
});

describe('missingNodeRows', () => {
  const base: Evidence = { cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFrom({ mapRoles: ADMIN }) };

  test('none in API mode: aws-auth is ignored there', () => {
    expect(missingNodeRows({ ...base, nodegroups: [ng('a')], accessEntries: [] }, 'API')).toEqual([]);
    expect(missingNodeRows({ ...base, nodegroups: [ng('a')], accessEntries: [] }, 'API_AND_CONFIG_MAP')).toHaveLength(
      1,
    );
  });

  test('one row per role, the kind of its first owner, Windows when any group of the role runs Windows', () => {
    const evidence: Evidence = {
      ...base,
      nodegroups: [
        ng('lin'),
        ng('win', { nodeRole: OTHER }),
        ng('lin2', { nodeRole: OTHER, amiType: 'WINDOWS_CORE_2022_x86_64' }),
      ],
      fargateProfiles: [
        { fargateProfileName: 'fp', podExecutionRoleArn: recased(ROLE) },
        { fargateProfileName: 'fp2', podExecutionRoleArn: ` ${FARGATE} ` },
      ],
    };
    expect(missingNodeRows(evidence, 'CONFIG_MAP')).toEqual([
      {
        roleArn: ROLE,
        rolearn: ROLE,
        username: 'system:node:{{EC2PrivateDNSName}}',
        groups: LINUX_GROUPS,
        kind: 'linux',
      },
      {
        roleArn: OTHER,
        rolearn: OTHER,
        username: 'system:node:{{EC2PrivateDNSName}}',
        groups: [...LINUX_GROUPS, 'eks:kube-proxy-windows'],
        kind: 'windows',
      },
      {
        roleArn: FARGATE,
        rolearn: FARGATE,
        username: 'system:node:{{SessionName}}',
        groups: FARGATE_GROUPS,
        kind: 'fargate',
      },
    ]);
  });

  test('Fargate profiles only, no node groups read', () => {
    expect(
      missingNodeRows(
        { ...base, fargateProfiles: [{ fargateProfileName: 'fp', podExecutionRoleArn: FARGATE }] },
        'CONFIG_MAP',
      ),
    ).toMatchObject([{ rolearn: FARGATE, kind: 'fargate' }]);
    expect(missingNodeRows({ ...base, nodegroups: [ng('a', { nodeRole: OTHER })] }, 'CONFIG_MAP')).toMatchObject([
      { rolearn: OTHER, kind: 'linux' },
    ]);
  });

  test('the row keeps no IAM path; the role as named keeps it; mapped and incomplete roles need no new row', () => {
    const evidence: Evidence = {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: `${linuxRow(OTHER)}${row(FARGATE, 'x', ['system:nodes'])}` }),
      nodegroups: [ng('a', { nodeRole: PATHED }), ng('b', { nodeRole: OTHER })],
      fargateProfiles: [{ fargateProfileName: 'fp', podExecutionRoleArn: FARGATE }],
    };
    expect(missingNodeRows(evidence, 'CONFIG_MAP')).toEqual([
      {
        roleArn: PATHED,
        rolearn: ROLE,
        username: 'system:node:{{EC2PrivateDNSName}}',
        groups: LINUX_GROUPS,
        kind: 'linux',
      },
    ]);
  });
});

describe('nodes/node-role-unmapped: the data and fix of each outcome', () => {
  test('CONFIG_MAP, no row: what is missing, the remedy, and the row in every form', () => {
    const hits = nodes.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1'), ng('legacy', { selfManaged: true })],
      awsAuth: awsAuthFrom({ mapRoles: ADMIN }),
    });
    expect(hits).toEqual([
      {
        messageId: 'noMapping',
        subject: { kind: 'nodegroup', name: 'ng-1, legacy' },
        affectsPrincipal: false,
        data: expect.objectContaining({
          nodegroups: 'node group ng-1, self-managed node group legacy',
          role: ROLE,
          canonical: ROLE,
          mode: 'CONFIG_MAP',
          entryType: 'EC2_LINUX',
          expectedType: 'EC2_LINUX',
          username: 'system:node:{{EC2PrivateDNSName}}',
          groups: 'system:bootstrappers, system:nodes',
          cluster: 'prod',
          expected: 'no aws-auth row',
          remedy:
            'add an aws-auth row with username system:node:{{EC2PrivateDNSName}} and the groups system:bootstrappers, system:nodes',
        }),
      },
    ]);
    const data = hits[0]?.data ?? {};
    expect(patchBody(data.kubectl)).toBe(JSON.stringify({ data: { mapRoles: `${ADMIN}${linuxRow()}` } }));
    expect(lines(data.aws)).toEqual([
      '# aws-auth is a Kubernetes object: the aws CLI cannot edit it (use kubectl, eksctl or Terraform)',
    ]);
    expect(lines(data.terraform)).toEqual([
      '# terraform-aws-modules/eks//modules/aws-auth',
      `aws_auth_roles = [{ rolearn = "${ROLE}", username = "system:node:{{EC2PrivateDNSName}}", groups = ["system:bootstrappers", "system:nodes"] }]`,
    ]);
    expectRendered(nodeCheck, hits);
  });

  test('CONFIG_MAP, mapRoles does not parse and has no row for the role: add it by hand, lint, replace', () => {
    const hits = nodes.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      awsAuth: awsAuthFrom({ mapRoles: `${ADMIN}- rolearn: x\n  username: {{SessionName}}\n` }),
    });
    expect(hits).toMatchObject([{ messageId: 'noMapping' }]);
    expect(lines(hits[0]?.data.kubectl)).toEqual([
      'kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml',
      `# edit aws-auth.yaml: add to data.mapRoles: - rolearn: ${ROLE}, username: system:node:{{EC2PrivateDNSName}}, groups: [system:bootstrappers, system:nodes]`,
      'eksauth lint aws-auth.yaml',
      'kubectl replace -f aws-auth.yaml',
    ]);
  });

  test('API, no entry and no row: an EC2_LINUX access entry, not kubectl', () => {
    const hits = nodes.run({ cluster: clusterIn('API'), nodegroups: [ng('ng-1')], accessEntries: [] });
    expect(hits).toMatchObject([
      {
        messageId: 'noMapping',
        data: { expected: 'no EC2_LINUX access entry', remedy: 'create an EC2_LINUX access entry', mode: 'API' },
      },
    ]);
    const data = hits[0]?.data ?? {};
    expect(lines(data.kubectl)).toEqual([
      '# access entries are managed through the EKS API, not kubectl: use the aws CLI, eksctl or Terraform',
    ]);
    expect(lines(data.aws)).toEqual([
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ROLE} --type EC2_LINUX`,
    ]);
    expect(lines(data.terraform)).toEqual([
      '# terraform-aws-modules/eks v20+ (module "eks")',
      'access_entries = {',
      `  eks-node = { principal_arn = "${ROLE}", type = "EC2_LINUX" }`,
      '}',
    ]);
    expect(lines(data.eksctl)).toEqual([
      "eksctl create accessentry -f - <<'EOF'",
      'apiVersion: "eksctl.io/v1alpha5"',
      'kind: "ClusterConfig"',
      'metadata:',
      '  name: "prod"',
      '  region: "eu-west-1"',
      'accessConfig:',
      '  accessEntries:',
      `    - principalARN: "${ROLE}"`,
      '      type: "EC2_LINUX"',
      'EOF',
    ]);
  });

  test('API: the ignored row is named with its block, index and line', () => {
    const hits = nodes.run({
      cluster: clusterIn('API'),
      nodegroups: [ng('ng-1')],
      accessEntries: [],
      awsAuth: fromYaml(`${ADMIN}${linuxRow()}`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'rowIgnoredInApiMode',
        location: { key: 'mapRoles[1]', line: 12 },
        data: { where: 'aws-auth mapRoles[1] (line 12)' },
      },
    ]);
  });

  test('wrong entry type: delete it, then create the node entry (aws and eksctl)', () => {
    const hits = nodes.run({
      cluster: clusterIn('API'),
      nodegroups: [ng('ng-1', { nodeRole: PATHED })],
      accessEntries: [entry(PATHED, { type: 'standard' })],
    });
    expect(hits).toMatchObject([{ messageId: 'wrongEntryType', data: { entryType: 'STANDARD', role: PATHED } }]);
    const data = hits[0]?.data ?? {};
    expect(lines(data.aws)).toEqual([
      `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${PATHED}`,
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${PATHED} --type EC2_LINUX`,
    ]);
    expect(lines(data.eksctl).slice(0, 2)).toEqual([
      `eksctl delete accessentry --cluster prod --region eu-west-1 --principal-arn ${PATHED}`,
      "eksctl create accessentry -f - <<'EOF'",
    ]);
    expectRendered(nodeCheck, hits);
  });

  test('lost with its block: the line, and a hand edit of the YAML error (not a new row)', () => {
    const hits = nodes.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      awsAuth: fromYaml(`${ADMIN}${linuxRow()}- rolearn: x\n  username: {{SessionName}}\n`),
    });
    expect(hits).toMatchObject([{ messageId: 'lostWithBlock', location: { line: 12 }, data: { line: 12 } }]);
    expect(lines(hits[0]?.data.kubectl)).toEqual([
      'kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml',
      '# edit aws-auth.yaml: the row is there but unreadable: fix the YAML error in data.mapRoles near line 12 (quote values that start with {{)',
      'eksauth lint aws-auth.yaml',
      'kubectl replace -f aws-auth.yaml',
    ]);
  });

  test('a row with the path: where it is, and the eksctl and Terraform rows without the path', () => {
    const hits = nodes.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1', { nodeRole: PATHED })],
      awsAuth: fromYaml(`${ADMIN}${linuxRow(PATHED)}`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'rowHasPath',
        location: { key: 'mapRoles[1].rolearn', line: 12 },
        data: { where: 'aws-auth mapRoles[1] (line 12)', rowArn: PATHED, canonical: ROLE, role: PATHED },
      },
    ]);
    const data = hits[0]?.data ?? {};
    expect(patchBody(data.kubectl)).toBe(JSON.stringify({ data: { mapRoles: `${ADMIN}${linuxRow()}` } }));
    expect(lines(data.eksctl)).toEqual([
      `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${ROLE} --username 'system:node:{{EC2PrivateDNSName}}' --group system:bootstrappers --group system:nodes`,
    ]);
    expectRendered(nodeCheck, hits);
  });

  test('a row with the path under a miscased key: the same key is rewritten', () => {
    const hits = nodes.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1', { nodeRole: PATHED })],
      awsAuth: awsAuthFrom({ mapRoles: row(PATHED, 'system:node:{{EC2PrivateDNSName}}', LINUX_GROUPS, 'roleArn') }),
    });
    expect(hits).toMatchObject([{ messageId: 'rowHasPath' }]);
    expect(patchBody(hits[0]?.data.kubectl)).toBe(
      JSON.stringify({ data: { mapRoles: row(ROLE, 'system:node:{{EC2PrivateDNSName}}', LINUX_GROUPS, 'roleArn') } }),
    );
  });

  test('an incomplete row: what it lacks, where; the username kept when it is a node username', () => {
    const hits = nodes.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      awsAuth: fromYaml(`${ADMIN}${row(ROLE, 'system:node:{{SessionName}}', ['system:nodes'])}`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'notANodeMapping',
        location: { key: 'mapRoles[1]', line: 12 },
        data: { where: 'aws-auth mapRoles[1] (line 12)', missing: 'system:bootstrappers' },
      },
    ]);
    expect(patchBody(hits[0]?.data.kubectl)).toBe(
      JSON.stringify({
        data: {
          mapRoles: `${ADMIN}${row(ROLE, 'system:node:{{SessionName}}', ['system:nodes', 'system:bootstrappers'])}`,
        },
      }),
    );
    expectRendered(nodeCheck, hits);
  });

  test('an incomplete row missing the username and a group lists both', () => {
    const hits = nodes.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE, 'ops', ['system:bootstrappers']) }),
    });
    expect(hits).toMatchObject([{ data: { missing: 'username system:node:{{EC2PrivateDNSName}}, system:nodes' } }]);
  });

  test('affects the principal only when the principal is that node role', () => {
    const given = (arn: string): Evidence => ({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1', { nodeRole: PATHED })],
      awsAuth: awsAuthFrom({ mapRoles: '' }),
      principal: principal(arn),
    });
    expect(nodes.run(given(`arn:aws:sts::${ACCOUNT}:assumed-role/eks-node/i-0123456789abcdef0`))).toMatchObject([
      { affectsPrincipal: true },
    ]);
    expect(nodes.run(given(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`))).toMatchObject([
      { affectsPrincipal: false },
    ]);
  });

  test('the role as named, trimmed; a fix for its own row only when another role lacks a row too', () => {
    const hits = nodes.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1', { nodeRole: ` ${ROLE} ` }), ng('ng-2', { nodeRole: OTHER })],
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE, 'system:node:{{EC2PrivateDNSName}}', ['system:nodes']) }),
    });
    expect(hits).toMatchObject([
      { messageId: 'notANodeMapping', data: { role: ROLE } },
      { messageId: 'noMapping', data: { role: OTHER } },
    ]);
    expect(lines(hits[0]?.data.eksctl)).toEqual([
      `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${ROLE} --username 'system:node:{{EC2PrivateDNSName}}' --group system:bootstrappers --group system:nodes`,
    ]);
    expect(lines(hits[1]?.data.eksctl)).toEqual([
      `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${OTHER} --username 'system:node:{{EC2PrivateDNSName}}' --group system:bootstrappers --group system:nodes`,
    ]);
  });

  test('three unmapped roles: each remedy names the two others', () => {
    const hits = nodes.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('a'), ng('b', { nodeRole: OTHER }), ng('c', { nodeRole: FARGATE })],
      awsAuth: awsAuthFrom({ mapRoles: ADMIN }),
    });
    expect(hits.map((h) => h.data.remedy)).toEqual([
      `add an aws-auth row with username system:node:{{EC2PrivateDNSName}} and the groups system:bootstrappers, system:nodes (the same change adds the rows of the other unmapped node roles: ${OTHER}, ${FARGATE})`,
      `add an aws-auth row with username system:node:{{EC2PrivateDNSName}} and the groups system:bootstrappers, system:nodes (the same change adds the rows of the other unmapped node roles: ${ROLE}, ${FARGATE})`,
      `add an aws-auth row with username system:node:{{EC2PrivateDNSName}} and the groups system:bootstrappers, system:nodes (the same change adds the rows of the other unmapped node roles: ${ROLE}, ${OTHER})`,
    ]);
  });

  test('no node groups or Fargate profiles read: nothing to check', () => {
    expect(nodes.run({ cluster: clusterIn('CONFIG_MAP'), awsAuth: { state: 'absent' } })).toEqual([]);
    expect(fargate.run({ cluster: clusterIn('CONFIG_MAP'), awsAuth: { state: 'absent' } })).toEqual([]);
  });

  test('no node group with a role: nothing to check', () => {
    expect(
      nodes.run({
        cluster: clusterIn('CONFIG_MAP'),
        nodegroups: [ng('a', { nodeRole: '' })],
        awsAuth: { state: 'absent' },
      }),
    ).toEqual([]);
  });
});

describe('nodes/fargate-role-unmapped: the data and fix of each outcome', () => {
  const fp = (name: string, arn = FARGATE) => ({ fargateProfileName: name, podExecutionRoleArn: arn });

  test('CONFIG_MAP, no row: the Fargate row, and the node group rows the same patch adds', () => {
    const hits = fargate.run({
      cluster: clusterIn('CONFIG_MAP'),
      nodegroups: [ng('ng-1')],
      fargateProfiles: [fp('default', `${FARGATE} `), fp('kube-system', recased(FARGATE))],
      awsAuth: awsAuthFrom({ mapRoles: '' }),
    });
    expect(hits).toEqual([
      {
        messageId: 'noMapping',
        subject: { kind: 'fargate-profile', name: 'default, kube-system' },
        affectsPrincipal: false,
        data: expect.objectContaining({
          profiles: 'Fargate profile default, Fargate profile kube-system',
          role: FARGATE,
          entryType: 'FARGATE_LINUX',
          username: 'system:node:{{SessionName}}',
          groups: 'system:bootstrappers, system:nodes, system:node-proxier',
          expected: 'no aws-auth row',
          remedy: `add an aws-auth row with username system:node:{{SessionName}} and the groups system:bootstrappers, system:nodes, system:node-proxier (the same change adds the rows of the other unmapped node roles: ${ROLE})`,
        }),
      },
    ]);
    expect(patchBody(hits[0]?.data.kubectl)).toBe(
      JSON.stringify({
        data: { mapRoles: `${linuxRow()}${row(FARGATE, 'system:node:{{SessionName}}', FARGATE_GROUPS)}` },
      }),
    );
    expect(lines(hits[0]?.data.eksctl)).toEqual([
      `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${ROLE} --username 'system:node:{{EC2PrivateDNSName}}' --group system:bootstrappers --group system:nodes`,
      `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${FARGATE} --username 'system:node:{{SessionName}}' --group system:bootstrappers --group system:nodes --group system:node-proxier`,
    ]);
    expectRendered(fargateCheck, hits);
  });

  test('API_AND_CONFIG_MAP, neither: a FARGATE_LINUX access entry (with "a")', () => {
    const hits = fargate.run({
      cluster: clusterIn('API_AND_CONFIG_MAP'),
      fargateProfiles: [fp('default')],
      accessEntries: [],
      awsAuth: awsAuthFrom({ mapRoles: ADMIN }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'noMapping',
        data: {
          expected: 'no FARGATE_LINUX access entry and no aws-auth row',
          remedy: 'create a FARGATE_LINUX access entry',
        },
      },
    ]);
  });

  test('wrong entry type: delete and recreate as FARGATE_LINUX', () => {
    const hits = fargate.run({
      cluster: clusterIn('API'),
      fargateProfiles: [fp('default')],
      accessEntries: [entry(FARGATE, { type: 'EC2_LINUX' })],
    });
    expect(hits).toMatchObject([
      { messageId: 'wrongEntryType', data: { entryType: 'EC2_LINUX', expectedType: 'FARGATE_LINUX' } },
    ]);
    expect(lines(hits[0]?.data.aws)).toEqual([
      `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${FARGATE}`,
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${FARGATE} --type FARGATE_LINUX`,
    ]);
    expectRendered(fargateCheck, hits);
  });

  test('an incomplete row gets the Fargate username and groups in place', () => {
    const hits = fargate.run({
      cluster: clusterIn('CONFIG_MAP'),
      fargateProfiles: [fp('default')],
      awsAuth: awsAuthFrom({ mapRoles: row(FARGATE, 'system:node:{{EC2PrivateDNSName}}', ['system:nodes']) }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'incompleteRow',
        data: { missing: 'username system:node:{{SessionName}}, system:bootstrappers, system:node-proxier' },
      },
    ]);
    expect(patchBody(hits[0]?.data.kubectl)).toBe(
      JSON.stringify({
        data: {
          mapRoles: row(FARGATE, 'system:node:{{SessionName}}', [
            'system:nodes',
            'system:bootstrappers',
            'system:node-proxier',
          ]),
        },
      }),
    );
  });
});
