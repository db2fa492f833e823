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

  test('reads nothing without aws-auth evidence', () => {
    expect(run({ cluster: clusterIn('API') })).toEqual([]);
  });

  test("the principal's row: its subject is the row, and every fix creates exactly that entry", () => {
    const hits = run({
      cluster: clusterIn('API'),
      awsAuth: awsAuthFrom({ mapRoles: adminRow }),
      accessEntries: [],
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/jane`),
    });
    expect(hits.map((h) => h.subject)).toEqual([{ kind: 'aws-auth', name: 'mapRoles[0]' }]);
    expect(fixText(hits[0]?.data.eksctl)).toContain(
      `  accessEntries:\n    - principalARN: "${ADMIN}"\n      kubernetesUsername: "admin"\n      accessPolicies:\n`,
    );
    expect(fixText(hits[0]?.data.terraform)).toContain(`  admin = {\n    principal_arn = "${ADMIN}"\n`);
  });

  test('other rows: ARNs trimmed in the fixes, three examples and a count of the rest', () => {
    const spaced = `- rolearn: " ${DEV} "\n  username: dev\n  groups:\n    - developers\n`;
    const more = ['A', 'B', 'C'].map((n) => devRow.replace(DEV, `arn:aws:iam::${ACCOUNT}:role/${n}`)).join('');
    const hits = run({
      cluster: clusterIn('API'),
      awsAuth: awsAuthFrom({ mapRoles: spaced + more }),
      accessEntries: [],
    });
    expect(hits.map((h) => [h.messageId, h.subject])).toEqual([
      ['rowsIgnored', { kind: 'aws-auth', name: 'aws-auth' }],
    ]);
    const role = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;
    expect(hits[0]?.data.examples).toBe(
      ` ${DEV}  (mapRoles[0] (line 9)), ${role('A')} (mapRoles[1] (line 9)), ${role('B')} (mapRoles[2] (line 9)), and 1 more`,
    );
    const create = (arn: string) =>
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${arn} --username dev --kubernetes-groups developers`;
    expect(fixText(hits[0]?.data.aws)).toBe([DEV, role('A'), role('B')].map(create).join('\n'));
    expect(fixText(hits[0]?.data.eksctl)).toContain(`    - principalARN: "${DEV}"\n`);
    expect(fixText(hits[0]?.data.eksctl)).not.toContain(role('C'));
    expect(fixText(hits[0]?.data.terraform)).toContain(`  dev = { principal_arn = "${DEV}", user_name = "dev"`);
  });

  test('a row whose ARN has spaces around it still matches its access entry', () => {
    const spaced = `- rolearn: " ${DEV} "\n  username: dev\n  groups:\n    - developers\n`;
    expect(
      run({ cluster: clusterIn('API'), awsAuth: awsAuthFrom({ mapRoles: spaced }), accessEntries: [entry(DEV)] }),
    ).toEqual([]);
  });

  test('exactly three dead rows: all listed, no "more"', () => {
    const rows = ['A', 'B', 'C'].map((n) => devRow.replace(DEV, `arn:aws:iam::${ACCOUNT}:role/${n}`)).join('');
    const hits = run({ cluster: clusterIn('API'), awsAuth: awsAuthFrom({ mapRoles: rows }), accessEntries: [] });
    expect(hits[0]?.data.examples).toBe(
      ['A', 'B', 'C'].map((n, i) => `arn:aws:iam::${ACCOUNT}:role/${n} (mapRoles[${i}] (line 9))`).join(', '),
    );
  });

  test('mapAccounts: every account listed, the eksctl entry in the cluster partition', () => {
    const other = '444455556666';
    const evidence: Evidence = {
      cluster: { name: 'prod', region: 'eu-west-1', authenticationMode: 'API', partition: 'aws-cn' },
      awsAuth: awsAuthFrom({ mapAccounts: `- "${ACCOUNT}"\n- "${other}"\n` }),
      accessEntries: [],
    };
    const hits = run({ ...evidence, principal: principal(`arn:aws:iam::${other}:user/bob`) });
    expect(hits).toMatchObject([
      {
        messageId: 'accountsIgnored',
        subject: { kind: 'aws-auth', name: 'mapAccounts' },
        affectsPrincipal: true,
        data: { accounts: `${ACCOUNT}, ${other}`, account: ACCOUNT, region: 'eu-west-1' },
      },
    ]);
    expect(fixText(hits[0]?.data.eksctl)).toBe(
      `eksctl create accessentry -f - <<'EOF'\napiVersion: "eksctl.io/v1alpha5"\nkind: "ClusterConfig"\nmetadata:\n  name: "prod"\n  region: "eu-west-1"\naccessConfig:\n  accessEntries:\n    - principalARN: "arn:aws-cn:iam::${ACCOUNT}:role/ROLE_NAME"\nEOF`,
    );
    // A principal of an account aws-auth does not list, and no principal at all, are not concerned.
    expect(run({ ...evidence, principal: principal('arn:aws:iam::999988887777:user/eve') })[0]?.affectsPrincipal).toBe(
      false,
    );
    expect(run(evidence)[0]?.affectsPrincipal).toBe(false);
    // Without a partition the ARN is in `aws`.
    expect(fixText(run({ ...evidence, cluster: clusterIn('API') })[0]?.data.eksctl)).toContain(
      `principalARN: "arn:aws:iam::${ACCOUNT}:role/ROLE_NAME"`,
    );
  });

  test("the principal's row is found even with spaces around its ARN", () => {
    const spaced = `- rolearn: " ${ADMIN} "\n  username: admin\n  groups:\n    - system:masters\n`;
    const hits = run({
      cluster: clusterIn('API'),
      awsAuth: awsAuthFrom({ mapRoles: spaced }),
      accessEntries: [],
      principal: principal(ADMIN),
    });
    expect(hits.map((h) => h.messageId)).toEqual(['principalRowIgnored']);
  });
});
