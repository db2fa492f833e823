import { describe, expect, test } from 'vitest';
import check from '../../../checks/access-entry/session-name-template.js';
import type { Hit } from '../../../src/core/types.js';
import type { Evidence, RbacBinding } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, entry, principal } from '../../helpers/evidence.js';

const SSO = `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_Dev_0123`;
const SSO_WITH_PATH = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Dev_0123`;
const DEFAULT_USER = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123/{{SessionName}}`;
const cluster: Evidence['cluster'] = { name: 'prod', accountId: ACCOUNT, authenticationMode: 'API_AND_CONFIG_MAP' };
const row = (username: string) => `- rolearn: ${SSO}\n  username: "${username}"\n  groups:\n    - developers\n`;
const userBinding = (name: string, kind: RbacBinding['kind'] = 'ClusterRoleBinding'): RbacBinding => ({
  kind,
  name: 'jane-edit',
  ...(kind === 'RoleBinding' ? { namespace: 'apps' } : {}),
  roleRef: { kind: 'ClusterRole', name: 'edit' },
  subjects: [{ kind: 'User', name }],
});
const { run, passes } = checkTable(check, { cluster });

describe('access-entry/session-name-template', () => {
  passes([
    ['a default username and no aws-auth', { accessEntries: [entry(SSO_WITH_PATH)] }],
    [
      "the entry keeps the row's username",
      {
        accessEntries: [entry(SSO_WITH_PATH, { username: 'dev:{{SessionName}}' })],
        awsAuth: awsAuthFrom({ mapRoles: row('dev:{{SessionName}}') }),
      },
    ],
    [
      'a row without a username',
      {
        accessEntries: [entry(SSO_WITH_PATH)],
        awsAuth: awsAuthFrom({ mapRoles: `- rolearn: ${SSO}\n  groups:\n    - developers\n` }),
      },
    ],
    [
      'RBAC users without "@"',
      {
        accessEntries: [entry(SSO_WITH_PATH)],
        rbac: [userBinding(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123/jane`)],
      },
    ],
    [
      'an "@" user of another role',
      {
        accessEntries: [entry(SSO_WITH_PATH)],
        rbac: [userBinding(`arn:aws:sts::${ACCOUNT}:assumed-role/Other/jane@example.com`)],
      },
    ],
    [
      'a node entry',
      {
        accessEntries: [entry(SSO, { type: 'FARGATE_LINUX' })],
        awsAuth: awsAuthFrom({ mapRoles: row('admin:{{SessionNameRaw}}') }),
      },
    ],
  ]);

  test('passes: {{SessionNameRaw}} in an access entry is supported (set-custom-username.html)', () => {
    for (const username of ['sso:{{SessionNameRaw}}', 'sso:{{SessionName}}'])
      expect(
        run({
          accessEntries: [entry(SSO, { username })],
          principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123/jane@example.com`),
        }),
      ).toEqual([]);
  });

  test('warns: the row used {{SessionNameRaw}}, the entry {{SessionName}} (@ becomes -)', () => {
    const hits = run({
      accessEntries: [entry(SSO_WITH_PATH, { username: 'sso:{{SessionName}}' })],
      awsAuth: awsAuthFrom({ mapRoles: row('sso:{{SessionNameRaw}}') }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'atRewritten',
        affectsPrincipal: false,
        location: { key: 'mapRoles[0].username' },
        data: {
          rowTemplate: 'sso:{{SessionNameRaw}}',
          exampleBefore: 'sso:jane.doe@example.com',
          exampleAfter: 'sso:jane.doe-example.com',
        },
      },
    ]);
    expectRendered(check, hits);
  });

  test("warns: the default entry username differs from the row's, and suggests keeping the old one", () => {
    const hits = run({
      accessEntries: [entry(SSO_WITH_PATH)],
      awsAuth: awsAuthFrom({ mapRoles: row('{{SessionName}}') }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'usernameChanged',
        data: { template: DEFAULT_USER, rowTemplate: '{{SessionName}}', suggested: ':{{SessionName}}' },
      },
    ]);
  });

  test('concerns the principal only when its RBAC hung on the old username alone', () => {
    const evidence = {
      accessEntries: [entry(SSO_WITH_PATH, { username: 'sso:{{SessionName}}' })],
      awsAuth: awsAuthFrom({ mapRoles: row('sso:{{SessionNameRaw}}') }),
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123/jane@example.com`),
    };
    const boundOld = { ...evidence, rbac: [userBinding('sso:jane@example.com')] };
    const summary = (hits: Hit[]) => hits.map((h) => [h.messageId, h.affectsPrincipal]);
    expect(summary(run(boundOld))).toEqual([
      ['atRewritten', true],
      ['rbacUserWithAt', true],
    ]);
    const withGroup = [entry(SSO_WITH_PATH, { username: 'sso:{{SessionName}}', kubernetesGroups: ['developers'] })];
    expect(summary(run({ ...boundOld, accessEntries: withGroup }))).toEqual([
      ['atRewritten', false],
      ['rbacUserWithAt', false],
    ]);
    expect(summary(run({ ...evidence, rbac: [userBinding('sso:bob@example.com')] }))).toEqual([
      ['atRewritten', false],
      ['rbacUserWithAt', false],
    ]);
    expect(summary(run(evidence))).toEqual([['atRewritten', false]]);
    const plain = {
      accessEntries: [entry(SSO_WITH_PATH)],
      awsAuth: awsAuthFrom({ mapRoles: row('dev') }),
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123/jane`),
      rbac: [userBinding('dev')],
    };
    expect(run(plain)).toMatchObject([{ messageId: 'usernameChanged', affectsPrincipal: true }]);
  });

  test('says nothing on a CONFIG_MAP cluster, where entries are not read (mode/config-map-only)', () => {
    expect(
      run({
        accessEntries: [entry(SSO, { username: 'sso:{{SessionNameRaw}}' })],
        cluster: { name: 'prod', accountId: ACCOUNT, authenticationMode: 'CONFIG_MAP' },
      }),
    ).toEqual([]);
  });

  test('warns: an RBAC user with "@" that the entry can never produce', () => {
    const subject = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123/jane@example.com`;
    const hits = run({
      accessEntries: [entry(SSO_WITH_PATH)],
      rbac: [userBinding(subject, 'RoleBinding')],
      principal: principal(subject),
    });
    const rendered = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123/jane-example.com`;
    expect(hits).toMatchObject([
      {
        messageId: 'rbacUserWithAt',
        affectsPrincipal: true,
        subject: { kind: 'rbac', name: 'RoleBinding apps/jane-edit' },
        data: { subject, rendered },
      },
    ]);
    expect(fixText(hits[0]?.data.kubectl)).toBe(
      `kubectl create rolebinding jane-edit-fixed -n apps '--clusterrole=edit' '--user=${rendered}'`,
    );
    // The aws alternative keeps "@" ({{SessionNameRaw}}), so the binding's user matches as it is.
    const aws = fixText(hits[0]?.data.aws);
    expect(aws).toContain('aws eks update-access-entry');
    expect(aws).toContain(
      `--username 'arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123/{{SessionNameRaw}}'`,
    );
    expectRendered(check, hits);
  });

  test('matches a custom template around {{SessionName}}', () => {
    const hits = run({
      accessEntries: [entry(SSO, { username: 'sso:{{AccountID}}:{{SessionName}}' })],
      rbac: [userBinding(`sso:${ACCOUNT}:jane@example.com`)],
    });
    expect(hits).toMatchObject([
      { messageId: 'rbacUserWithAt', data: { rendered: `sso:${ACCOUNT}:jane-example.com` } },
    ]);
  });
});

