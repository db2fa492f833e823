import { describe, expect, test } from 'vitest';
import { fixText } from '../../helpers/check-table.js';
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

describe('identity/creator-bootstrap-off: which admin counts, and the entry the fix creates', () => {
  const mastersRow = awsAuthFrom({
    mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/a\n  username: a\n  groups: [system:masters]\n`,
  });
  const mastersUser = awsAuthFrom({
    mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/a\n  username: a\n  groups: [system:masters]\n`,
  });
  const viewRow = awsAuthFrom({
    mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/a\n  username: a\n  groups: [viewers]\n`,
  });

  test('the creator, named by its session in CloudTrail, gets an admin entry for its role', () => {
    const hits = check.run(
      contextFor({
        cluster: { ...cluster(false), region: 'eu-west-1' },
        accessEntries: [],
        creator: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/builder/tf-run`, source: 'cloudtrail' },
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/builder/s`),
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'creatorHasNoAdmin',
        subject: { kind: 'principal', name: creatorArn },
        data: { cluster: 'c1', region: 'eu-west-1', creator: creatorArn },
      },
    ]);
    const eksctl = String(fixText(hits[0]?.data.eksctlEntry));
    expect(eksctl).toContain(`- principalARN: "${creatorArn}"`);
    expect(eksctl).toContain('AmazonEKSClusterAdminPolicy');
  });

  test('nobody is admin: the cluster is the subject and the entry is for a role to choose', () => {
    const hits = check.run(contextFor({ cluster: cluster(false), accessEntries: [] }));
    expect(hits).toMatchObject([
      { messageId: 'nobodyIsAdmin', subject: { kind: 'cluster', name: 'c1' }, data: { creator: 'the creator' } },
    ]);
    expect(String(fixText(hits[0]?.data.eksctlEntry))).toContain('- principalARN: "ADMIN_ROLE_ARN"');
  });

  test.each<[string, Evidence, boolean]>([
    ['a system:masters user row', { awsAuth: mastersUser }, false],
    ['only a non-admin row', { awsAuth: viewRow }, true],
    ['aws-auth absent', { awsAuth: { state: 'absent' } }, true],
    ['aws-auth not read (cannot tell)', {}, false],
  ])('API_AND_CONFIG_MAP with %s: nobody is admin = %s', (_, extra, reported) => {
    const hits = check.run(
      contextFor({
        cluster: { ...cluster(false), authenticationMode: 'API_AND_CONFIG_MAP' },
        accessEntries: [],
        ...extra,
      }),
    );
    expect(hits.map((h) => h.messageId)).toEqual(reported ? ['nobodyIsAdmin'] : []);
  });

  test('in API mode a system:masters row grants nothing', () => {
    const hits = check.run(contextFor({ cluster: cluster(false), accessEntries: [], awsAuth: mastersRow }));
    expect(hits.map((h) => h.messageId)).toEqual(['nobodyIsAdmin']);
  });

  test('an admin policy at namespace scope or another policy is not an admin entry', () => {
    const hits = check.run(
      contextFor({
        cluster: cluster(false),
        accessEntries: [
          entry(`arn:aws:iam::${ACCOUNT}:role/v`, {
            associatedAccessPolicies: [
              { ...adminPolicy, policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' },
              { ...adminPolicy, accessScope: { type: 'namespace', namespaces: ['kube-system'] } },
            ],
          }),
        ],
      }),
    );
    expect(hits.map((h) => h.messageId)).toEqual(['nobodyIsAdmin']);
  });
});
