import { describe, expect, test } from 'vitest';
import check from '../../../checks/rbac/forbidden.js';
import type { ApiProbe, RbacBinding } from '../../../src/model/evidence.js';
import { checkTable, expectRendered, fixText } from '../../helpers/check-table.js';
import { renderHit } from '../../../src/core/run-checks.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, contextFor, entry, principal } from '../../helpers/evidence.js';
import { CLUSTER } from '../_live.js';

const ssr = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const FORBIDDEN =
  'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"';
const review = (verb: string, resource: string, allowed: boolean, namespace?: string) => ({
  verb,
  resource,
  allowed,
  ...(namespace ? { namespace } : {}),
});
const probe = (fields: Partial<ApiProbe>): ApiProbe => ({
  status: 200,
  error: null,
  selfSubjectReview: ssr,
  ...fields,
});
const devsBinding: RbacBinding = {
  kind: 'RoleBinding',
  name: 'devs-edit',
  namespace: 'team-a',
  roleRef: { kind: 'ClusterRole', name: 'edit' },
  subjects: [{ kind: 'Group', name: 'devs' }],
};

const { run, passes } = checkTable(check);

describe('rbac/forbidden', () => {
  passes([
    ['everything checked is allowed', { probe: probe({ accessReviews: [review('list', 'pods', true)] }) }],
    [
      'only the cluster-admin sample (* on *) is denied: normal for a non-admin',
      { probe: probe({ accessReviews: [review('list', 'pods', true), review('*', '*', false)] }) },
    ],
    ['401: not authenticated (another stage)', { probe: { status: 401, error: 'Unauthorized' } }],
    [
      '403 for system:anonymous (client/anonymous)',
      { probe: { status: 403, error: 'forbidden: User "system:anonymous" cannot get path "/api"' } },
    ],
    ['no HTTP answer', { probe: { status: null, error: 'ETIMEDOUT' } }],
  ]);

  test('fails: 403, naming who, and the bindings that exist for its groups', () => {
    const hits = run({ cluster: CLUSTER, probe: probe({ status: 403, error: FORBIDDEN }), rbac: [devsBinding] });
    expect(hits).toMatchObject([
      {
        messageId: 'forbidden',
        affectsPrincipal: true,
        subject: { kind: 'rbac', name: 'alice' },
        data: {
          username: 'alice',
          groups: 'devs, system:authenticated',
          error: FORBIDDEN,
        },
      },
    ]);
    expect(String(hits[0]?.data.grants)).toContain('RoleBinding team-a/devs-edit → ClusterRole edit');
    expectRendered(check, hits);
  });

  test('fails: every representative action is denied; RBAC not read; the entry has no policy', () => {
    const target = principal(`arn:aws:iam::${ACCOUNT}:role/deployer`);
    const hits = run({
      principal: target,
      cluster: { ...CLUSTER, authenticationMode: 'API' },
      accessEntries: [entry(target.iamArn, { username: 'deployer', kubernetesGroups: [] })],
      probe: probe({
        selfSubjectReview: { username: 'deployer', groups: ['system:authenticated'] },
        accessReviews: [review('list', 'pods', false, 'default'), review('get', 'namespaces', false)],
      }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'allDenied',
        affectsPrincipal: true,
        data: {
          username: 'deployer',
          denied: 'list pods in namespace default, get namespaces cluster-wide',
        },
      },
    ]);
    expect(String(hits[0]?.data.grants)).toContain('RBAC bindings were not read');
    expect(String(hits[0]?.data.grants)).toContain('no access policy');
    expectRendered(check, hits);
  });

  test('informs: some actions allowed, some denied', () => {
    const hits = run({
      probe: probe({
        accessReviews: [review('list', 'pods', true, 'team-a'), review('create', 'deployments', false, 'prod')],
      }),
      rbac: [],
    });
    expect(hits).toMatchObject([
      {
        messageId: 'someDenied',
        affectsPrincipal: false,
        data: { allowed: 'list pods in namespace team-a', denied: 'create deployments in namespace prod' },
      },
    ]);
    expect(String(hits[0]?.data.grants)).toContain('None of the 0');
  });

  test('names the wildcard sample in words', () => {
    const hits = run({
      probe: probe({ accessReviews: [review('*', '*', false), review('get', 'pods', false, 'default')] }),
    });
    expect(hits).toMatchObject([
      { messageId: 'allDenied', data: { denied: 'everything (* on *), get pods in namespace default' } },
    ]);
  });

  describe('the request the user asked about (--can) decides what the finding is about', () => {
    const asked = (verb: string, resource: string, allowed: boolean, namespace?: string) => ({
      ...review(verb, resource, allowed, namespace),
      requested: true,
    });
    test.each<[string, Partial<ApiProbe>, string | undefined]>([
      [
        'asked and denied, while /version is 403 too: the asked request, not /version',
        { status: 403, error: FORBIDDEN, accessReviews: [asked('delete', 'pods', false, 'default')] },
        'requestDenied',
      ],
      [
        'asked and allowed, other samples denied: context (info), never the error',
        { accessReviews: [asked('get', 'pods', true, 'default'), review('list', 'namespaces', false)] },
        'someDenied',
      ],
      [
        'asked and allowed, nothing else denied: nothing to say',
        { accessReviews: [asked('get', 'pods', true)] },
        undefined,
      ],
      [
        'nothing asked, every sample denied: allDenied',
        { accessReviews: [review('list', 'namespaces', false), review('get', 'pods', false, 'default')] },
        'allDenied',
      ],
    ])('%s', (_, fields, messageId) => {
      const hits = run({ cluster: CLUSTER, probe: probe(fields) });
      expect(hits.map((h) => h.messageId)).toEqual(messageId ? [messageId] : []);
      if (messageId === 'requestDenied') expect(hits[0]?.data.requestedDenied).toBe('delete pods in namespace default');
    });
  });
});