describe('access-entry/session-name-template: subjects, suggestions and exact fix argv', () => {
  const target = '--cluster-name prod --region eu-west-1';
  const withRegion = { ...cluster, region: 'eu-west-1' };
  const REBIND = [
    '# Bind the names the entry produces (template sso:{{SessionName}}; "@" in a session name becomes "-"):',
    "kubectl create clusterrolebinding NAME '--clusterrole=CLUSTERROLE' '--user=sso:jane.doe-example.com'",
  ];

  test('atRewritten: the fix restores the row template on the entry and names the row it came from', () => {
    const hits = run({
      cluster: withRegion,
      accessEntries: [entry(SSO_WITH_PATH, { username: 'sso:{{SessionName}}' })],
      awsAuth: awsAuthFrom({ mapRoles: `- rolearn: ${SSO}\n  username: x\n${row('sso:{{SessionNameRaw}}')}` }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'atRewritten',
        subject: { kind: 'access-entry', name: SSO_WITH_PATH },
        location: { key: 'mapRoles[1].username' },
        data: {
          arn: SSO_WITH_PATH,
          template: 'sso:{{SessionName}}',
          cluster: 'prod',
          entryUsername: 'sso:{{SessionNameRaw}}',
          where: 'aws-auth mapRoles[1] (line 9)',
          exampleRaw: 'jane.doe@example.com',
        },
      },
    ]);
    expect(fixText(hits[0]?.data.aws)).toBe(
      `aws eks update-access-entry ${target} --principal-arn ${SSO_WITH_PATH} --username 'sso:{{SessionNameRaw}}'`,
    );
    expect(fixText(hits[0]?.data.kubectl).split('\n')).toEqual(REBIND);
  });

  test.each([
    ['dev-{{SessionName}}', 'dev-:{{SessionName}}', "'dev-:{{SessionName}}'"],
    ['a:b-{{SessionName}}', 'a:b-{{SessionName}}', "'a:b-{{SessionName}}'"],
    ['plain', 'plain', 'plain'],
  ])('usernameChanged: the row gave %s, the entry is told to use %s', (rowTemplate, suggested, quoted) => {
    const hits = run({
      cluster: withRegion,
      accessEntries: [entry(SSO_WITH_PATH, { username: 'sso:{{SessionName}}' })],
      awsAuth: awsAuthFrom({ mapRoles: row(rowTemplate) }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'usernameChanged',
        subject: { kind: 'access-entry', name: SSO_WITH_PATH },
        location: { key: 'mapRoles[0].username' },
        data: { rowTemplate, suggested, entryUsername: suggested, where: 'aws-auth mapRoles[0] (line 9)' },
      },
    ]);
    expect(fixText(hits[0]?.data.aws)).toBe(
      `aws eks update-access-entry ${target} --principal-arn ${SSO_WITH_PATH} --username ${quoted}`,
    );
    expect(fixText(hits[0]?.data.kubectl).split('\n')).toEqual(REBIND);
  });

  test('rbacUserWithAt: only User subjects count; a ClusterRoleBinding and a namespace-less Role binding get their own rebind', () => {
    const base = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Dev_0123`;
    const hits = run({
      accessEntries: [entry(SSO)],
      rbac: [
        {
          kind: 'ClusterRoleBinding',
          name: 'crb',
          roleRef: { kind: 'ClusterRole', name: 'view' },
          subjects: [
            { kind: 'User', name: `${base}/a@b` },
            { kind: 'Group', name: `${base}/g@b` },
          ],
        },
        {
          kind: 'RoleBinding',
          name: 'rb',
          roleRef: { kind: 'Role', name: 'r' },
          subjects: [{ kind: 'User', name: `${base}/c@d` }],
        },
      ],
    });
    expect(hits.map((h) => [h.messageId, h.subject?.name, h.data.subject, h.data.rendered])).toEqual([
      ['rbacUserWithAt', 'ClusterRoleBinding/crb', `${base}/a@b`, `${base}/a-b`],
      ['rbacUserWithAt', 'RoleBinding default/rb', `${base}/c@d`, `${base}/c-d`],
    ]);
    expect(hits.map((h) => fixText(h.data.kubectl))).toEqual([
      `kubectl create clusterrolebinding crb-fixed '--clusterrole=view' '--user=${base}/a-b'`,
      `kubectl create rolebinding rb-fixed -n default '--role=r' '--user=${base}/c-d'`,
    ]);
  });
});
