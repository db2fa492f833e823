import { describe, expect, test } from 'vitest';
import check, { namespaceCovered } from '../../../checks/access-entry/policy-scope.js';
import type { AccessEntry, AssociatedAccessPolicy, Evidence } from '../../../src/model/evidence.js';
import { renderHit } from '../../../src/core/run-checks.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { ACCOUNT, entry, principal } from '../../helpers/evidence.js';

const DEV = `arn:aws:iam::${ACCOUNT}:role/dev`;
const cluster: Evidence['cluster'] = { name: 'prod', accountId: ACCOUNT, authenticationMode: 'API' };
const policy = (name: string, namespaces?: string[]): AssociatedAccessPolicy => ({
  policyArn: `arn:aws:eks::aws:cluster-access-policy/${name}`,
  accessScope: namespaces ? { type: 'namespace', namespaces } : { type: 'cluster', namespaces: [] },
});
const { run, passes, severityOf } = checkTable(check, { cluster });

describe('access-entry/policy-scope', () => {
  passes([
    [
      'cluster admin at cluster scope',
      { accessEntries: [entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSClusterAdminPolicy')] })] },
    ],
    ['no policies', { accessEntries: [entry(DEV)] }],
    ['policies not listed', { accessEntries: [{ principalArn: DEV, type: 'STANDARD', kubernetesGroups: [] }] }],
    [
      'a service policy at cluster scope (not described)',
      { accessEntries: [entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSLoadBalancingPolicy')] })] },
    ],
  ]);

  test.each<[string, AssociatedAccessPolicy, string, string, Record<string, string>]>([
    [
      'namespace scope with no namespace',
      policy('AmazonEKSEditPolicy', []),
      'emptyNamespaces',
      'warning',
      { policy: 'AmazonEKSEditPolicy', namespaces: '(none)' },
    ],
    [
      'cluster admin in two namespaces',
      policy('AmazonEKSClusterAdminPolicy', ['dev', 'dev-*']),
      'clusterAdminNamespaced',
      'warning',
      { namespaces: 'dev, dev-*' },
    ],
    [
      'edit in one namespace',
      policy('AmazonEKSEditPolicy', ['dev-preview']),
      'namespaceScoped',
      'info',
      { policy: 'AmazonEKSEditPolicy', namespaces: 'dev-preview' },
    ],
    [
      'view at cluster scope',
      policy('AmazonEKSViewPolicy'),
      'limitedPolicy',
      'info',
      { policy: 'AmazonEKSViewPolicy' },
    ],
    [
      'admin at cluster scope',
      policy('AmazonEKSAdminPolicy'),
      'limitedPolicy',
      'info',
      { policy: 'AmazonEKSAdminPolicy' },
    ],
  ])('reports: %s', (_, p, messageId, severity, data) => {
    const hits = run({ accessEntries: [entry(DEV, { associatedAccessPolicies: [p] })] });
    expect(hits).toMatchObject([{ messageId, affectsPrincipal: false, data: { arn: DEV, ...data } }]);
    expect(severityOf(hits[0])).toBe(severity);
    expectRendered(check, hits);
  });

  test('the namespace fix re-associates with the same namespaces, the cluster-admin fix at cluster scope', () => {
    const [ns] = run({
      accessEntries: [entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSEditPolicy', ['a', 'b'])] })],
    });
    expect(fixText(ns?.data.aws)).toContain(
      `--policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy --access-scope 'type=namespace,namespaces=a,b'`,
    );
    const [admin] = run({
      accessEntries: [entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSClusterAdminPolicy', ['a'])] })],
    });
    expect(fixText(admin?.data.aws)).toContain(`AmazonEKSClusterAdminPolicy --access-scope 'type=cluster'`);
    const [view] = run({ accessEntries: [entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSViewPolicy')] })] });
    expect(fixText(view?.data.aws)).toContain(`AmazonEKSEditPolicy --access-scope 'type=cluster'`);
  });

  test("an empty namespace scope on the principal's only grant concerns it", () => {
    const hits = run({
      accessEntries: [entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSViewPolicy', [])] })],
      principal: principal(DEV),
    });
    expect(hits).toMatchObject([{ messageId: 'emptyNamespaces', affectsPrincipal: true }]);
  });

  describe('an empty namespace scope: the fix names no placeholder (issue 12)', () => {
    const empty = [entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSEditPolicy', [])] })];
    const scopeOf = (aws: unknown) => /--access-scope '([^']+)'/.exec(fixText(aws))?.[1];
    const terraformOf = (hit: ReturnType<typeof run>[number] | undefined) => {
      expect(hit).toBeDefined();
      return hit ? (renderHit(check, hit).fix?.terraform ?? '') : '';
    };

    test('no namespace in any evidence: cluster scope, said so, in the aws and Terraform forms', () => {
      const [hit] = run({ accessEntries: empty, principal: principal(DEV) });
      expect(scopeOf(hit?.data.aws)).toBe('type=cluster');
      expect(fixText(hit?.data.aws)).toContain('no evidence names the namespaces');
      expect(hit?.data.scopeType).toBe('cluster');
      expect(hit?.data.scopeNamespaces).toEqual([]);
      expect(terraformOf(hit)).not.toMatch(/NAMESPACE/);
    });

    test('the namespace the user asked about with --can -n: that namespace', () => {
      const hit = run({
        accessEntries: empty,
        principal: principal(DEV),
        probe: {
          status: 200,
          error: null,
          accessReviews: [
            { verb: 'create', resource: 'deployments', namespace: 'team-b', allowed: false, requested: true },
          ],
        },
      }).find((h) => h.messageId === 'emptyNamespaces');
      expect(hit).toMatchObject({ messageId: 'emptyNamespaces' });
      expect(scopeOf(hit?.data.aws)).toBe('type=namespace,namespaces=team-b');
      expect(hit?.data.scopeNamespaces).toEqual(['team-b']);
      expect(terraformOf(hit)).toContain('namespaces = ["team-b"]');
    });
  });

  test('but not when a group or another policy still grants something', () => {
    const hits = run({
      accessEntries: [
        entry(DEV, { kubernetesGroups: ['devs'], associatedAccessPolicies: [policy('AmazonEKSViewPolicy', [])] }),
      ],
      principal: principal(DEV),
    });
    expect(hits).toMatchObject([{ messageId: 'emptyNamespaces', affectsPrincipal: false }]);
  });

  test('says nothing on a CONFIG_MAP cluster, where entries are not read (mode/config-map-only)', () => {
    expect(
      run({
        accessEntries: [entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSViewPolicy', [])] })],
        cluster: { name: 'prod', accountId: ACCOUNT, authenticationMode: 'CONFIG_MAP' },
      }),
    ).toEqual([]);
  });

  describe('with a live probe', () => {
    const reviews = (namespace?: string) => ({
      status: 200,
      error: null,
      accessReviews: [
        { verb: 'get', resource: 'pods', namespace: 'team-a', allowed: true },
        { verb: 'get', resource: 'configmaps', ...(namespace ? { namespace } : {}), allowed: false },
      ],
    });
    const devEntry = entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSViewPolicy', ['team-a', 'team-a-*'])] });

    test('fails: the denied request is in a namespace outside the scope', () => {
      const hits = run({
        accessEntries: [devEntry],
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/dev/bob`),
        probe: reviews('kube-system'),
      });
      expect(hits[0]).toMatchObject({
        messageId: 'deniedOutsideScope',
        affectsPrincipal: true,
        data: {
          request: 'get configmaps in namespace kube-system',
          namespaces: 'team-a, team-a-*',
          policy: 'AmazonEKSViewPolicy',
        },
      });
      expect(fixText(hits[0]?.data.aws)).toContain(
        `--access-scope 'type=namespace,namespaces=team-a,team-a-*,kube-system'`,
      );
      expect(severityOf(hits[0])).toBe('error');
      expectRendered(check, hits);
      // The fix: add a group eksauth names to the entry (it has none), then grant it exactly the refused request.
      const [add, grant, more] = hits[0]?.fix ?? [];
      expect(more).toBeUndefined();
      expect(fixText(add?.aws)).toContain(`update-access-entry`);
      expect(fixText(add?.aws)).toContain(`--kubernetes-groups dev-access`);
      const create = JSON.stringify(grant?.kubectl);
      expect(create).toContain('"kind":"Role"');
      expect(create).toContain('"namespace":"kube-system"');
      expect(create).toContain('"verbs":["get"]');
      expect(create).toContain('"name":"dev-access"');
      // Its aws alternative widens the scope, keeping the namespaces the policy had.
      expect(fixText(grant?.aws)).toContain(`--access-scope 'type=namespace,namespaces=team-a,team-a-*,kube-system'`);
      const all = (hits[0]?.fix ?? []).map((s) => `${fixText(s.kubectl)}${fixText(s.aws)}`).join('\n');
      expect(all).not.toMatch(/\bGROUP\b|CLUSTERROLE/);
    });

    test('fails: a cluster-scoped request is never covered by a namespace scope', () => {
      const hits = run({ accessEntries: [devEntry], principal: principal(DEV), probe: reviews() });
      expect(hits[0]).toMatchObject({
        messageId: 'deniedOutsideScope',
        data: { request: 'get configmaps (cluster-scoped)' },
      });
      expect(fixText(hits[0]?.data.aws)).toContain(`--access-scope 'type=cluster'`);
    });

    test.each<[string, AccessEntry, string | undefined]>([
      ['a denial inside the scope (a coverage question, not scope)', devEntry, 'team-a-dev'],
      [
        'an entry with a group that may grant it',
        entry(DEV, {
          kubernetesGroups: ['devs'],
          associatedAccessPolicies: [policy('AmazonEKSViewPolicy', ['team-a'])],
        }),
        'kube-system',
      ],
      [
        'a cluster-scoped policy',
        entry(DEV, { associatedAccessPolicies: [policy('AmazonEKSViewPolicy')] }),
        'kube-system',
      ],
    ])('passes: %s', (_, e, namespace) => {
      const hits = run({ accessEntries: [e], principal: principal(DEV), probe: reviews(namespace) });
      expect(hits.map((h) => h.messageId)).not.toContain('deniedOutsideScope');
    });
  });

  test('the data of each kind of finding: the widened scope and the policy key', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/team/_Dev.Ops`;
    const hits = run({
      accessEntries: [
        entry(arn, {
          kubernetesGroups: ['devs'],
          associatedAccessPolicies: [
            policy('AmazonEKSEditPolicy', ['a', 'b']),
            policy('AmazonEKSViewPolicy'),
            policy('AmazonEKSClusterAdminPolicy', ['x']),
            policy('AmazonEKSAdminPolicy', []),
          ],
        }),
      ],
    });
    // The RBAC route is now `doctor --can` for these messages: no group or binding name in the data.
    const common = { arn, cluster: 'prod' };
    const policyArn = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;
    const associate = (name: string, scope: string) =>
      `aws eks associate-access-policy --cluster-name prod --region REGION --principal-arn ${arn} --policy-arn ${policyArn(name)} --access-scope '${scope}'`;
    expect(
      hits.map((h) => ({ messageId: h.messageId, subject: h.subject, data: { ...h.data, aws: fixText(h.data.aws) } })),
    ).toEqual(
      [
        {
          messageId: 'namespaceScoped',
          data: {
            ...common,
            policy: 'AmazonEKSEditPolicy',
            namespaces: 'a, b',
            limits:
              '; inside them it allows no Roles or RoleBindings, no cluster-scoped writes, and, per field reports, no custom resources',
            aws: associate('AmazonEKSEditPolicy', 'type=namespace,namespaces=a,b'),
            policyKey: 'edit',
            policyArn: policyArn('AmazonEKSEditPolicy'),
            scopeType: 'namespace',
            scopeNamespaces: ['a', 'b'],
          },
        },
        {
          messageId: 'limitedPolicy',
          data: {
            ...common,
            policy: 'AmazonEKSViewPolicy',
            namespaces: '(none)',
            limits: 'read-only, and no Secrets and, per field reports, no custom resources',
            aws: `# To go beyond AmazonEKSViewPolicy, for example:\n${associate('AmazonEKSEditPolicy', 'type=cluster')}`,
            policyKey: 'view',
            policyArn: policyArn('AmazonEKSViewPolicy'),
            scopeType: 'cluster',
            scopeNamespaces: [],
          },
        },
        {
          messageId: 'clusterAdminNamespaced',
          data: {
            ...common,
            policy: 'AmazonEKSClusterAdminPolicy',
            namespaces: 'x',
            limits: '',
            aws: associate('AmazonEKSClusterAdminPolicy', 'type=cluster'),
            policyKey: 'clusteradmin',
            policyArn: policyArn('AmazonEKSClusterAdminPolicy'),
            scopeType: 'cluster',
            scopeNamespaces: [],
          },
        },
        {
          messageId: 'emptyNamespaces',
          data: {
            ...common,
            policy: 'AmazonEKSAdminPolicy',
            namespaces: '(none)',
            limits:
              'no cluster-scoped writes (nodes, namespaces, PersistentVolumes, CRDs, ClusterRoles and ClusterRoleBindings) and, per field reports, no custom resources such as ServiceMonitors',
            // No namespace in any evidence: cluster scope, said so (no NAMESPACE placeholder).
            aws: `# no evidence names the namespaces ${arn} works in (eksauth doctor --can with -n names one): at cluster scope, every namespace\n${associate('AmazonEKSAdminPolicy', 'type=cluster')}`,
            policyKey: 'admin',
            policyArn: policyArn('AmazonEKSAdminPolicy'),
            scopeType: 'cluster',
            scopeNamespaces: [],
          },
        },
      ].map((hit) => ({ ...hit, subject: { kind: 'access-entry', name: arn } })),
    );
  });

  test('node-type entries are not judged by their policies', () => {
    expect(
      run({
        accessEntries: [
          entry(DEV, { type: 'EC2_LINUX', associatedAccessPolicies: [policy('AmazonEKSEditPolicy', [])] }),
        ],
      }),
    ).toEqual([]);
  });
});

describe('access-entry/policy-scope: scope decisions and finding data', () => {
  test.each<[string, string[], boolean]>([
    ['dev', ['dev'], true],
    ['dev2', ['dev'], false],
    ['dev-1', ['dev-*'], true],
    ['dx', ['dev-*'], false],
    ['prod', ['dev-*', 'prod'], true],
    ['prod', [], false],
  ])('namespace %s is covered by %j: %s', (namespace, patterns, covered) => {
    expect(namespaceCovered(namespace, patterns)).toBe(covered);
  });

  test('an empty namespace scope does not concern the principal when another policy of the entry reaches a namespace', () => {
    const hits = run({
      accessEntries: [
        entry(DEV, {
          associatedAccessPolicies: [policy('AmazonEKSViewPolicy', []), policy('AmazonEKSEditPolicy', ['x'])],
        }),
      ],
      principal: principal(DEV),
    });
    expect(hits.map((h) => [h.messageId, h.affectsPrincipal, h.data.policy])).toEqual([
      ['emptyNamespaces', false, 'AmazonEKSViewPolicy'],
      ['namespaceScoped', false, 'AmazonEKSEditPolicy'],
    ]);
    expect(hits[0]?.data).toMatchObject({ namespaces: '(none)' });
  });

  test('two empty namespace scopes and nothing else: both concern the principal', () => {
    const hits = run({
      accessEntries: [
        entry(DEV, {
          associatedAccessPolicies: [policy('AmazonEKSViewPolicy', []), policy('AmazonEKSEditPolicy', [])],
        }),
      ],
      principal: principal(DEV),
    });
    expect(hits.map((h) => [h.messageId, h.affectsPrincipal])).toEqual([
      ['emptyNamespaces', true],
      ['emptyNamespaces', true],
    ]);
  });

  describe('a denied request outside two namespace-scoped policies', () => {
    const twoPolicies = entry(DEV, {
      associatedAccessPolicies: [policy('AmazonEKSEditPolicy', ['a']), policy('AmazonEKSViewPolicy', ['b', 'a'])],
    });
    const denied = (namespace?: string) =>
      run({
        accessEntries: [twoPolicies],
        principal: principal(DEV),
        probe: {
          status: 200,
          error: null,
          accessReviews: [{ verb: 'list', resource: 'secrets', ...(namespace ? { namespace } : {}), allowed: false }],
        },
      });
    const common = {
      arn: DEV,
      namespaces: 'a, b',
      policies: 'AmazonEKSEditPolicy, AmazonEKSViewPolicy',
      policy: 'AmazonEKSEditPolicy',
      limits: '',
      cluster: 'prod',
      policyKey: 'edit',
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
    };

    test('cluster-scoped: widening means cluster scope', () => {
      const hits = denied();
      expect(hits.map((h) => h.messageId)).toEqual(['deniedOutsideScope', 'namespaceScoped', 'namespaceScoped']);
      expect(hits[0]).toMatchObject({
        subject: { kind: 'access-entry', name: DEV },
        affectsPrincipal: true,
        data: {
          ...common,
          request: 'list secrets (cluster-scoped)',
          why: 'a namespace scope never covers cluster-scoped requests',
          target: 'cluster scope',
          scopeType: 'cluster',
          scopeNamespaces: [],
        },
      });
    });

    test('in another namespace: widening adds that namespace to the ones the policies had', () => {
      expect(denied('ops')[0]).toMatchObject({
        messageId: 'deniedOutsideScope',
        data: {
          ...common,
          request: 'list secrets in namespace ops',
          why: 'namespace ops is not among them',
          target: 'namespace ops',
          scopeType: 'namespace',
          scopeNamespaces: ['a', 'b', 'ops'],
        },
      });
    });

    test('a node-type entry is never judged by its scope', () => {
      const node = entry(DEV, { type: 'EC2_LINUX', associatedAccessPolicies: [policy('AmazonEKSViewPolicy', ['a'])] });
      const hits = run({
        accessEntries: [node],
        principal: principal(DEV),
        probe: { status: 200, error: null, accessReviews: [{ verb: 'list', resource: 'secrets', allowed: false }] },
      });
      expect(hits).toEqual([]);
    });
  });
});
