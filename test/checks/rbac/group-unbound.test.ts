import { describe, expect, test } from 'vitest';
import check from '../../../checks/rbac/group-unbound.js';
import { nearestGroup } from '../../../checks/rbac/bindings.js';
import type { AuthenticationMode, Evidence, RbacBinding } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, entry, principal } from '../../helpers/evidence.js';

const DEV = `arn:aws:iam::${ACCOUNT}:role/dev`;
const row = (groups: string[], arn = DEV, username = 'dev') =>
  `- rolearn: ${arn}\n  username: ${username}\n  groups:\n${groups.map((g) => `    - ${g}`).join('\n')}\n`;
const crb = (name: string, subjects: RbacBinding['subjects']): RbacBinding => ({
  kind: 'ClusterRoleBinding',
  name,
  roleRef: { kind: 'ClusterRole', name: 'view' },
  subjects,
});
const rb = (name: string, namespace: string, group: string): RbacBinding => ({
  kind: 'RoleBinding',
  name,
  namespace,
  roleRef: { kind: 'ClusterRole', name: 'edit' },
  subjects: [{ kind: 'Group', name: group }],
});
const defaults: RbacBinding[] = [
  crb('cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
  crb('system:discovery', [{ kind: 'Group', name: 'system:authenticated' }]),
];
const cluster = (authenticationMode: AuthenticationMode): Evidence['cluster'] => ({
  name: 'prod',
  accountId: ACCOUNT,
  authenticationMode,
});
const { run, passes, severityOf } = checkTable(check);

describe('rbac/group-unbound', () => {
  passes([
    [
      'a group bound cluster-wide',
      {
        awsAuth: awsAuthFrom({ mapRoles: row(['developers']) }),
        rbac: [...defaults, crb('devs', [{ kind: 'Group', name: 'developers' }])],
      },
    ],
    [
      'a group bound in one namespace',
      { awsAuth: awsAuthFrom({ mapRoles: row(['developers']) }), rbac: [rb('devs', 'apps', 'developers')] },
    ],
    [
      'built-in groups, even with no bindings at all',
      {
        awsAuth: awsAuthFrom({
          mapRoles: row([
            'system:masters',
            'system:nodes',
            'system:bootstrappers',
            'system:node-proxier',
            'eks:kube-proxy-windows',
          ]),
        }),
        rbac: [],
      },
    ],
    ['templated groups', { awsAuth: awsAuthFrom({ mapRoles: row(['team-{{SessionName}}']) }), rbac: [] }],
    [
      'an entry group in CONFIG_MAP mode (entries are not read)',
      { cluster: cluster('CONFIG_MAP'), accessEntries: [entry(DEV, { kubernetesGroups: ['ghosts'] })], rbac: [] },
    ],
    [
      'an aws-auth group in API mode (aws-auth is not read)',
      { cluster: cluster('API'), awsAuth: awsAuthFrom({ mapRoles: row(['ghosts']) }), rbac: [] },
    ],
    [
      'a group in a block that does not parse',
      { awsAuth: awsAuthFrom({ mapRoles: `${row(['ghosts'])}- rolearn: x\n  username: {{SessionName}}\n` }), rbac: [] },
    ],
  ]);

  test('warns: an aws-auth group nobody binds', () => {
    const hits = run({ awsAuth: awsAuthFrom({ mapRoles: row(['auditors']) }), rbac: defaults });
    expect(hits).toMatchObject([
      {
        messageId: 'unbound',
        affectsPrincipal: false,
        subject: { kind: 'rbac', name: 'auditors' },
        location: { key: 'mapRoles[0].groups' },
        data: { group: 'auditors', where: 'aws-auth mapRoles[0] (line 9)', bindingCount: 2 },
      },
    ]);
    expect(severityOf(hits[0])).toBe('warning');
    expectRendered(check, hits);
  });

  test('warns once per group, counting every mapping that uses it', () => {
    const mapRoles = row(['auditors']) + row(['auditors'], `arn:aws:iam::${ACCOUNT}:role/ops`, 'ops');
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles }),
      accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/ci`, { kubernetesGroups: ['auditors'] })],
      rbac: defaults,
    });
    expect(hits).toMatchObject([{ messageId: 'unbound', data: { where: 'aws-auth mapRoles[0] (line 9) and 2 more' } }]);
  });

  test('warns: a misspelt group, naming the bound one', () => {
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles: row(['developer']) }),
      rbac: [rb('devs', 'apps', 'developers')],
    });
    expect(hits).toMatchObject([
      {
        messageId: 'likelyTypo',
        data: { group: 'developer', nearest: 'developers', nearestBinding: 'RoleBinding apps/devs' },
      },
    ]);
    expectRendered(check, hits);
  });

  test('fails for the principal: every group it gets is unbound and it has no policy', () => {
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles: row(['Developers']) }),
      rbac: [...defaults, crb('devs', [{ kind: 'Group', name: 'developers' }])],
      principal: principal(DEV),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'forbidsPrincipal',
        affectsPrincipal: true,
        // Its own row, once: the principal's groups are those the row already names.
        data: {
          group: 'Developers',
          where: 'aws-auth mapRoles[0] (line 9)',
          nearest: 'developers',
          username: 'dev',
          principal: DEV,
        },
      },
    ]);
    expect(severityOf(hits[0])).toBe('error');
    expectRendered(check, hits);
  });

  test('for the blocked principal with a refused request, the fix grants exactly that request to its group', () => {
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles: row(['developer']) }),
      rbac: [...defaults, crb('developers-view', [{ kind: 'Group', name: 'developers' }])],
      principal: principal(DEV),
      probe: {
        status: 403,
        error:
          'configmaps is forbidden: User "dev" cannot update resource "configmaps" in API group "" in the namespace "default"',
      },
    });
    expect(hits).toMatchObject([{ messageId: 'forbidsPrincipal', affectsPrincipal: true }]);
    const steps = hits[0]?.fix ?? [];
    expect(steps).toHaveLength(1);
    const create = steps[0]?.kubectl?.find((l) => l.kind === 'run');
    const yaml = fixText(steps[0]?.kubectl);
    // A new Role in the namespace that grants the refused verb, bound to the unbound group; never `view`.
    expect(yaml).toContain('kubectl create -f -');
    expect(JSON.stringify(create)).toContain('"verbs":["update"]');
    expect(JSON.stringify(create)).toContain('"resources":["configmaps"]');
    expect(JSON.stringify(create)).toContain('"name":"developer"');
    expect(yaml).not.toContain('--clusterrole=view');
    expect(yaml).not.toContain('developers-view');
  });

  test("an access-entry group: the fix rewrites the entry's group list", () => {
    const evidence: Evidence = {
      cluster: cluster('API'),
      accessEntries: [entry(DEV, { kubernetesGroups: ['readers', 'deployer'] })],
      rbac: [
        crb('readers', [{ kind: 'Group', name: 'readers' }]),
        crb('deployers', [{ kind: 'Group', name: 'deployers' }]),
      ],
      principal: principal(DEV),
    };
    const hits = run(evidence);
    expect(hits).toMatchObject([
      {
        messageId: 'likelyTypo',
        affectsPrincipal: false,
        data: { group: 'deployer', where: `the access entry for ${DEV}` },
      },
    ]);
    expect(fixText(hits[0]?.data.aws)).toContain(
      `aws eks update-access-entry --cluster-name prod --region REGION --principal-arn ${DEV} --kubernetes-groups readers deployers`,
    );
  });

  test.each<[string, Partial<Evidence>]>([
    ['a binding for its username', { rbac: [crb('dev-user', [{ kind: 'User', name: 'dev' }])] }],
    [
      'an access policy',
      {
        cluster: cluster('API_AND_CONFIG_MAP'),
        accessEntries: [
          entry(DEV, {
            kubernetesGroups: ['ghosts'],
            associatedAccessPolicies: [
              {
                policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
                accessScope: { type: 'cluster', namespaces: [] },
              },
            ],
          }),
        ],
      },
    ],
  ])('does not blame the principal that has %s', (_, extra) => {
    const hits = run({
      awsAuth: awsAuthFrom({ mapRoles: row(['ghosts']) }),
      rbac: [],
      principal: principal(DEV),
      ...extra,
    });
    expect(hits).toMatchObject([{ messageId: 'unbound', affectsPrincipal: false }]);
  });

  test.each([
    ['developer', 'developers'],
    ['Developers', 'developers'],
    ['dev_ops', 'dev-ops'],
    ['auditors', undefined],
    ['x', undefined],
  ])('nearest bound group to %s', (group, expected) => {
    const bound = new Map([
      ['developers', ['a']],
      ['dev-ops', ['b']],
      ['system:masters', ['c']],
    ]);
    expect(nearestGroup(group, bound)).toBe(expected);
  });

  test.each<[string, string[], string | undefined]>([
    // Separators and case aside the names are equal, however many separators differ.
    ['d-e-v-o-p-s', ['devops'], 'devops'],
    ['developer', ['developers', 'develop'], 'developers'],
    ['developer', ['develop', 'developers'], 'developers'],
    // A tie goes to the first binding named.
    ['developer', ['developers', 'developerz'], 'developers'],
  ])('nearest bound group to %s among %j', (group, names, expected) => {
    expect(nearestGroup(group, new Map(names.map((n) => [n, ['b']])))).toBe(expected);
  });
});

describe('rbac/group-unbound: the data and exact commands of each message', () => {
  const regional = (authenticationMode: AuthenticationMode) => ({
    name: 'prod',
    region: 'eu-west-1',
    accountId: ACCOUNT,
    authenticationMode,
  });
  const configMapCluster = regional('CONFIG_MAP');
  const hits = () =>
    run({
      cluster: configMapCluster,
      awsAuth: awsAuthFrom({ mapRoles: row(['Team:Ops!', 'developer']) }),
      rbac: [crb('devs', [{ kind: 'Group', name: 'developers' }])],
    });

  test('an unbound aws-auth group: located on the row, a slug for the binding, a view binding to check with', () => {
    const [unbound] = hits();
    expect(unbound).toMatchObject({
      messageId: 'unbound',
      subject: { kind: 'rbac', name: 'Team:Ops!' },
      location: { key: 'mapRoles[0].groups', line: 9 },
      data: {
        group: 'Team:Ops!',
        bindingCount: 1,
        nearest: '',
        nearestBinding: '',
        nearestNote: '',
        renameHint: '',
        principal: '',
        username: '',
        slug: 'team-ops',
      },
    });
    expect(fixText(unbound?.data.kubectl).split('\n')).toEqual([
      "kubectl create clusterrolebinding team-ops-view '--clusterrole=view' '--group=Team:Ops!'",
      "kubectl auth can-i --list '--as=USER' '--as-group=Team:Ops!'",
    ]);
    expect(fixText(unbound?.data.eksctl)).toBe('eksctl get iamidentitymapping --cluster prod --region eu-west-1');
    expect(unbound?.data.aws).toBe('# The aws CLI cannot edit aws-auth or RBAC; use kubectl.');
  });

  test('a misspelt aws-auth group: the rename is in aws-auth, with the binding that names the right one', () => {
    const typo = hits()[1];
    expect(typo).toMatchObject({
      messageId: 'likelyTypo',
      data: {
        nearest: 'developers',
        nearestBinding: 'ClusterRoleBinding/devs',
        nearestNote: '; the bound group nearest to it is developers (ClusterRoleBinding/devs), probably a misspelling',
        renameHint: ' (or rename it to developers in aws-auth mapRoles[0] (line 9))',
        slug: 'developer',
      },
    });
    expect(fixText(typo?.data.kubectl).split('\n')).toEqual([
      '# In aws-auth mapRoles[0] (line 9), rename the group developer to developers:',
      'kubectl edit configmap aws-auth -n kube-system',
    ]);
  });

  test('an unbound access-entry group with no near name: eksctl shows the entry, aws replaces the group with a placeholder', () => {
    const [hit] = run({
      cluster: regional('API'),
      accessEntries: [entry(DEV, { kubernetesGroups: ['readers', 'ghosts'] })],
      rbac: [crb('readers', [{ kind: 'Group', name: 'readers' }])],
    });
    expect(hit).toMatchObject({ messageId: 'unbound', data: { group: 'ghosts', slug: 'ghosts' } });
    expect(hit).not.toHaveProperty('location');
    expect(fixText(hit?.data.eksctl)).toBe(
      `eksctl get accessentry --cluster prod --region eu-west-1 --principal-arn ${DEV}`,
    );
    expect(fixText(hit?.data.aws).split('\n')).toEqual([
      "# Replace the entry's groups (the list given replaces the old one):",
      `aws eks update-access-entry --cluster-name prod --region eu-west-1 --principal-arn ${DEV} --kubernetes-groups readers BOUND_GROUP`,
    ]);
    // A group on an entry is renamed through the entry, never by editing aws-auth.
    expect(fixText(hit?.data.kubectl)).toContain(
      "kubectl create clusterrolebinding ghosts-view '--clusterrole=view' '--group=ghosts'",
    );
  });

  test('a group name of symbols only gets the slug "group"', () => {
    const [hit] = run({ cluster: configMapCluster, awsAuth: awsAuthFrom({ mapRoles: row(['"@@"']) }), rbac: [] });
    expect(hit?.data.slug).toBe('group');
  });
});

describe('rbac/group-unbound: the principal, templated groups and the exact fix', () => {
  const regional = (authenticationMode: AuthenticationMode) => ({
    name: 'prod',
    region: 'eu-west-1',
    accountId: ACCOUNT,
    authenticationMode,
  });

  passes([
    [
      'an entry group when the access-entry API said the mode is CONFIG_MAP',
      {
        unavailable: {
          accessEntries:
            'InvalidRequestException: The cluster authentication mode must be set to one of [API, API_AND_CONFIG_MAP]',
        },
        accessEntries: [entry(DEV, { kubernetesGroups: ['ghosts'] })],
        rbac: [],
      },
    ],
  ]);

  test('an entry group while the mode is only assumed: the entries are read', () => {
    const hits = run({ accessEntries: [entry(DEV, { kubernetesGroups: ['ghosts'] })], rbac: [] });
    expect(hits.map((h) => [h.messageId, h.data.group])).toEqual([['unbound', 'ghosts']]);
  });

  test('a templated group unbound as the principal renders it: blamed on its row, with the exact grant of the refused request', () => {
    const hits = run({
      cluster: regional('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(['team-{{SessionName}}']) }),
      rbac: defaults,
      principal: principal(DEV, 'bob'),
      probe: {
        status: 403,
        error:
          'configmaps is forbidden: User "dev" cannot update resource "configmaps" in API group "" in the namespace "default"',
      },
    });
    expect(hits).toMatchObject([
      {
        messageId: 'forbidsPrincipal',
        affectsPrincipal: true,
        subject: { kind: 'rbac', name: 'team-bob' },
        location: { key: 'mapRoles[0].groups', line: 9 },
        data: { group: 'team-bob', where: 'aws-auth mapRoles[0] (line 9)', username: 'dev', slug: 'team-bob' },
      },
    ]);
    const steps = hits[0]?.fix ?? [];
    expect(steps.map((s) => s.title)).toEqual([
      'Grant group team-bob update configmaps in namespace default: a new Role and RoleBinding team-bob-update-configmaps in namespace default',
    ]);
    expect(fixText(steps[0]?.kubectl).split('\n').at(-1)).toBe(
      "kubectl auth can-i update configmaps -n default '--as=dev' '--as-group=team-bob'",
    );
  });

  test("a principal whose row does not render is not authenticated: the row's groups are not blamed on it", () => {
    const hits = run({
      cluster: regional('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(['ghosts'], DEV, 'system:node:{{EC2PrivateDNSName}}') }),
      rbac: defaults,
      principal: principal(DEV, 'bob'),
    });
    expect(hits.map((h) => [h.messageId, h.data.group, h.affectsPrincipal])).toEqual([['unbound', 'ghosts', false]]);
  });

  test('the principal blocked with no refused request known: the view binding to check with, no grant steps', () => {
    const [hit] = run({
      cluster: regional('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(['ghosts']) }),
      rbac: defaults,
      principal: principal(DEV),
    });
    expect(hit).toMatchObject({ messageId: 'forbidsPrincipal', data: { username: 'dev' } });
    expect(hit).not.toHaveProperty('fix');
    expect(fixText(hit?.data.kubectl).split('\n')).toEqual([
      "kubectl create clusterrolebinding ghosts-view '--clusterrole=view' '--group=ghosts'",
      "kubectl auth can-i --list '--as=dev' '--as-group=ghosts'",
    ]);
  });

  test("a refused request known but the group is not the principal's: no grant steps", () => {
    const hits = run({
      cluster: regional('CONFIG_MAP'),
      awsAuth: awsAuthFrom({
        mapRoles: row(['developers']) + row(['ghosts'], `arn:aws:iam::${ACCOUNT}:role/ops`, 'ops'),
      }),
      rbac: [...defaults, crb('devs', [{ kind: 'Group', name: 'developers' }])],
      principal: principal(DEV),
      probe: {
        status: 403,
        error: 'pods is forbidden: User "dev" cannot list resource "pods" in API group "" at the cluster scope',
      },
    });
    expect(hits).toMatchObject([{ messageId: 'unbound', affectsPrincipal: false, data: { group: 'ghosts' } }]);
    expect(hits[0]).not.toHaveProperty('fix');
  });

  test('the nearest bound group lists every binding that names it', () => {
    const [hit] = run({
      cluster: regional('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(['developer']) }),
      rbac: [crb('devs', [{ kind: 'Group', name: 'developers' }]), rb('devs-edit', 'apps', 'developers')],
    });
    expect(hit).toMatchObject({
      messageId: 'likelyTypo',
      data: { nearest: 'developers', nearestBinding: 'ClusterRoleBinding/devs, RoleBinding apps/devs-edit' },
    });
  });

  test('a slug loses every leading and trailing symbol', () => {
    const [hit] = run({
      cluster: regional('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(['"::ops::"']) }),
      rbac: [],
    });
    expect(hit?.data.slug).toBe('ops');
  });
});