describe('rbac/forbidden fix: grants exactly what was denied, never re-creates a binding', () => {
  const developer = principal(`arn:aws:iam::${ACCOUNT}:role/developer`, 'bob');
  const developers = { username: 'dev:bob', groups: ['developers', 'system:authenticated'] };
  const developersView: RbacBinding = {
    kind: 'ClusterRoleBinding',
    name: 'developers-view',
    roleRef: { kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'Group', name: 'developers' }],
  };
  const asked = (verb: string, resource: string, namespace?: string, group?: string) => ({
    ...review(verb, resource, false, namespace),
    ...(group !== undefined ? { group } : {}),
    requested: true,
  });
  const fixOf = (evidence: Evidence) => {
    const hits = check.run({ evidence, simulation: undefined });
    const finding = hits[0] ? renderHit(check, hits[0]) : undefined;
    const steps = finding?.fix?.steps ?? [];
    return {
      steps,
      kubectl: steps.flatMap((s) => s.kubectl?.commands ?? []),
      aws: finding?.fix?.aws ?? '',
      eksctl: finding?.fix?.eksctl ?? '',
      terraform: finding?.fix?.terraform ?? '',
    };
  };
  const live = (fields: Evidence): Evidence => ({
    cluster: { ...CLUSTER, authenticationMode: 'CONFIG_MAP' },
    probe: probe({ selfSubjectReview: developers, accessReviews: [asked('update', 'configmaps', 'default')] }),
    rbac: [developersView],
    ...fields,
  });
  const withEntry = (mode: 'API' | 'API_AND_CONFIG_MAP', fields: Evidence = {}): Evidence => {
    const evidence = live({
      principal: developer,
      cluster: { ...CLUSTER, authenticationMode: mode },
      accessEntries: [entry(developer.iamArn, { username: 'dev:bob', kubernetesGroups: ['developers'] })],
      ...fields,
    });
    return evidence;
  };
  const runWithSimulation = (evidence: Evidence) => {
    const hits = check.run(contextFor(evidence));
    const finding = hits[0] ? renderHit(check, hits[0]) : undefined;
    return { aws: finding?.fix?.aws ?? '', eksctl: finding?.fix?.eksctl ?? '' };
  };

  test('scenario rbac--forbidden: update configmaps in default → a new Role and RoleBinding for group developers', () => {
    const fix = fixOf(live({}));
    expect(fix.steps).toHaveLength(1);
    const create = fix.kubectl[0];
    expect(create?.argv).toEqual(['kubectl', 'create', '-f', '-']);
    expect(create?.stdin).toContain('kind: "Role"');
    expect(create?.stdin).toContain('namespace: "default"');
    expect(create?.stdin).toMatch(/resources:\n\s+- "configmaps"\n\s+verbs:\n\s+- "update"\n/);
    expect(create?.stdin).toContain('kind: "Group"\n    name: "developers"');
    // The existing binding is neither re-created nor named as what to create; view is not the role.
    expect(create?.stdin).not.toContain('developers-view');
    expect(create?.stdin).not.toMatch(/name: "view"/);
    expect(fix.kubectl[1]?.argv).toEqual([
      'kubectl',
      'auth',
      'can-i',
      'update',
      'configmaps',
      '-n',
      'default',
      '--as=dev:bob',
      '--as-group=developers',
    ]);
    expect(fix.steps[0]?.identity).toMatch(/cluster administrator/);
  });

  test.each<[string, Evidence, RegExp]>([
    ['CONFIG_MAP: no access-policy commands, and why', {}, /CONFIG_MAP mode/],
    [
      'mode not read: no access-policy commands, and why',
      { cluster: { ...CLUSTER, authenticationMode: undefined } as Evidence['cluster'] },
      /mode was not read/,
    ],
  ])('%s', (_, fields, why) => {
    const fix = fixOf(live(fields));
    expect(fix.aws).not.toContain('associate-access-policy');
    expect(fix.eksctl).not.toContain('accessentry-policy');
    expect(fix.aws).toMatch(why);
  });

  test('mapped through aws-auth (no access entry) in API_AND_CONFIG_MAP: no policy alternative (an entry would replace the mapping)', () => {
    const { aws } = runWithSimulation(withEntry('API_AND_CONFIG_MAP', { accessEntries: [] }));
    expect(aws).not.toContain('associate-access-policy');
    expect(aws).toMatch(/no access entry/);
  });

  test.each<[string, ReturnType<typeof asked>[], string, string]>([
    [
      'update configmaps: Edit (View never grants update)',
      [asked('update', 'configmaps', 'default')],
      'AmazonEKSEditPolicy',
      "'type=namespace,namespaces=default'",
    ],
    ['get pods: View', [asked('get', 'pods', 'team-a')], 'AmazonEKSViewPolicy', "'type=namespace,namespaces=team-a'"],
    [
      'get secrets: AdminView (View excludes secrets)',
      [asked('get', 'secrets', 'team-a')],
      'AmazonEKSAdminViewPolicy',
      "'type=namespace,namespaces=team-a'",
    ],
    [
      'create rolebindings: Admin',
      [asked('create', 'rolebindings', 'team-a', 'rbac.authorization.k8s.io')],
      'AmazonEKSAdminPolicy',
      "'type=namespace,namespaces=team-a'",
    ],
    [
      'list nodes cluster-wide: AdminView (reads everything) at cluster scope',
      [asked('list', 'nodes')],
      'AmazonEKSAdminViewPolicy',
      "'type=cluster'",
    ],
    [
      'create namespaces cluster-wide: ClusterAdmin',
      [asked('create', 'namespaces')],
      'AmazonEKSClusterAdminPolicy',
      "'type=cluster'",
    ],
  ])('API mode with an access entry, %s', (_, reviews, policy, scope) => {
    const { aws, eksctl } = runWithSimulation(
      withEntry('API', { probe: probe({ selfSubjectReview: developers, accessReviews: reviews }) }),
    );
    expect(aws).toContain(`--policy-arn arn:aws:eks::aws:cluster-access-policy/${policy} --access-scope ${scope}`);
    expect(aws).toContain('--region eu-west-1');
    // eksctl attaches policies only when it creates an entry: for an existing one it points to the aws CLI.
    expect(eksctl).toContain(`alternative to RBAC: ${policy}`);
    expect(eksctl).toContain('eksctl cannot add a policy to an existing access entry');
    expect(eksctl).not.toMatch(/^eksctl /m);
  });

  const deployer: RbacBinding = {
    kind: 'RoleBinding',
    name: 'developers-deployer',
    namespace: 'team-a',
    roleRef: { kind: 'Role', name: 'deployer' },
    subjects: [{ kind: 'Group', name: 'developers' }],
  };
  const denyDeploy = probe({
    selfSubjectReview: developers,
    accessReviews: [asked('create', 'deployments', 'team-a', 'apps')],
  });

  test("extends a Role in the namespace that only the principal's group is bound to", () => {
    const fix = fixOf(live({ probe: denyDeploy, rbac: [developersView, deployer] }));
    expect(fix.kubectl[0]?.argv.slice(0, 8)).toEqual([
      'kubectl',
      'patch',
      'role',
      'deployer',
      '-n',
      'team-a',
      '--type',
      'json',
    ]);
    expect(JSON.parse(fix.kubectl[0]?.argv[9] ?? '')).toEqual([
      { op: 'add', path: '/rules/-', value: { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] } },
    ]);
    expect(fix.terraform).toContain('add to the Role team-a/deployer');
  });

  test.each<[string, RbacBinding[]]>([
    [
      'the Role is bound to another group too (extending it would grant them)',
      [deployer, { ...deployer, name: 'ops-deployer', subjects: [{ kind: 'Group', name: 'ops' }] }],
    ],
    ['a shipped ClusterRole (edit) is never edited', [{ ...deployer, roleRef: { kind: 'ClusterRole', name: 'edit' } }]],
    ['the Role is bound in another namespace', [{ ...deployer, namespace: 'team-b' }]],
  ])('creates instead of extending when %s', (_, rbac) => {
    const fix = fixOf(live({ probe: denyDeploy, rbac }));
    expect(fix.kubectl[0]?.argv).toEqual(['kubectl', 'create', '-f', '-']);
  });

  test('a name an existing binding has is never reused', () => {
    const taken: RbacBinding = {
      ...deployer,
      name: 'developers-update-configmaps',
      namespace: 'default',
      roleRef: { kind: 'ClusterRole', name: 'edit' },
    };
    const fix = fixOf(live({ rbac: [developersView, taken] }));
    expect(fix.kubectl[0]?.stdin).toContain('name: "developers-update-configmaps-2"');
  });

  test('no group of its own: the username is bound; cluster-wide requests get a ClusterRole', () => {
    const fix = fixOf(
      live({
        probe: probe({
          selfSubjectReview: { username: 'deployer', groups: ['system:authenticated'] },
          accessReviews: [asked('list', 'namespaces')],
        }),
      }),
    );
    expect(fix.kubectl[0]?.stdin).toContain('kind: "ClusterRole"');
    expect(fix.kubectl[0]?.stdin).toContain('kind: "User"\n    name: "deployer"');
    expect(fix.terraform).toContain('kubernetes_cluster_role_binding_v1');
  });

  test("a 403 with no review: the request is read from the API server's message", () => {
    const fix = fixOf(
      live({ probe: probe({ selfSubjectReview: ssr, status: 403, error: FORBIDDEN, accessReviews: [] }) }),
    );
    expect(fix.kubectl[0]?.stdin).toMatch(/- "pods"\n\s+verbs:\n\s+- "list"/);
    expect(fix.kubectl[0]?.stdin).toContain('name: "devs-list-pods"');
  });

  test('two namespaces: one step each, in the order asked', () => {
    const fix = fixOf(
      live({
        probe: probe({
          selfSubjectReview: developers,
          accessReviews: [asked('update', 'configmaps', 'default'), asked('delete', 'pods', 'team-a')],
        }),
      }),
    );
    expect(fix.steps.map((s) => s.title)).toEqual([
      expect.stringContaining('update configmaps in namespace default'),
      expect.stringContaining('delete pods in namespace team-a'),
    ]);
  });

  test('bindings not read: says so, and how to find a role to extend; still creates (create refuses an existing name)', () => {
    const hits = check.run({ evidence: live({ rbac: undefined }), simulation: undefined });
    const finding = hits[0] ? renderHit(check, hits[0]) : undefined;
    expect(finding?.fix?.kubectl).toMatch(/^# the bindings were not read.*kubectl get rolebindings -n default -o wide/);
    expect(finding?.fix?.steps[0]?.kubectl?.commands?.[0]?.argv).toEqual(['kubectl', 'create', '-f', '-']);
  });
});

