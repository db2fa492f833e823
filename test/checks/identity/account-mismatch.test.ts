import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/account-mismatch.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, contextFor, principal } from '../../helpers/evidence.js';

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
});
