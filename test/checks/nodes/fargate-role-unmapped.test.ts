import { describe, expect, test } from 'vitest';
import check from '../../../checks/nodes/fargate-role-unmapped.js';
import type { FargateProfile } from '../../../src/model/evidence.js';
import { commandsOf, type Script } from '../../../src/core/command.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, clusterIn, entry } from '../../helpers/evidence.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/fargate-pods`;
const FARGATE_GROUPS = ['system:bootstrappers', 'system:nodes', 'system:node-proxier'];
const row = (groups = FARGATE_GROUPS, username = 'system:node:{{SessionName}}', arn = ROLE) =>
  `- rolearn: ${arn}\n  username: ${username}\n  groups:\n${groups.map((g) => `    - ${g}`).join('\n')}\n`;
const profile = (name: string, podExecutionRoleArn = ROLE): FargateProfile => ({
  fargateProfileName: name,
  podExecutionRoleArn,
});
const { run, passes } = checkTable(check);

describe('nodes/fargate-role-unmapped', () => {
  passes([
    [
      'CONFIG_MAP with the row EKS writes',
      {
        cluster: clusterIn('CONFIG_MAP'),
        fargateProfiles: [profile('karpenter')],
        awsAuth: awsAuthFrom({ mapRoles: row() }),
      },
    ],
    [
      'API with a FARGATE_LINUX entry',
      {
        cluster: clusterIn('API'),
        fargateProfiles: [profile('karpenter')],
        accessEntries: [entry(ROLE, { type: 'FARGATE_LINUX' })],
      },
    ],
    [
      'API_AND_CONFIG_MAP with only the row',
      {
        cluster: clusterIn('API_AND_CONFIG_MAP'),
        fargateProfiles: [profile('karpenter')],
        accessEntries: [],
        awsAuth: awsAuthFrom({ mapRoles: row() }),
      },
    ],
    ['aws-auth not given: unknown', { cluster: clusterIn('CONFIG_MAP'), fargateProfiles: [profile('karpenter')] }],
  ]);

  test('fails: no row for the pod execution role', () => {
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      fargateProfiles: [profile('karpenter'), profile('default')],
      awsAuth: awsAuthFrom({ mapRoles: '' }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'noMapping',
        affectsPrincipal: false,
        subject: { kind: 'fargate-profile', name: 'karpenter, default' },
        data: { role: ROLE, expected: 'no aws-auth row' },
      },
    ]);
    expect(fixText(hits[0]?.data.eksctl)).toBe(
      `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${ROLE} --username 'system:node:{{SessionName}}' --group system:bootstrappers --group system:nodes --group system:node-proxier`,
    );
    expectRendered(check, hits);
  });

  test.each<[string, string, string]>([
    ['without system:node-proxier', row(['system:bootstrappers', 'system:nodes']), 'system:node-proxier'],
    [
      'with the EC2 username',
      row(FARGATE_GROUPS, 'system:node:{{EC2PrivateDNSName}}'),
      'username system:node:{{SessionName}}',
    ],
  ])('fails: a row %s', (_, mapRoles, missing) => {
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      fargateProfiles: [profile('karpenter')],
      awsAuth: awsAuthFrom({ mapRoles }),
    });
    expect(hits).toMatchObject([{ messageId: 'incompleteRow', location: { key: 'mapRoles[0]' }, data: { missing } }]);
    expectRendered(check, hits);
  });

  test('fails: API mode ignores the row', () => {
    const hits = run({
      cluster: clusterIn('API'),
      fargateProfiles: [profile('karpenter')],
      accessEntries: [],
      awsAuth: awsAuthFrom({ mapRoles: row() }),
    });
    expect(hits).toMatchObject([{ messageId: 'rowIgnoredInApiMode' }]);
    expect(fixText(hits[0]?.data.aws)).toBe(
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ROLE} --type FARGATE_LINUX`,
    );
  });

  test('fails: an EC2_LINUX entry for the pod execution role', () => {
    const hits = run({
      cluster: clusterIn('API'),
      fargateProfiles: [profile('karpenter')],
      accessEntries: [entry(ROLE, { type: 'EC2_LINUX' })],
    });
    expect(hits).toMatchObject([{ messageId: 'wrongEntryType', data: { entryType: 'EC2_LINUX' } }]);
    expect(fixText(hits[0]?.data.aws)).toContain('delete-access-entry');
  });

  test('fails: the row is lost with its block', () => {
    const mapRoles = `${row()}- rolearn: arn:aws:iam::${ACCOUNT}:role/x\n  username: {{SessionName}}\n`;
    expect(
      run({
        cluster: clusterIn('CONFIG_MAP'),
        fargateProfiles: [profile('karpenter')],
        awsAuth: awsAuthFrom({ mapRoles }),
      }),
    ).toMatchObject([{ messageId: 'lostWithBlock', data: { line: 9 } }]);
  });

  test('fails: the row carries the role path', () => {
    const pathed = `arn:aws:iam::${ACCOUNT}:role/eks/fargate-pods`;
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      fargateProfiles: [profile('karpenter', pathed)],
      awsAuth: awsAuthFrom({ mapRoles: row(FARGATE_GROUPS, 'system:node:{{SessionName}}', pathed) }),
    });
    expect(hits).toMatchObject([{ messageId: 'rowHasPath', data: { canonical: ROLE, rowArn: pathed } }]);
  });
  test('the kubectl fix is an exact patch adding the Fargate row (username {{SessionName}}, node-proxier)', () => {
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      fargateProfiles: [profile('default', `arn:aws:iam::${ACCOUNT}:role/eks/fargate-pods`)],
      awsAuth: awsAuthFrom({ mapRoles: '' }),
    });
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
          JSON.stringify({ data: { mapRoles: row() } }),
        ],
      },
    ]);
  });

  test('a row missing system:node-proxier: the group is added in place', () => {
    const hits = run({
      cluster: clusterIn('CONFIG_MAP'),
      fargateProfiles: [profile('default')],
      awsAuth: awsAuthFrom({ mapRoles: row(['system:bootstrappers', 'system:nodes']) }),
    });
    expect(hits).toMatchObject([{ messageId: 'incompleteRow' }]);
    expect(commandsOf(hits[0]?.data.kubectl as Script)[0]?.argv.at(-1)).toBe(
      JSON.stringify({ data: { mapRoles: row() } }),
    );
  });
});
