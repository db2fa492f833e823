import { describe, expect, test } from 'vitest';
import check from '../../../checks/nodes/username-template.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, awsAuthFromText, principal } from '../../helpers/evidence.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;
const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];
const row = (username: string, groups = NODE_GROUPS, arn = ROLE) =>
  `- rolearn: ${arn}\n  username: "${username}"\n  groups:\n${groups.map((g) => `    - ${g}`).join('\n')}\n`;
const cluster: Evidence['cluster'] = {
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'CONFIG_MAP',
};
const { run, passes, severityOf } = checkTable(check, { cluster });

describe('nodes/username-template', () => {
  passes([
    ['the EC2 template', { awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{EC2PrivateDNSName}}') }) }],
    [
      'a Fargate row (system:node-proxier)',
      {
        awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{SessionName}}', [...NODE_GROUPS, 'system:node-proxier']) }),
      },
    ],
    [
      "a Fargate profile's role",
      {
        awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{SessionName}}') }),
        fargateProfiles: [{ fargateProfileName: 'fp', podExecutionRoleArn: ROLE }],
      },
    ],
    ['a row that is not a node', { awsAuth: awsAuthFrom({ mapRoles: row('admin', ['system:masters']) }) }],
    ['an empty mapRoles', { awsAuth: awsAuthFrom({ mapRoles: '' }) }],
  ]);

  test('warns: {{SessionName}} for EC2 nodes names them by instance id', () => {
    const hits = run({ awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{SessionName}}') }) });
    expect(hits).toMatchObject([
      {
        messageId: 'sessionNameTemplate',
        affectsPrincipal: false,
        location: { key: 'mapRoles[0].username' },
        data: { arn: ROLE, username: 'system:node:{{SessionName}}', whose: 'node role (groups system:nodes)' },
      },
    ]);
    expect(severityOf(hits[0])).toBe('warning');
    expectRendered(check, hits);
  });

  test('knows a node group role even when the row lacks system:nodes', () => {
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles: row('system:node:worker', ['system:bootstrappers']) }),
      nodegroups: [{ nodegroupName: 'ng', nodeRole: ROLE, healthIssues: [] }],
    });
    expect(hits).toMatchObject([
      {
        messageId: 'otherTemplate',
        data: { whose: 'node group role', groupFlags: ['--group', 'system:bootstrappers', '--group', 'system:nodes'] },
      },
    ]);
  });

  test('fails: a system:nodes row whose username is not system:node:…', () => {
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles: row('{{EC2PrivateDNSName}}') }),
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/eks-node/i-0123456789abcdef0`),
    });
    expect(hits).toMatchObject([
      { messageId: 'notNodeUsername', affectsPrincipal: true, data: { username: '{{EC2PrivateDNSName}}' } },
    ]);
    expect(severityOf(hits[0])).toBe('error');
    expect(fixText(hits[0]?.data.aws)).toBe(
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ROLE} --type EC2_LINUX`,
    );
    expectRendered(check, hits);
  });

  test('a Windows row keeps its type in the entry it proposes', () => {
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles: row('node', [...NODE_GROUPS, 'eks:kube-proxy-windows']) }),
    });
    expect(fixText(hits[0]?.data.aws)).toContain('--type EC2_WINDOWS');
  });

  test('fails for the node role itself: it authenticates under a name no node has', () => {
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{SessionName}}') }),
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/eks-node/i-0123456789abcdef0`),
    });
    expect(hits).toMatchObject([
      { messageId: 'principalNodeName', affectsPrincipal: true, data: { rendered: 'system:node:i-0123456789abcdef0' } },
    ]);
    expect(severityOf(hits[0])).toBe('error');
    expectRendered(check, hits);
  });

  test('stays a warning when the probe shows the node role allowed everything it tried', () => {
    const probe = {
      status: 200,
      error: null,
      accessReviews: [{ verb: 'get', resource: 'pods', namespace: 'default', allowed: true }],
    };
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{SessionName}}') }),
      probe,
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/eks-node/i-0123456789abcdef0`),
    });
    expect(hits).toMatchObject([{ messageId: 'sessionNameTemplate', affectsPrincipal: false }]);
  });

  describe('the exact finding', () => {
    /** aws-auth as a YAML file, mapRoles a literal block: its first row is on line 8. */
    const fromYaml = (mapRoles: string) =>
      awsAuthFromText(
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n${mapRoles
          .split('\n')
          .map((l) => (l ? `    ${l}` : l))
          .join('\n')}`,
      );
    const ADMIN = `- rolearn: arn:aws:iam::${ACCOUNT}:role/admin\n  username: admin\n  groups:\n    - system:masters\n`;
    const ng = { nodegroupName: 'ng', nodeRole: ` arn:aws:iam::${ACCOUNT}:role/nodes/EKS-NODE `, healthIssues: [] };

    test('a node group role with a username that is no node name: everything the fix needs', () => {
      const hits = run({ awsAuth: fromYaml(`${ADMIN}${row('ops', ['team-a'])}`), nodegroups: [ng] });
      expect(hits).toEqual([
        {
          messageId: 'notNodeUsername',
          subject: { kind: 'aws-auth', name: 'mapRoles[1]' },
          location: expect.objectContaining({ key: 'mapRoles[1].username', line: 13 }),
          affectsPrincipal: false,
          data: {
            where: 'aws-auth mapRoles[1] (line 12)',
            arn: ROLE,
            username: 'ops',
            principal: '',
            rendered: 'ops',
            whose: 'node group role',
            cluster: 'prod',
            groupFlags: ['--group', 'system:bootstrappers', '--group', 'system:nodes', '--group', 'team-a'],
            hclGroups: ['system:bootstrappers', 'system:nodes', 'team-a'],
            aws: expect.anything(),
          },
        },
      ]);
      expect(fixText(hits[0]?.data.aws)).toBe(
        `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ROLE} --type EC2_LINUX`,
      );
      expectRendered(check, hits);
    });

    test('an empty username is shown as (empty)', () => {
      const hits = run({ awsAuth: awsAuthFrom({ mapRoles: row('') }) });
      expect(hits).toMatchObject([{ messageId: 'notNodeUsername', data: { username: '(empty)' } }]);
    });

    test('{{SessionNameRaw}} names nodes by instance id too', () => {
      const hits = run({ awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{SessionNameRaw}}') }) });
      expect(hits).toMatchObject([{ messageId: 'sessionNameTemplate' }]);
      expect(severityOf(hits[0])).toBe('warning');
    });

    test('another system:node: template, with the groups kept as they are when system:nodes is there', () => {
      const hits = run({
        awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{AccountID}}', ['system:nodes', 'team']) }),
      });
      expect(hits).toMatchObject([
        {
          messageId: 'otherTemplate',
          affectsPrincipal: false,
          data: { groupFlags: ['--group', 'system:nodes', '--group', 'team'], hclGroups: ['system:nodes', 'team'] },
        },
      ]);
      expect(severityOf(hits[0])).toBe('warning');
    });

    test('a node group role with the Fargate groups is still an EC2 node role', () => {
      const hits = run({
        awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{SessionName}}', [...NODE_GROUPS, 'system:node-proxier']) }),
        nodegroups: [ng],
      });
      expect(hits).toMatchObject([{ messageId: 'sessionNameTemplate', data: { whose: 'node group role' } }]);
    });

    test('a node group role that is also a Fargate role is left to nodes/shared-node-role', () => {
      const hits = run({
        awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{SessionName}}') }),
        nodegroups: [ng],
        fargateProfiles: [
          { fargateProfileName: 'fp', podExecutionRoleArn: ` arn:aws:iam::${ACCOUNT}:role/x/EKS-Node ` },
        ],
      });
      expect(hits).toEqual([]);
    });

    test('aws-auth absent or unread: nothing to read', () => {
      expect(run({ awsAuth: { state: 'absent' } })).toEqual([]);
      expect(run({})).toEqual([]);
    });

    test('another principal: not affected, and named as the principal asked about', () => {
      const hits = run({
        awsAuth: awsAuthFrom({ mapRoles: `${row('system:node:{{AccountID}}')}${ADMIN}` }),
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`),
      });
      expect(hits).toMatchObject([
        {
          messageId: 'otherTemplate',
          affectsPrincipal: false,
          data: { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice` },
        },
      ]);
    });

    test('a principal that nothing maps: the node row is reported, not about it', () => {
      const hits = run({
        awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{AccountID}}') }),
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/nobody/x`),
      });
      expect(hits).toMatchObject([{ messageId: 'otherTemplate', affectsPrincipal: false }]);
    });

    test('a username that is no node name, diagnosing another principal: not affected', () => {
      const hits = run({
        awsAuth: awsAuthFrom({ mapRoles: `${row('node-x')}${ADMIN}` }),
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`),
      });
      expect(hits).toMatchObject([{ messageId: 'notNodeUsername', affectsPrincipal: false }]);
    });

    test('the node role as principal, refused by a probe: the name it renders to, as an error', () => {
      const hits = run({
        awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{AccountID}}') }),
        probe: {
          status: 403,
          error: 'forbidden',
          accessReviews: [
            { verb: 'get', resource: 'pods', namespace: 'default', allowed: true },
            { verb: 'get', resource: 'nodes', namespace: '', allowed: false },
          ],
        },
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/eks-node/i-0123456789abcdef0`),
      });
      expect(hits).toMatchObject([
        {
          messageId: 'principalNodeName',
          affectsPrincipal: true,
          data: {
            principal: `arn:aws:sts::${ACCOUNT}:assumed-role/eks-node/i-0123456789abcdef0`,
            rendered: `system:node:${ACCOUNT}`,
          },
        },
      ]);
    });

    test('the node role as principal, but not through this row (an access entry maps it): a warning', () => {
      const hits = run({
        cluster: { ...cluster, authenticationMode: 'API_AND_CONFIG_MAP' },
        accessEntries: [{ principalArn: ROLE, type: 'EC2_LINUX', kubernetesGroups: [], associatedAccessPolicies: [] }],
        awsAuth: awsAuthFrom({ mapRoles: row('system:node:{{SessionName}}') }),
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/eks-node/i-0123456789abcdef0`),
      });
      expect(hits).toMatchObject([{ messageId: 'sessionNameTemplate', affectsPrincipal: false }]);
    });
  });
});
