import { fixText } from '../../helpers/check-table.js';
import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/creator-recreated.js';
import type { ClusterCreator, Evidence, IamPrincipalDetails } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, contextFor, principal } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered } from '../_live.js';

const CREATOR_ARN = `arn:aws:iam::${ACCOUNT}:role/terraform-local`;
const creator: ClusterCreator = { arn: CREATOR_ARN, source: 'cloudtrail', principalId: 'AROAOLDOLDOLD:tf-run' };
const details = (fields: Partial<IamPrincipalDetails>): IamPrincipalDetails => ({
  arn: CREATOR_ARN,
  path: '/',
  uniqueId: 'AROAOLDOLDOLD',
  createDate: '2023-01-01T00:00:00Z',
  ...fields,
});
const configMap = { ...CLUSTER, authenticationMode: 'CONFIG_MAP' as const };
const nodeRow = awsAuthFrom({
  mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`,
});

describe('identity/creator-recreated', () => {
  test.each<[string, Evidence]>([
    ['the creator predates the cluster and kept its id', { cluster: CLUSTER, creator, creatorDetails: details({}) }],
    [
      'no unique id recorded, created before the cluster',
      {
        cluster: CLUSTER,
        creator: { arn: CREATOR_ARN, source: 'flag' },
        creatorDetails: details({ uniqueId: 'AROANEW' }),
      },
    ],
    ['IAM not read', { cluster: CLUSTER, creator }],
    [
      'IAM read denied (not proof of deletion)',
      {
        cluster: CLUSTER,
        creator,
        failures: { creatorDetails: { code: 'access-denied', action: 'iam:GetRole', message: 'AccessDenied' } },
      },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails: re-created after the cluster, and the creator under diagnosis loses its grant', () => {
    const hits = check.run(
      contextFor({
        principal: principal(CREATOR_ARN),
        cluster: configMap,
        awsAuth: nodeRow,
        creator: { arn: CREATOR_ARN, source: 'cloudtrail' },
        creatorDetails: details({ createDate: '2025-06-01T00:00:00Z' }),
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'recreated',
        affectsPrincipal: true,
        data: {
          creatorArn: CREATOR_ARN,
          principalCreatedAt: '2025-06-01T00:00:00Z',
          clusterCreatedAt: CLUSTER.createdAt,
        },
      },
    ]);
    expect(String(fixText(hits[0]?.data.modeStep))).toContain('authenticationMode=API_AND_CONFIG_MAP');
    expectRendered(check, hits);
  });

  test('fails: the unique id CloudTrail recorded is not the one IAM has now', () => {
    const hits = check.run(
      contextFor({ cluster: CLUSTER, creator, creatorDetails: details({ uniqueId: 'AROANEWNEWNEW' }) }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'idChanged',
        affectsPrincipal: false,
        data: { recordedId: 'AROAOLDOLDOLD', currentId: 'AROANEWNEWNEW', modeStep: [] },
      },
    ]);
    expectRendered(check, hits);
  });

  test('fails: the creator no longer exists', () => {
    const message = 'The role with name terraform-local cannot be found.';
    const hits = check.run(
      contextFor({
        principal: principal(`arn:aws:iam::${ACCOUNT}:role/tfc-agent`),
        cluster: CLUSTER,
        creator,
        failures: { creatorDetails: { code: 'not-found', action: 'iam:GetRole', message } },
      }),
    );
    expect(hits).toMatchObject([{ messageId: 'deleted', affectsPrincipal: false, data: { error: message } }]);
    expectRendered(check, hits);
  });
});

describe('identity/creator-recreated: boundaries and the exact fix data', () => {
  test('unknown authentication mode: the one-way mode switch comes first, then an admin entry for the creator', () => {
    const hits = check.run(
      contextFor({
        cluster: { ...CLUSTER, authenticationMode: undefined },
        creator,
        creatorDetails: details({ uniqueId: 'AROANEWNEWNEW' }),
      }),
    );
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      subject: { kind: 'principal', name: CREATOR_ARN },
      data: { clusterName: 'platform', cluster: 'platform', region: 'eu-west-1', principalNote: '' },
    });
    expect(fixText(hits[0]?.data.modeStep).split('\n')).toEqual([
      '# CONFIG_MAP clusters must first allow access entries (ONE-WAY: EKS cannot go back; skip if the mode is already API_AND_CONFIG_MAP or API):',
      "aws eks update-cluster-config --name platform --region eu-west-1 --access-config 'authenticationMode=API_AND_CONFIG_MAP'",
    ]);
    const eksctl = fixText(hits[0]?.data.eksctlFix);
    expect(eksctl).toContain(`- principalARN: "${CREATOR_ARN}"`);
    expect(eksctl).toContain(
      '- policyARN: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"\n          accessScope:\n            type: "cluster"',
    );
  });

  test('the principal relying on the creator grant is told so', () => {
    const hits = check.run(
      contextFor({
        principal: principal(CREATOR_ARN),
        cluster: configMap,
        awsAuth: nodeRow,
        creator,
        creatorDetails: details({ uniqueId: 'AROANEWNEWNEW' }),
      }),
    );
    expect(hits[0]).toMatchObject({
      affectsPrincipal: true,
      data: {
        principalNote: '; the principal under diagnosis relies on that grant, so EKS answers it 401 Unauthorized',
      },
    });
  });

  test.each<[string, Evidence]>([
    [
      'created at the same instant as the cluster',
      {
        cluster: CLUSTER,
        creator: { arn: CREATOR_ARN, source: 'flag' },
        creatorDetails: details({ createDate: CLUSTER.createdAt }),
      },
    ],
    [
      'IAM answered, so a not-found failure from elsewhere is not a deletion',
      {
        cluster: CLUSTER,
        creator,
        creatorDetails: details({}),
        failures: { creatorDetails: { code: 'not-found', action: 'iam:GetRole', message: 'gone' } },
      },
    ],
    ['no creator known', { cluster: CLUSTER, creatorDetails: details({ uniqueId: 'AROANEWNEWNEW' }) }],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });
});
