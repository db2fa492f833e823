import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/creator-bootstrap-off.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, contextFor, entry, principal } from '../../helpers/evidence.js';

const creatorArn = `arn:aws:iam::${ACCOUNT}:role/builder`;
const adminPolicy = {
  policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
  accessScope: { type: 'cluster' as const, namespaces: [] },
};
const cluster = (bootstrap: boolean | undefined) => ({
  name: 'c1',
  accountId: ACCOUNT,
  authenticationMode: 'API' as const,
  ...(bootstrap === undefined ? {} : { bootstrapClusterCreatorAdminPermissions: bootstrap }),
});

describe('identity/creator-bootstrap-off', () => {
  test.each<[string, Evidence]>([
    ['bootstrap on', { cluster: cluster(true), accessEntries: [] }],
    ['bootstrap unknown', { cluster: cluster(undefined), accessEntries: [] }],
    [
      'bootstrap off but an admin entry exists',
      {
        cluster: cluster(false),
        accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/admin`, { associatedAccessPolicies: [adminPolicy] })],
      },
    ],
    ['bootstrap off, entries not known', { cluster: cluster(false) }],
    [
      'bootstrap off, a system:masters row in API_AND_CONFIG_MAP',
      {
        cluster: { ...cluster(false), authenticationMode: 'API_AND_CONFIG_MAP' },
        accessEntries: [],
        awsAuth: awsAuthFrom({
          mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/a\n  username: a\n  groups: [system:masters]\n`,
        }),
      },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails for the creator itself', () => {
    const hits = check.run(
      contextFor({
        cluster: cluster(false),
        accessEntries: [],
        creator: { arn: creatorArn, source: 'flag' },
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/builder/s`),
      }),
    );
    expect(hits).toMatchObject([
      { messageId: 'creatorHasNoAdmin', affectsPrincipal: true, data: { creator: creatorArn } },
    ]);
  });

  test('warns when nobody is admin', () => {
    const hits = check.run(
      contextFor({ cluster: cluster(false), accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/viewer`)] }),
    );
    expect(hits).toMatchObject([{ messageId: 'nobodyIsAdmin', affectsPrincipal: false }]);
  });
});
