import { describe, expect, test } from 'vitest';
import check from '../../../checks/nodes/username-template.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, principal } from '../../helpers/evidence.js';

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
});