describe('rbac/forbidden: the data of a finding and the step when no request can be named', () => {
  test('everything denied and nothing nameable: the step asks for the request, with the can-i list to find it', () => {
    const hits = run({
      probe: probe({ selfSubjectReview: { username: 'bob', groups: [] }, accessReviews: [review('*', '*', false)] }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'allDenied',
        subject: { kind: 'rbac', name: 'bob' },
        affectsPrincipal: true,
        data: {
          username: 'bob',
          groups: '(none)',
          error: 'HTTP 200',
          denied: 'everything (* on *)',
          requestedDenied: '',
          allowed: '',
          grants: 'RBAC bindings were not read',
        },
      },
    ]);
    const ask =
      '# eksauth could not tell which request was refused: name it with doctor --can "VERB RESOURCE -n NAMESPACE" for an exact grant';
    const [step, more] = hits[0]?.fix ?? [];
    expect(more).toBeUndefined();
    expect(step?.title).toBe('Name the refused request, so the grant can be exact');
    expect(fixText(step?.kubectl).split('\n')).toEqual([ask, "kubectl auth can-i --list '--as=bob'"]);
    expect(fixText(step?.aws)).toBe(ask);
    expect(fixText(step?.eksctl)).toBe(ask);
    expect(fixText(step?.terraform)).toBe('# name the refused request with doctor --can first');
  });

  test('some denied: every sample described, the reason bindings could not be read, not blamed on the principal', () => {
    const hits = run({
      unavailable: { rbac: 'forbidden: cannot list clusterrolebindings' },
      probe: probe({
        accessReviews: [
          review('*', '*', false, 'x'),
          review('list', 'secrets', false, 'x'),
          review('get', 'pods', true),
          review('*', '*', false),
        ],
      }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'someDenied',
        affectsPrincipal: false,
        data: {
          username: 'alice',
          groups: 'devs, system:authenticated',
          denied: 'everything (* on * in namespace x), list secrets in namespace x, everything (* on *)',
          allowed: 'get pods cluster-wide',
          grants: 'RBAC bindings could not be read (forbidden: cannot list clusterrolebindings)',
        },
      },
    ]);
  });
});

