import { describe, expect, test } from 'vitest';
import check from '../../../checks/mode/api-ignores-aws-auth.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, clusterIn, entry, principal } from '../../helpers/evidence.js';

const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const NODE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;
const DEV = `arn:aws:iam::${ACCOUNT}:role/Dev`;
const adminRow = `- rolearn: ${ADMIN}\n  username: admin\n  groups:\n    - system:masters\n`;
const nodeRow = `- rolearn: ${NODE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;
const devRow = `- rolearn: ${DEV}\n  username: dev\n  groups:\n    - developers\n`;

const { run, passes } = checkTable(check);

describe('mode/api-ignores-aws-auth', () => {
  passes([
    [
      'API_AND_CONFIG_MAP reads aws-auth',
      { cluster: clusterIn('API_AND_CONFIG_MAP'), awsAuth: awsAuthFrom({ mapRoles: adminRow }) },
    ],
    ['CONFIG_MAP reads aws-auth', { cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFrom({ mapRoles: adminRow }) }],
    ['API with no aws-auth', { cluster: clusterIn('API'), awsAuth: { state: 'absent' } }],
    [
      'API, and every row has its access entry',
      {
        cluster: clusterIn('API'),
        awsAuth: awsAuthFrom({ mapRoles: adminRow + nodeRow }),
        accessEntries: [entry(ADMIN), entry(NODE, { type: 'EC2_LINUX' })],
      },
    ],
    [
      'API, entry for a role with a path matches its path-less row',
      {
        cluster: clusterIn('API'),
        awsAuth: awsAuthFrom({ mapRoles: adminRow }),
        accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/team/Admin`)],
      },
    ],
  ]);

  test('fails for the principal: its row is ignored and it has no entry (401)', () => {
    const hits = run({
      cluster: clusterIn('API'),
      awsAuth: awsAuthFrom({ mapRoles: adminRow }),
      accessEntries: [],
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'principalRowIgnored',
        affectsPrincipal: true,
        location: { key: 'mapRoles[0].rolearn' },
        data: { arn: ADMIN, cluster: 'prod', where: 'mapRoles[0] (line 9)' },
      },
    ]);
    expect(fixText(hits[0]?.data.aws)).toContain(
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${ADMIN}`,
    );
    expect(fixText(hits[0]?.data.aws)).toContain(
      `--policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope 'type=cluster'`,
    );
    expectRendered(check, hits);
  });

  test("uses the principal's real ARN, path included, in the entry it proposes", () => {
    const iam = `arn:aws:iam::${ACCOUNT}:role/team/Admin`;
    const hits = run({
      cluster: clusterIn('API'),
      awsAuth: awsAuthFrom({ mapRoles: adminRow }),
      accessEntries: [],
      principal: principal(iam),
    });
    expect(fixText(hits[0]?.data.aws)).toContain(`--principal-arn ${iam}`);
  });

  test('does not concern the principal when it has its own entry', () => {
    const hits = run({
      cluster: clusterIn('API'),
      awsAuth: awsAuthFrom({ mapRoles: adminRow + devRow }),
      accessEntries: [entry(ADMIN)],
      principal: principal(ADMIN),
    });
    expect(hits).toMatchObject([{ messageId: 'rowsIgnored', affectsPrincipal: false, data: { count: 1 } }]);
  });

  test('fails for every other row without an entry, node rows as EC2_LINUX entries', () => {
    const hits = run({
      cluster: clusterIn('API'),
      awsAuth: awsAuthFrom({ mapRoles: nodeRow + devRow }),
      accessEntries: [],
    });
    expect(hits).toMatchObject([
      {
        messageId: 'rowsIgnored',
        affectsPrincipal: false,
        location: { key: 'mapRoles[0].rolearn' },
        data: { count: 2, entriesNote: ' and none of their principals has an access entry' },
      },
    ]);
    expect(fixText(hits[0]?.data.aws)).toContain(`--principal-arn ${NODE} --type EC2_LINUX`);
    expect(fixText(hits[0]?.data.aws)).toContain(
      `--principal-arn ${DEV} --username dev --kubernetes-groups developers`,
    );
    expectRendered(check, hits);
  });

  test('says so when access entries were not given', () => {
    const hits = run({ cluster: clusterIn('API'), awsAuth: awsAuthFrom({ mapRoles: devRow }) });
    expect(hits).toMatchObject([
      {
        messageId: 'rowsIgnored',
        data: { count: 1, entriesNote: ' (access entries not given: some of these principals may have one)' },
      },
    ]);
  });

  test('mapAccounts is ignored too, and concerns a principal of that account with no entry', () => {
    const evidence: Evidence = {
      cluster: clusterIn('API'),
      awsAuth: awsAuthFrom({ mapAccounts: `- "${ACCOUNT}"\n` }),
      accessEntries: [],
      principal: principal(`arn:aws:iam::${ACCOUNT}:user/bob`),
    };
    const hits = run(evidence);
    expect(hits).toMatchObject([
      {
        messageId: 'accountsIgnored',
        affectsPrincipal: true,
        location: { key: 'mapAccounts[0]' },
        data: { accounts: ACCOUNT, account: ACCOUNT },
      },
    ]);
    expectRendered(check, hits);
  });
});
