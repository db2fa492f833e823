import { describe, expect, test } from 'vitest';
import check, { toMillis } from '../../../checks/access-entry/stale-principal.js';
import type { Evidence, IamPrincipalDetails } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, entry, principal } from '../../helpers/evidence.js';

const CI = `arn:aws:iam::${ACCOUNT}:role/ci`;
const CI_WITH_PATH = `arn:aws:iam::${ACCOUNT}:role/automation/ci`;
const cluster: Evidence['cluster'] = {
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'API',
};
const details = (createDate: string | undefined, arn = CI): IamPrincipalDetails => ({
  arn,
  path: '/',
  ...(createDate !== undefined ? { createDate } : {}),
});
const { run, passes } = checkTable(check, { cluster });

describe('access-entry/stale-principal', () => {
  passes([
    [
      'role created before its entry',
      {
        accessEntries: [entry(CI, { createdAt: '2024-03-14T15:31:44Z' })],
        principalDetails: details('2023-01-01T00:00:00Z'),
      },
    ],
    [
      'same instant',
      { accessEntries: [entry(CI, { createdAt: '1710430304' })], principalDetails: details('2024-03-14T15:31:44Z') },
    ],
    [
      'entry of another role',
      {
        accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/other`, { createdAt: '2020-01-01T00:00:00Z' })],
        principalDetails: details('2024-01-01T00:00:00Z'),
      },
    ],
    ['entry without createdAt', { accessEntries: [entry(CI)], principalDetails: details('2024-01-01T00:00:00Z') }],
    [
      'role without createDate',
      { accessEntries: [entry(CI, { createdAt: '2020-01-01T00:00:00Z' })], principalDetails: details(undefined) },
    ],
    [
      'unreadable dates',
      { accessEntries: [entry(CI, { createdAt: 'yesterday' })], principalDetails: details('2024-01-01T00:00:00Z') },
    ],
  ]);

  test('fails: the role is younger than its entry (epoch seconds from the API, ISO from IAM)', () => {
    const e = entry(CI, {
      createdAt: '1710430304.348',
      kubernetesGroups: ['deployers'],
      associatedAccessPolicies: [
        {
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
          accessScope: { type: 'namespace', namespaces: ['apps'] },
        },
      ],
    });
    const hits = run({
      accessEntries: [e],
      principalDetails: details('2024-06-01T08:00:00Z'),
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/ci/run-1`),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'recreatedAfterEntry',
        affectsPrincipal: true,
        subject: { kind: 'access-entry', name: CI },
        data: {
          iamArn: CI,
          entryArn: CI,
          createDate: '2024-06-01T08:00:00.000Z',
          entryCreatedAt: '2024-03-14T15:31:44.348Z',
        },
      },
    ]);
    const aws = String(fixText(hits[0]?.data.aws)).split('\n');
    expect(aws).toEqual([
      `aws eks delete-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${CI}`,
      `aws eks create-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${CI} --kubernetes-groups deployers`,
      `aws eks associate-access-policy --cluster-name prod --region eu-west-1 --principal-arn ${CI} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy --access-scope 'type=namespace,namespaces=apps'`,
    ]);
    expectRendered(check, hits);
  });

  test('matches across a role path, and a node entry keeps its type', () => {
    const hits = run({
      accessEntries: [entry(CI_WITH_PATH, { type: 'EC2_LINUX', createdAt: '2024-01-01T00:00:00Z' })],
      principalDetails: details('2024-02-01T00:00:00Z', CI_WITH_PATH),
    });
    expect(hits).toMatchObject([
      { messageId: 'recreatedAfterEntry', affectsPrincipal: false, data: { entryArn: CI_WITH_PATH } },
    ]);
    expect(fixText(hits[0]?.data.aws)).toContain(`--principal-arn ${CI_WITH_PATH} --type EC2_LINUX`);
  });

  test.each([
    ['1710430304', 1710430304000],
    ['1710430304.5', 1710430304500],
    ['2024-03-14T15:31:44Z', 1710430304000],
    ['not a date', undefined],
    [undefined, undefined],
  ])('reads the timestamp %s', (value, expected) => {
    expect(toMillis(value)).toBe(expected);
  });

  test('says nothing on a CONFIG_MAP cluster, where entries are not read (mode/config-map-only)', () => {
    expect(
      run({
        cluster: { ...cluster, authenticationMode: 'CONFIG_MAP' },
        accessEntries: [entry(CI, { createdAt: '2020-01-01T00:00:00Z' })],
        principalDetails: details('2024-01-01T00:00:00Z'),
      }),
    ).toEqual([]);
  });
});