describe('rbac/forbidden: who is asked about, and what the finding says exactly', () => {
  passes([
    ['no probe was made', {}],
    [
      'system:anonymous, named by the SelfSubjectReview (client/anonymous owns it)',
      {
        probe: probe({
          selfSubjectReview: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
          accessReviews: [review('list', 'pods', false, 'default')],
        }),
      },
    ],
    [
      'a node: the Node authorizer restricts it by design',
      {
        probe: probe({
          selfSubjectReview: { username: 'system:node:ip-10-0-0-1', groups: ['system:nodes', 'system:authenticated'] },
          accessReviews: [review('list', 'pods', false, 'default')],
        }),
      },
    ],
    [
      'asked and allowed while /version is 403: the request asked about is what counts',
      {
        probe: probe({
          status: 403,
          error: FORBIDDEN,
          accessReviews: [{ ...review('get', 'pods', true, 'default'), requested: true }, review('*', '*', false)],
        }),
      },
    ],
    ['200 and no sample checked at all', { probe: probe({}) }],
    [
      '401 beside denied samples (not authenticated: the samples say nothing)',
      {
        probe: probe({ status: 401, error: 'Unauthorized', accessReviews: [review('list', 'pods', false, 'default')] }),
      },
    ],
    [
      '400 beside denied samples',
      { probe: probe({ status: 400, error: 'Bad Request', accessReviews: [review('list', 'pods', false)] }) },
    ],
    [
      'no HTTP answer beside denied samples',
      {
        probe: probe({ status: null, error: 'ETIMEDOUT', accessReviews: [review('list', 'pods', false, 'default')] }),
      },
    ],
  ]);

  test('a 403 with no SelfSubjectReview and no simulation: the user is unknown and said so, no sample is invented', () => {
    const hits = run({ probe: { status: 403, error: FORBIDDEN }, rbac: [] });
    expect(hits).toEqual([
      expect.objectContaining({
        messageId: 'forbidden',
        subject: { kind: 'rbac', name: 'UNKNOWN_USER' },
        data: {
          username: 'UNKNOWN_USER',
          groups: '(none)',
          error: FORBIDDEN,
          denied: '',
          requestedDenied: '',
          allowed: '',
          grants: 'None of the 0 RoleBindings and ClusterRoleBindings names UNKNOWN_USER or its groups',
        },
      }),
    ]);
  });

  test('every asked request and every allowed sample is listed; a `*` verb on one resource is no wildcard sample', () => {
    const asked = (verb: string, resource: string, namespace?: string) => ({
      ...review(verb, resource, false, namespace),
      requested: true,
    });
    const hits = run({
      probe: probe({
        accessReviews: [
          asked('delete', 'pods', 'a'),
          asked('create', 'secrets'),
          review('get', 'pods', true, 'a'),
          review('list', 'services', true),
          review('*', 'pods', false, 'a'),
          review('get', '*', false),
        ],
      }),
    });
    expect(hits[0]?.data).toMatchObject({
      requestedDenied: 'delete pods in namespace a, create secrets cluster-wide',
      allowed: 'get pods in namespace a, list services cluster-wide',
      denied: 'delete pods in namespace a, create secrets cluster-wide, * pods in namespace a, get * cluster-wide',
    });
  });

  test('asked and allowed, only a `*` verb on one resource denied besides: that sample is context worth an info', () => {
    const hits = run({
      probe: probe({
        accessReviews: [{ ...review('get', 'pods', true, 'a'), requested: true }, review('*', 'pods', false, 'a')],
      }),
    });
    expect(hits.map((h) => h.messageId)).toEqual(['someDenied']);
  });

  test('a 403 without a text, and a request denied with no HTTP answer: what is known is said', () => {
    const forbidden = run({ probe: probe({ status: 403, error: null }) });
    expect(forbidden.map((h) => [h.messageId, h.data.error])).toEqual([['forbidden', 'HTTP 403']]);
    const asked = run({
      probe: probe({
        status: null,
        error: null,
        accessReviews: [{ ...review('get', 'pods', false, 'a'), requested: true }],
      }),
    });
    expect(asked.map((h) => [h.messageId, h.data.error])).toEqual([['requestDenied', 'no HTTP answer']]);
  });

  test('grants: only the bindings naming the user or one of its groups, by kind', () => {
    const bound = (name: string, subjects: RbacBinding['subjects']): RbacBinding => ({
      kind: 'ClusterRoleBinding',
      name,
      roleRef: { kind: 'ClusterRole', name: `${name}-role` },
      subjects,
    });
    const hits = run({
      probe: probe({ status: 403, error: FORBIDDEN }),
      rbac: [
        bound('user', [{ kind: 'User', name: 'alice' }]),
        bound('group-among-others', [
          { kind: 'Group', name: 'ops' },
          { kind: 'Group', name: 'devs' },
        ]),
        bound('others', [{ kind: 'Group', name: 'ops' }]),
        // Same names, other kinds: a user called devs and a group called alice are someone else.
        bound('user-named-like-the-group', [{ kind: 'User', name: 'devs' }]),
        bound('group-named-like-the-user', [{ kind: 'Group', name: 'alice' }]),
        bound('service-account', [{ kind: 'ServiceAccount', name: 'alice' }]),
      ],
    });
    expect(hits[0]?.data.grants).toBe(
      'Bindings that name it or its groups: ClusterRoleBinding/user → ClusterRole user-role; ClusterRoleBinding/group-among-others → ClusterRole group-among-others-role',
    );
  });

  test('grants: the access policies of its entry, after the bindings', () => {
    const target = principal(`arn:aws:iam::${ACCOUNT}:role/deployer`);
    const hits = run({
      principal: target,
      cluster: { ...CLUSTER, authenticationMode: 'API' },
      rbac: [],
      accessEntries: [
        entry(target.iamArn, {
          username: 'deployer',
          kubernetesGroups: ['deployers'],
          associatedAccessPolicies: [
            {
              policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
              accessScope: { type: 'namespace', namespaces: ['team-a', 'team-b'] },
            },
            {
              policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
              accessScope: { type: 'namespace', namespaces: ['team-a'] },
            },
          ],
        }),
      ],
      probe: probe({
        selfSubjectReview: { username: 'deployer', groups: ['deployers', 'system:authenticated'] },
        accessReviews: [review('list', 'pods', false, 'default'), review('get', 'namespaces', false)],
      }),
    });
    expect(hits[0]?.data.grants).toBe(
      'None of the 0 RoleBindings and ClusterRoleBindings names deployer or its groups; access policies: AmazonEKSViewPolicy (namespaces team-a, team-b), AmazonEKSEditPolicy (namespaces team-a)',
    );
  });

  test('nothing nameable, with groups: can-i --list impersonates every group, system:authenticated included', () => {
    const hits = run({ probe: probe({ accessReviews: [review('*', '*', false)] }) });
    expect(fixText(hits[0]?.fix?.[0]?.kubectl).split('\n')[1]).toBe(
      "kubectl auth can-i --list '--as=alice' '--as-group=devs' '--as-group=system:authenticated'",
    );
  });
});
