import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/human-role-as-node.js';
import { commandsOf, renderScript, type Script } from '../../../src/core/command.js';
import type { AuthenticationMode, Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, nodeRow, row } from './_configmap.js';

const run = (mapRoles: string, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText({ mapRoles })), ...evidence }));
const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const nodegroups = [{ nodegroupName: 'ng-1', nodeRole: arn('eks-ng-1-role'), healthIssues: [] }];

describe('aws-auth/human-role-as-node', () => {
  test.each<[string, string, Partial<Evidence>]>([
    ['D1: a node instance role', nodeRow(arn('devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6')), {}],
    ['an admin role mapped as admin', row('rolearn', arn('Admin'), 'admin', ['system:masters']), {}],
    ['a CI runner node group role (node words win)', nodeRow(arn('gitlab-runner-node-role')), {}],
    ['the node group role, known from --nodegroups', nodeRow(arn('eks-ng-1-role')), { nodegroups }],
    [
      'a node group role given with its path',
      nodeRow(arn('eks-ng-1-role')),
      { nodegroups: [{ nodegroupName: 'ng-1', nodeRole: arn('eks/eks-ng-1-role'), healthIssues: [] }] },
    ],
    [
      'a Fargate pod execution role',
      row('rolearn', arn('fargate-exec'), 'system:node:{{SessionName}}', [
        'system:bootstrappers',
        'system:nodes',
        'system:node-proxier',
      ]),
      { fargateProfiles: [{ fargateProfileName: 'fp', podExecutionRoleArn: arn('fargate-exec') }] },
    ],
    ['an unknown role with no inventory to compare', nodeRow(arn('cluster-role')), {}],
  ])('passes: %s', (_, mapRoles, evidence) => {
    expect(run(mapRoles, evidence)).toEqual([]);
  });

  test.each([
    ['an SSO role', 'AWSReservedSSO_AdministratorAccess_0123abcd', 'AWSReservedSSO'],
    ['a Terraform role', 'terraform-apply', 'terraform'],
    ['a GitHub Actions role', 'GitHubActionsDeploy', 'deploy'],
    ['a CI role', 'eks-ci', 'ci'],
    ['a developer role', 'Developers', 'developers'],
  ])('fails: %s mapped as a node', (_, name, word) => {
    const hits = run(nodeRow(arn(name)));
    expect(hits).toMatchObject([
      {
        messageId: 'humanRole',
        subject: { name: 'mapRoles[0]' },
        location: { line: LINE_OF(1), column: 7 },
        affectsPrincipal: false,
        data: { name, reason: expect.stringContaining(word) },
      },
    ]);
  });

  test('only the node groups flag a row too', () => {
    expect(run(row('rolearn', arn('Admin'), 'admin', ['system:nodes']))).toMatchObject([
      { messageId: 'humanRole', data: { effect: expect.stringContaining('403') } },
    ]);
  });

  test("a role that is no node group's, when node groups are known: a warning", () => {
    expect(run(nodeRow(arn('cluster-role')), { nodegroups })).toMatchObject([
      { messageId: 'notANodeRole', data: { known: 'ng-1', effect: expect.stringContaining('401') } },
    ]);
  });

  test('C29: the human using the role is refused (401) and concerned', () => {
    const caller = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123abcd/jane@example.com`);
    expect(run(nodeRow(arn('AWSReservedSSO_Admin_0123abcd')), { principal: caller })).toMatchObject([
      { messageId: 'humanRole', affectsPrincipal: true },
    ]);
    expect(run(nodeRow(arn('AWSReservedSSO_Admin_0123abcd')), { principal: principal(arn('Other')) })).toMatchObject([
      { affectsPrincipal: false },
    ]);
  });

  test('rows of a broken block are judged, not blamed', () => {
    const mapRoles = `${nodeRow(arn('terraform'))}- rolearn: ${arn('x')}\n  username: {{SessionName}}\n`;
    expect(run(mapRoles, { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/terraform/s`) })).toMatchObject([
      { messageId: 'humanRole', affectsPrincipal: false },
    ]);
  });

  describe("the cluster's service role mapped as a node (seed 1)", () => {
    const clusterRole = arn('cluster-role');
    const cluster = (mode: AuthenticationMode): Evidence['cluster'] => ({
      name: 'prod',
      region: 'eu-west-1',
      accountId: ACCOUNT,
      authenticationMode: mode,
      roleArn: clusterRole,
    });
    const awsFix = (evidence: Partial<Evidence>) => {
      const hits = run(nodeRow(clusterRole), evidence);
      expect(hits).toMatchObject([{ messageId: 'clusterServiceRole' }]);
      return hits[0]?.data.nodeEntries as Script;
    };
    const fargateProfiles = [{ fargateProfileName: 'fp', podExecutionRoleArn: arn('fargate-exec') }];

    test('access entries name the node group and Fargate roles, never the cluster role', () => {
      const commands = commandsOf(awsFix({ cluster: cluster('API_AND_CONFIG_MAP'), nodegroups, fargateProfiles }));
      expect(commands.map((c) => c.argv)).toEqual([
        [
          'aws',
          'eks',
          'create-access-entry',
          '--cluster-name',
          'prod',
          '--region',
          'eu-west-1',
          '--principal-arn',
          arn('eks-ng-1-role'),
          '--type',
          'EC2_LINUX',
        ],
        [
          'aws',
          'eks',
          'create-access-entry',
          '--cluster-name',
          'prod',
          '--region',
          'eu-west-1',
          '--principal-arn',
          arn('fargate-exec'),
          '--type',
          'FARGATE_LINUX',
        ],
      ]);
    });

    test('flagged even with no node inventory, and the fix says the node role is unknown and how to find it', () => {
      const lines = awsFix({ cluster: cluster('API') });
      expect(commandsOf(lines).map((c) => c.argv.slice(0, 3))).toEqual([
        ['aws', 'eks', 'list-nodegroups'],
        ['aws', 'eks', 'describe-nodegroup'],
      ]);
      expect(renderScript(lines)).toContain('no node group or Fargate profile role was read');
      expect(renderScript(lines)).not.toContain('cluster-role');
    });

    test('a node group that (wrongly) runs with the cluster role is not offered as the node role', () => {
      const shared = [{ nodegroupName: 'ng-1', nodeRole: clusterRole, healthIssues: [] }];
      const lines = awsFix({ cluster: cluster('API'), nodegroups: shared });
      expect(commandsOf(lines).flatMap((c) => c.argv)).not.toContain(clusterRole);
    });

    test('in CONFIG_MAP mode no access entry is offered: the node rows stay in aws-auth', () => {
      const lines = awsFix({ cluster: cluster('CONFIG_MAP'), nodegroups });
      expect(commandsOf(lines)).toEqual([]);
      expect(renderScript(lines)).toContain('CONFIG_MAP');
    });

    test('a role that merely shares the name in another account is not the cluster role', () => {
      const other = `arn:aws:iam::999999999999:role/cluster-role`;
      expect(run(nodeRow(other), { cluster: cluster('API'), nodegroups })).toMatchObject([
        { messageId: 'notANodeRole' },
      ]);
    });
    test("the cluster role's row is removed by an exact patch, the other rows kept", () => {
      const admin = row('rolearn', arn('Admin'), 'admin', ['system:masters']);
      const hits = run(`${admin}${nodeRow(clusterRole)}`, { cluster: cluster('CONFIG_MAP'), nodegroups });
      expect(commandsOf(hits[0]?.data.kubectl as Script)).toEqual([
        {
          argv: [
            'kubectl',
            'patch',
            'configmap',
            'aws-auth',
            '-n',
            'kube-system',
            '--type',
            'merge',
            '-p',
            JSON.stringify({ data: { mapRoles: admin } }),
          ],
        },
      ]);
    });
  });

  describe('a human or CI role gets its own identity (issue 12)', () => {
    const ci = arn('github-actions');
    const mode = (authenticationMode: AuthenticationMode): Partial<Evidence> => ({
      cluster: { name: 'prod', region: 'eu-west-1', accountId: ACCOUNT, authenticationMode },
    });
    const stepOf = (mapRoles: string, evidence: Partial<Evidence>) => {
      const hits = run(mapRoles, evidence);
      expect(hits).toMatchObject([{ messageId: 'humanRole' }]);
      expect(hits[0]?.fix).toHaveLength(1);
      return hits[0]?.fix?.[0];
    };

    test('kubectl: an exact patch setting the username and dropping the node groups, other groups kept', () => {
      const mapRoles = row('rolearn', ci, 'system:node:{{EC2PrivateDNSName}}', [
        'system:bootstrappers',
        'system:nodes',
        'deployers',
      ]);
      const step = stepOf(mapRoles, mode('CONFIG_MAP'));
      expect(commandsOf(step?.kubectl ?? [])).toEqual([
        {
          argv: [
            'kubectl',
            'patch',
            'configmap',
            'aws-auth',
            '-n',
            'kube-system',
            '--type',
            'merge',
            '-p',
            JSON.stringify({
              data: {
                mapRoles: `- rolearn: ${ci}\n  username: github-actions:{{SessionName}}\n  groups:\n    - deployers\n`,
              },
            }),
          ],
        },
      ]);
      expect(commandsOf(step?.eksctl ?? []).map((c) => c.argv.slice(1))).toEqual([
        ['delete', 'iamidentitymapping', '--cluster', 'prod', '--region', 'eu-west-1', '--arn', ci, '--all'],
        [
          'create',
          'iamidentitymapping',
          '--cluster',
          'prod',
          '--region',
          'eu-west-1',
          '--arn',
          ci,
          '--username',
          'github-actions:{{SessionName}}',
          '--group',
          'deployers',
        ],
      ]);
    });

    test('an SSO role keeps no IAM path in its corrected row', () => {
      const sso = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd`;
      const step = stepOf(nodeRow(sso), mode('CONFIG_MAP'));
      expect(commandsOf(step?.kubectl ?? [])[0]?.argv.at(-1)).toBe(
        JSON.stringify({
          data: {
            mapRoles: `- rolearn: ${arn('AWSReservedSSO_Admin_0123abcd')}\n  username: AWSReservedSSO_Admin_0123abcd:{{SessionName}}\n  groups: []\n`,
          },
        }),
      );
    });

    test('CONFIG_MAP: no access-entry command (it would need the one-way mode switch first)', () => {
      const step = stepOf(nodeRow(ci), mode('CONFIG_MAP'));
      expect(commandsOf(step?.aws ?? [])).toEqual([]);
      expect(renderScript(step?.aws ?? [])).toContain('one-way switch');
    });

    test('API_AND_CONFIG_MAP: a STANDARD access entry is the alternative, with no mode change', () => {
      const step = stepOf(nodeRow(ci), mode('API_AND_CONFIG_MAP'));
      expect(commandsOf(step?.aws ?? []).map((c) => c.argv.slice(0, 3))).toEqual([
        ['aws', 'eks', 'create-access-entry'],
        ['aws', 'eks', 'associate-access-policy'],
      ]);
      expect(commandsOf(step?.aws ?? [])[0]?.argv).toEqual(
        expect.arrayContaining(['--principal-arn', ci, '--username', 'github-actions:{{SessionName}}']),
      );
    });

    test('mode not read: the access entry is marked as needing an API mode', () => {
      const step = stepOf(nodeRow(ci), {});
      expect(renderScript(step?.aws ?? [])).toContain('only where the cluster reads access entries');
    });
  });
});

describe('aws-auth/human-role-as-node: reasons, data and fixes, exactly', () => {
  const target = ['--cluster', 'prod', '--region', 'eu-west-1'];
  const prod = (authenticationMode?: AuthenticationMode): Partial<Evidence> => ({
    cluster: {
      name: 'prod',
      region: 'eu-west-1',
      accountId: ACCOUNT,
      ...(authenticationMode ? { authenticationMode } : {}),
    },
  });

  test.each([
    [
      'an SSO role, any case',
      'awsreservedsso_Admin_1',
      'awsreservedsso_Admin_1 is an IAM Identity Center (SSO) role, assumed by people',
    ],
    ['a word of the name', 'team-admin', 'its name team-admin ("admin") looks like a human or CI role'],
    ['a camel-case word', 'PowerUser', 'its name PowerUser ("user") looks like a human or CI role'],
    ['a word inside another', 'superadmins', 'its name superadmins ("admin") looks like a human or CI role'],
    ['jenkins inside a word', 'myjenkinsbox', 'its name myjenkinsbox ("jenkins") looks like a human or CI role'],
  ])('humanRole: %s', (_, name, reason) => {
    expect(run(nodeRow(arn(name)))).toMatchObject([{ messageId: 'humanRole', data: { name, reason } }]);
  });

  test.each([
    ['a node word', 'admin-nodes'],
    ['a camel-case node word', 'AdminWorker'],
    ['a node phrase inside a word', 'myadminnoderole'],
    ['another node phrase', 'deployerpodexecution'],
    ['a Karpenter role', 'karpenter-admin'],
    ['nothing human', 'platform'],
  ])('not human: %s', (_, name) => {
    expect(run(nodeRow(arn(name)))).toEqual([]);
  });

  test('the whole message data of a human role mapped as a node', () => {
    const [hit] = run(
      row('rolearn', arn('ci/deployer'), 'system:node:{{SessionName}}', [
        'system:nodes',
        'deployers',
        'system:bootstrappers',
      ]),
      {
        ...prod('CONFIG_MAP'),
        nodegroups: [...nodegroups, { nodegroupName: 'ng-1', nodeRole: arn('x'), healthIssues: [] }],
      },
    );
    expect(hit).toEqual(
      expect.objectContaining({
        messageId: 'humanRole',
        affectsPrincipal: false,
        data: {
          where: `mapRoles[0] (line ${LINE_OF(1)})`,
          arn: arn('ci/deployer'),
          name: 'deployer',
          username: 'system:node:{{SessionName}}',
          groups: '[system:nodes, deployers, system:bootstrappers]',
          reason: 'its name deployer ("deployer") looks like a human or CI role',
          effect: 'is treated as a node, and the node authorizer refuses almost everything else (403 Forbidden)',
          known: 'ng-1',
          cluster: 'prod',
          hclGroups: ['deployers'],
        },
      }),
    );
    // The row's own ARN without its path, under the key as the row spells it.
    const step = hit?.fix?.[0];
    expect(step?.title).toBe(
      'Give deployer its own identity in mapRoles[0] (line 8): username deployer:{{SessionName}}, the node groups removed (deployers kept)',
    );
    expect(commandsOf(step?.kubectl ?? [])[0]?.argv.at(-1)).toBe(
      JSON.stringify({
        data: {
          mapRoles: `- rolearn: ${arn('deployer')}\n  username: deployer:{{SessionName}}\n  groups:\n    - deployers\n`,
        },
      }),
    );
    expect(commandsOf(step?.eksctl ?? []).map((c) => c.argv.slice(1))).toEqual([
      ['delete', 'iamidentitymapping', ...target, '--arn', arn('ci/deployer'), '--all'],
      [
        'create',
        'iamidentitymapping',
        ...target,
        '--arn',
        arn('deployer'),
        '--username',
        'deployer:{{SessionName}}',
        '--group',
        'deployers',
      ],
    ]);
  });

  test('notANodeRole: every node group and Fargate profile name, once each', () => {
    const [hit] = run(nodeRow(arn('platform')), {
      nodegroups: [...nodegroups, { nodegroupName: 'ng-2', nodeRole: arn('eks-ng-1-role'), healthIssues: [] }],
      fargateProfiles: [
        { fargateProfileName: 'fp', podExecutionRoleArn: arn('fargate-exec') },
        { fargateProfileName: 'ng-1', podExecutionRoleArn: arn('fargate-exec') },
      ],
    });
    expect(hit).toMatchObject({
      messageId: 'notANodeRole',
      data: { known: 'ng-1, ng-2, fp', reason: '', name: 'platform', hclGroups: [] },
    });
  });

  test('a node row naming no role: ROLE stands for its name', () => {
    const [hit] = run(nodeRow(`arn:aws:iam::${ACCOUNT}:`), { nodegroups });
    expect(hit).toMatchObject({ messageId: 'notANodeRole', data: { name: 'ROLE' } });
    expect(hit?.fix?.[0]?.title).toContain('Give ROLE its own identity');
  });

  test('the row key keeps its spelling when the path is removed', () => {
    const mapRoles = `- RoleArn: ${arn('ci/deployer')}\n  username: system:node:{{EC2PrivateDNSName}}\n`;
    const [hit] = run(mapRoles, prod('CONFIG_MAP'));
    expect(commandsOf(hit?.fix?.[0]?.kubectl ?? [])[0]?.argv.at(-1)).toBe(
      JSON.stringify({
        data: { mapRoles: `- RoleArn: ${arn('deployer')}\n  username: deployer:{{SessionName}}\n  groups: []\n` },
      }),
    );
    expect(hit?.fix?.[0]?.title).toBe(
      'Give deployer its own identity in mapRoles[0] (line 8): username deployer:{{SessionName}}, the node groups removed',
    );
  });

  test('API_AND_CONFIG_MAP: the STANDARD entry takes the non-system groups and the view policy', () => {
    const mapRoles = row('rolearn', arn('deployer'), 'system:node:{{EC2PrivateDNSName}}', [
      'system:nodes',
      'deployers',
      'system:masters',
    ]);
    const [hit] = run(mapRoles, prod('API_AND_CONFIG_MAP'));
    expect(commandsOf(hit?.fix?.[0]?.aws ?? []).map((c) => c.argv.slice(1))).toEqual([
      [
        'eks',
        'create-access-entry',
        '--cluster-name',
        'prod',
        '--region',
        'eu-west-1',
        '--principal-arn',
        arn('deployer'),
        '--username',
        'deployer:{{SessionName}}',
        '--kubernetes-groups',
        'deployers',
      ],
      [
        'eks',
        'associate-access-policy',
        '--cluster-name',
        'prod',
        '--region',
        'eu-west-1',
        '--principal-arn',
        arn('deployer'),
        '--policy-arn',
        'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
        '--access-scope',
        'type=cluster',
      ],
    ]);
    expect(renderScript(hit?.fix?.[0]?.aws ?? [])).toContain(
      '# alternative to the row: a STANDARD access entry, which EKS reads before aws-auth',
    );
  });

  describe("the cluster's service role", () => {
    const clusterRole = arn('cluster-role');
    const withRole = (authenticationMode?: AuthenticationMode): Partial<Evidence> => ({
      cluster: {
        name: 'prod',
        region: 'eu-west-1',
        accountId: ACCOUNT,
        roleArn: ` ${arn('eks/cluster-role')} `,
        ...(authenticationMode ? { authenticationMode } : {}),
      },
    });

    test('recognised through its path and spaces; the message data names the node roles', () => {
      const hits = run(nodeRow(clusterRole), { ...withRole('API'), nodegroups, fargateProfiles: [] });
      expect(hits).toMatchObject([
        {
          messageId: 'clusterServiceRole',
          affectsPrincipal: false,
          data: { nodeRoleText: arn('eks-ng-1-role'), cluster: 'prod' },
        },
      ]);
      expect(hits[0]?.fix).toBeUndefined();
    });

    test('node roles are offered once each, never a blank one', () => {
      const hits = run(nodeRow(clusterRole), {
        ...withRole('API'),
        nodegroups: [
          ...nodegroups,
          { nodegroupName: 'ng-2', nodeRole: arn('eks/eks-ng-1-role'), healthIssues: [] },
          { nodegroupName: 'ng-3', nodeRole: ' ', healthIssues: [] },
        ],
      });
      expect(hits[0]?.data.nodeRoleText).toBe(arn('eks-ng-1-role'));
      expect(commandsOf(hits[0]?.data.nodeEntries as Script).map((c) => c.argv[8])).toEqual([arn('eks-ng-1-role')]);
    });

    test('mode not read: access entries are said to need an API mode', () => {
      const hits = run(nodeRow(clusterRole), { ...withRole(), nodegroups });
      const lines = hits[0]?.data.nodeEntries as Script;
      expect(commandsOf(lines)).toEqual([]);
      expect(renderScript(lines)).toContain(
        '# the authentication mode was not read: access entries work only in API or API_AND_CONFIG_MAP mode',
      );
    });

    test('a row of a block that does not parse is removed by hand (a patch of that block would keep it broken)', () => {
      const mapRoles = `${nodeRow(clusterRole)}- rolearn: x\n  username: {{SessionName}}\n`;
      const hits = run(mapRoles, { ...withRole('API'), nodegroups });
      expect(hits).toMatchObject([{ messageId: 'clusterServiceRole' }]);
      expect(commandsOf(hits[0]?.data.kubectl as Script).map((c) => c.argv[1])).toEqual(['get', 'lint', 'replace']);
      expect(renderScript(hits[0]?.data.kubectl as Script)).toContain(
        `# edit aws-auth.yaml: in mapRoles[0] (line 8): remove the row of ${arn('eks/cluster-role')}, the cluster's service role`,
      );
    });
  });
});

test('a human role in a block that does not parse: its own-identity fix is a hand edit, not a patch of the broken block', () => {
  const mapRoles = `${nodeRow(arn('terraform'))}- rolearn: ${arn('x')}\n  username: {{SessionName}}\n`;
  const [hit] = run(mapRoles, { cluster: { name: 'prod', region: 'eu-west-1', authenticationMode: 'CONFIG_MAP' } });
  expect(hit).toMatchObject({ messageId: 'humanRole', affectsPrincipal: false });
  expect(commandsOf(hit?.fix?.[0]?.kubectl ?? []).map((c) => c.argv[1])).toEqual(['get', 'lint', 'replace']);
});
