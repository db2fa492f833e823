import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/account-mismatch.js';
import { commandsOf, renderHcl } from '../../../src/core/command.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, clusterIn, contextFor, principal } from '../../helpers/evidence.js';

const deployer = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`);

describe('identity/account-mismatch', () => {
  test.each<[string, Evidence]>([
    [
      'same account everywhere',
      {
        principal: deployer,
        cluster: { name: 'c', accountId: ACCOUNT },
        awsAuth: awsAuthFrom({ mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/deployer\n  username: d\n` }),
      },
    ],
    [
      'another role in another account',
      {
        principal: deployer,
        awsAuth: awsAuthFrom({ mapRoles: '- rolearn: arn:aws:iam::999999999999:role/other\n  username: d\n' }),
      },
    ],
    ['no principal', { cluster: { name: 'c', accountId: '999999999999' } }],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails when the row names the role in another account', () => {
    const hits = check.run(
      contextFor({
        principal: deployer,
        awsAuth: awsAuthFrom({ mapRoles: '- rolearn: arn:aws:iam::999999999999:role/deployer\n  username: d\n' }),
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'rowInOtherAccount',
        affectsPrincipal: true,
        data: { rowAccount: '999999999999', principalAccount: ACCOUNT },
      },
    ]);
    expect(hits[0]?.location?.line).toBeGreaterThan(0);
  });

  test('notes a principal from another account than the cluster', () => {
    const hits = check.run(contextFor({ principal: deployer, cluster: { name: 'c', accountId: '999999999999' } }));
    expect(hits).toMatchObject([
      { messageId: 'principalInOtherAccount', affectsPrincipal: false, data: { clusterAccount: '999999999999' } },
    ]);
  });
  test('the fix rewrites the row to the principal account exactly: username, groups and comments kept', () => {
    const mapRoles =
      '# pipelines\n- rolearn: arn:aws:iam::999999999999:role/deployer\n  username: deploy\n  groups:\n    - system:masters\n';
    const [hit] = check.run(
      contextFor({ principal: deployer, cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFrom({ mapRoles }) }),
    );
    const [step] = hit?.fix ?? [];
    const target = `arn:aws:iam::${ACCOUNT}:role/deployer`;
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
          JSON.stringify({ data: { mapRoles: mapRoles.replace('999999999999', ACCOUNT) } }),
        ],
      },
    ]);
    expect(commandsOf(step?.eksctl ?? []).map((c) => c.argv)).toEqual([
      [
        'eksctl',
        'delete',
        'iamidentitymapping',
        '--cluster',
        'prod',
        '--region',
        'eu-west-1',
        '--arn',
        'arn:aws:iam::999999999999:role/deployer',
        '--all',
      ],
      [
        'eksctl',
        'create',
        'iamidentitymapping',
        '--cluster',
        'prod',
        '--region',
        'eu-west-1',
        '--arn',
        target,
        '--username',
        'deploy',
        '--group',
        'system:masters',
      ],
    ]);
    expect(renderHcl(step?.terraform ?? [])).toContain(
      `aws_auth_roles = [{ rolearn = "${target}", username = "deploy", groups = ["system:masters"] }]`,
    );
  });
});
