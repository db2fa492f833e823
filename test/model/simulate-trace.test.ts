import { describe, expect, test } from 'vitest';
import type { Evidence } from '../../src/model/evidence.js';
import { simulate, type Simulation } from '../../src/model/simulate.js';
import type { TraceStep } from '../../src/model/trace.js';
import { ACCOUNT, awsAuthFrom, clusterIn, entry, principal } from '../helpers/evidence.js';

// The trace and near misses simulate() explains its decision with: every step names the fact it rests on.
const alice = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`);
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const row = (arn: string, username = 'admin', groups = '[system:masters]') =>
  `- rolearn: ${arn}\n  username: ${username}\n  groups: ${groups}\n`;
/** The last step with this title (a later "Result" step overrides an earlier one). */
const step = (sim: Simulation, title: string): TraceStep => {
  const found = sim.steps.filter((s) => s.title === title).at(-1);
  if (!found) throw new Error(`no step "${title}" in ${sim.steps.map((s) => s.title).join(', ')}`);
  return found;
};
const nodegroup = { nodegroupName: 'ng', nodeRole: `arn:aws:iam::${ACCOUNT}:role/Node`, healthIssues: [] };

describe('the mode step says where the mode came from', () => {
  test('given mode: the meaning of that mode', () => {
    const sim = simulate(alice, { cluster: clusterIn('API'), accessEntries: [] });
    expect(sim.modeOrigin).toBe('cluster-info');
    expect(step(sim, 'Authentication mode')).toMatchObject({ status: 'pass' });
    expect(step(sim, 'Authentication mode').detail).toMatch(/^API: /);
  });

  test('no cluster info: assumed CONFIG_MAP, and how to give the mode', () => {
    const sim = simulate(alice, { awsAuth: awsAuthFrom({ mapRoles: row(ADMIN_ROLE) }) });
    expect(sim).toMatchObject({ mode: 'CONFIG_MAP', modeOrigin: 'assumed', determined: true, unread: [] });
    expect(step(sim, 'Authentication mode')).toMatchObject({ status: 'pass' });
    expect(step(sim, 'Authentication mode').detail).toMatch(
      /^CONFIG_MAP \(assumed: no cluster info given; pass --cluster-info or --mode\)/,
    );
  });

  test('access entries given without a mode: API_AND_CONFIG_MAP is assumed', () => {
    const sim = simulate(alice, { accessEntries: [entry(ADMIN_ROLE)], awsAuth: { state: 'absent' } });
    expect(sim).toMatchObject({ mode: 'API_AND_CONFIG_MAP', modeOrigin: 'assumed' });
    expect(sim.decision.authenticated).toBe(true);
  });

  test('a live run that could not describe the cluster decides nothing, even when a row matches', () => {
    const sim = simulate(alice, {
      awsAuth: awsAuthFrom({ mapRoles: row(ADMIN_ROLE) }),
      unavailable: { cluster: 'eks:DescribeCluster was denied' },
    });
    expect(step(sim, 'Authentication mode')).toMatchObject({ status: 'warn' });
    expect(step(sim, 'Authentication mode').detail).toContain('because eks:DescribeCluster was denied');
    expect(sim.decision).toEqual({ authenticated: false, source: null, username: null, groups: [] });
    expect(sim).toMatchObject({ determined: false, unread: ['cluster'], policies: [] });
    expect(step(sim, 'Result')).toMatchObject({ status: 'warn' });
    expect(step(sim, 'Result').detail).toContain('would authenticate as "admin" via aws-auth');
  });
});

describe('unread sources leave the outcome open', () => {
  test('aws-auth not given in CONFIG_MAP: undetermined, and the flag that gives it', () => {
    const sim = simulate(alice, { cluster: clusterIn('CONFIG_MAP') });
    expect(sim).toMatchObject({ determined: false, unread: ['awsAuth'] });
    expect(step(sim, 'aws-auth ConfigMap')).toMatchObject({
      status: 'warn',
      detail: 'not given (pass --aws-auth): cannot tell whether a row maps this principal',
    });
    expect(step(sim, 'Result').detail).toBe('undetermined: a source EKS consults was not given');
  });

  test('aws-auth unreadable: the reason is the detail', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      unavailable: { awsAuth: 'RBAC forbids get configmaps' },
    });
    expect(step(sim, 'aws-auth ConfigMap').detail).toBe('could not check, because RBAC forbids get configmaps');
  });

  test('access entries unread in an API mode: accessEntries comes first in unread', () => {
    const sim = simulate(alice, { cluster: clusterIn('API_AND_CONFIG_MAP'), awsAuth: { state: 'absent' } });
    expect(sim.determined).toBe(false);
    expect(sim.unread[0]).toBe('accessEntries');
    expect(step(sim, 'Access entries')).toMatchObject({
      status: 'warn',
      detail: 'not given (pass --access-entries): cannot tell whether an entry exists',
    });
  });

  test('all sources read and none maps the principal: a determined 401', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('API'),
      accessEntries: [],
      creator: { arn: `arn:aws:iam::${ACCOUNT}:role/Other`, source: 'flag' },
    });
    expect(sim).toMatchObject({ determined: true, failureMessage: 'identity is not mapped' });
    expect(step(sim, 'Result')).toMatchObject({
      status: 'fail',
      detail: 'identity is not mapped: the API server answers 401 Unauthorized',
    });
  });

  test('an unknown creator outside API mode is named as the one way the 401 could be wrong', () => {
    const sim = simulate(alice, { cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFrom({ mapRoles: '' }) });
    expect(step(sim, 'Result').detail).toContain(
      '(unless this principal created the cluster: pass --creator or --cluster-info)',
    );
  });
});

describe('username and groups', () => {
  test('a group template that cannot render fails the request and says "group"', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(ADMIN_ROLE, 'admin', '["x", "node-{{EC2PrivateDNSName}}"]') }),
      creator: { arn: `arn:aws:iam::${ACCOUNT}:role/Other`, source: 'flag' },
    });
    expect(sim.decision.authenticated).toBe(false);
    expect(sim.failureMessage).toBe(
      'mapper EKSConfigMap renderTemplates error rendering group template "node-{{EC2PrivateDNSName}}": SessionName did not contain an instance id',
    );
    expect(step(sim, 'Username and groups')).toMatchObject({ status: 'fail' });
    expect(step(sim, 'Username and groups').detail).toMatch(/: authentication fails \(401\)$/);
  });

  test('a rendered username and groups are listed; an empty username warns', () => {
    const ok = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(ADMIN_ROLE, 'ops-{{SessionName}}', '[a, b]') }),
    });
    expect(step(ok, 'Username and groups')).toEqual({
      stage: 'authentication',
      title: 'Username and groups',
      status: 'pass',
      detail: 'username "ops-alice", groups [a, b]',
    });
    const empty = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(ADMIN_ROLE, '""', '[a]') }),
    });
    expect(step(empty, 'Username and groups')).toMatchObject({
      status: 'warn',
      detail: 'username "" (empty), groups [a]',
    });
  });
});

describe('the canonicalisation step', () => {
  test('a canonical ARN is said to be canonical', () => {
    const sim = simulate(principal(ADMIN_ROLE), { cluster: clusterIn('API'), accessEntries: [] });
    expect(sim.steps[0]?.detail).toBe(`${ADMIN_ROLE} (already canonical)`);
  });

  test('a session ARN: session set aside', () => {
    expect(simulate(alice, {}).steps[0]?.detail).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice → ${ADMIN_ROLE} (session "alice" set aside)`,
    );
  });

  test('a role ARN with a path: the path is dropped, because STS never reports it', () => {
    const sim = simulate(principal(`arn:aws:iam::${ACCOUNT}:role/team/Admin`), {});
    expect(sim.steps[0]?.detail).toBe(
      `arn:aws:iam::${ACCOUNT}:role/team/Admin → ${ADMIN_ROLE} (path /team/ dropped: STS never reports it)`,
    );
  });
});

describe('reading aws-auth', () => {
  test('counts rows and accounts', () => {
    const sim = simulate(alice, {
      awsAuth: awsAuthFrom({
        mapRoles: row(ADMIN_ROLE) + row(`arn:aws:iam::${ACCOUNT}:role/B`),
        mapAccounts: `- "${ACCOUNT}"\n`,
      }),
    });
    expect(step(sim, 'Read aws-auth')).toMatchObject({
      status: 'pass',
      detail: 'mapRoles 2 rows, mapUsers 0 rows, mapAccounts 1 account',
    });
  });

  test('a block that does not parse is ignored whole, and the step says so', () => {
    const sim = simulate(alice, {
      awsAuth: awsAuthFrom({ mapRoles: `${row(ADMIN_ROLE)}- rolearn: [unclosed\n`, mapUsers: '' }),
    });
    const read = step(sim, 'Read aws-auth');
    expect(read.status).toBe('fail');
    expect(read.detail).toMatch(/^mapRoles does not parse: EKS ignores that block whole/);
    expect(sim.decision.authenticated).toBe(false);
  });

  test('two blocks that do not parse', () => {
    const sim = simulate(alice, { awsAuth: awsAuthFrom({ mapRoles: '- rolearn: [x\n', mapUsers: '- userarn: [y\n' }) });
    expect(step(sim, 'Read aws-auth').detail).toMatch(
      /^mapRoles and mapUsers do not parse: EKS ignores those blocks whole/,
    );
  });
});

describe('near misses name the check that explains them', () => {
  const ids = (evidence: Evidence, who = alice) => simulate(who, evidence).nearMisses.map((m) => m.checkId);

  test('CONFIG_MAP, aws-auth absent, node groups exist: missing-or-replaced', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: { state: 'absent' },
      nodegroups: [nodegroup],
    });
    expect(sim.nearMisses).toContainEqual({
      checkId: 'aws-auth/missing-or-replaced',
      detail: 'kube-system/aws-auth does not exist, so no principal is mapped through it',
    });
    expect(ids({ cluster: clusterIn('CONFIG_MAP'), awsAuth: { state: 'absent' } })).not.toContain(
      'aws-auth/missing-or-replaced',
    );
    expect(
      ids({
        cluster: clusterIn('API_AND_CONFIG_MAP'),
        accessEntries: [],
        awsAuth: { state: 'absent' },
        nodegroups: [nodegroup],
      }),
    ).not.toContain('aws-auth/missing-or-replaced');
  });

  test('CONFIG_MAP, aws-auth present but without mapRoles and mapUsers, node groups exist: missing-or-replaced', () => {
    const evidence = { cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFrom({}), nodegroups: [nodegroup] };
    expect(ids(evidence)).toContain('aws-auth/missing-or-replaced');
    expect(ids({ ...evidence, nodegroups: [] })).not.toContain('aws-auth/missing-or-replaced');
    expect(ids({ ...evidence, awsAuth: awsAuthFrom({ mapUsers: '[]' }) })).not.toContain(
      'aws-auth/missing-or-replaced',
    );
  });

  test('the same role name in another account: account-mismatch with both accounts', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row('arn:aws:iam::444455556666:role/Admin') }),
    });
    expect(sim.nearMisses).toHaveLength(1);
    expect(sim.nearMisses[0]).toMatchObject({ checkId: 'identity/account-mismatch' });
    expect(sim.nearMisses[0]?.detail).toBe(
      `mapRoles[0] (line 9) names Admin in account 444455556666, but the principal is in ${ACCOUNT} (cluster account ${ACCOUNT})`,
    );
  });

  test('whitespace inside a quoted ARN: malformed-arn', () => {
    const sim = simulate(alice, { awsAuth: awsAuthFrom({ mapRoles: row(`" ${ADMIN_ROLE}"`) }) });
    expect(sim.decision.authenticated).toBe(false);
    expect(sim.nearMisses.map((m) => m.checkId)).toEqual(['aws-auth/malformed-arn']);
    expect(sim.nearMisses[0]?.detail).toContain('has whitespace inside the quoted ARN');
  });

  test('an unreadable mapAccounts naming the principal’s account: map-accounts-shape', () => {
    expect(ids({ awsAuth: awsAuthFrom({ mapAccounts: `- [${ACCOUNT}\n` }) })).toContain('aws-auth/map-accounts-shape');
    expect(ids({ awsAuth: awsAuthFrom({ mapAccounts: '- [444455556666\n' }) })).not.toContain(
      'aws-auth/map-accounts-shape',
    );
  });
});

describe('authorization summary', () => {
  test('an entry with AmazonEKSClusterAdminPolicy is cluster-admin', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('API'),
      accessEntries: [
        entry(ADMIN_ROLE, {
          associatedAccessPolicies: [
            {
              policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
              accessScope: { type: 'cluster', namespaces: [] },
            },
          ],
        }),
      ],
    });
    expect(sim.authorization).toMatchObject({ clusterAdmin: true, likelyForbidden: false });
    expect(sim.authorization.summary).toMatch(/^access policy .*AmazonEKSClusterAdminPolicy.*: cluster-admin$/);
  });

  test('an entry with only a view policy is not cluster-admin', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('API'),
      accessEntries: [
        entry(ADMIN_ROLE, {
          associatedAccessPolicies: [
            {
              policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
              accessScope: { type: 'cluster', namespaces: [] },
            },
          ],
        }),
      ],
    });
    expect(sim.authorization.clusterAdmin).toBe(false);
    expect(sim.authorization.summary).toContain('access policies: ');
  });
});

describe('the whole authentication trace, as explain prints it', () => {
  const steps = (sim: Simulation) =>
    sim.steps.filter((s) => s.stage === 'authentication').map((s) => `${s.status} ${s.title}: ${s.detail}`);
  const creator = { arn: `arn:aws:iam::${ACCOUNT}:role/Creator`, source: 'flag' as const };

  test('API mode, the entry matches; the aws-auth row of the principal is ignored', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('API'),
      accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/Other`), entry(ADMIN_ROLE, { type: '' })],
      awsAuth: awsAuthFrom({ mapRoles: row(ADMIN_ROLE) }),
      creator,
    });
    expect(steps(sim)).toMatchInlineSnapshot(`
      [
        "pass Canonicalise the principal: arn:aws:sts::111122223333:assumed-role/Admin/alice → arn:aws:iam::111122223333:role/Admin (session "alice" set aside)",
        "pass Authentication mode: API: EKS reads only access entries; aws-auth is ignored",
        "pass Access entries: entry arn:aws:iam::111122223333:role/Admin (type STANDARD) matches",
        "skip aws-auth ConfigMap: ignored in API mode, including mapRoles[0] (line 9) for this principal",
        "pass Username and groups: username "arn:aws:sts::111122223333:assumed-role/Admin/alice", groups []",
      ]
    `);
  });

  test('API_AND_CONFIG_MAP: the entry shadows the row', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('API_AND_CONFIG_MAP'),
      accessEntries: [entry(ADMIN_ROLE, { type: 'STANDARD', kubernetesGroups: ['ops'] })],
      awsAuth: awsAuthFrom({ mapRoles: row(ADMIN_ROLE) }),
      creator,
    });
    expect(steps(sim)).toMatchInlineSnapshot(`
      [
        "pass Canonicalise the principal: arn:aws:sts::111122223333:assumed-role/Admin/alice → arn:aws:iam::111122223333:role/Admin (session "alice" set aside)",
        "pass Authentication mode: API_AND_CONFIG_MAP: EKS reads access entries first, then the aws-auth ConfigMap",
        "pass Access entries: entry arn:aws:iam::111122223333:role/Admin (type STANDARD) matches",
        "warn aws-auth ConfigMap: mapRoles[0] (line 9) is not used: the access entry replaces it",
        "pass Username and groups: username "arn:aws:sts::111122223333:assumed-role/Admin/alice", groups [ops]",
      ]
    `);
  });

  test('API_AND_CONFIG_MAP: no entry, the row maps', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('API_AND_CONFIG_MAP'),
      accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/Other`)],
      awsAuth: awsAuthFrom({
        mapRoles: row(`arn:aws:iam::${ACCOUNT}:role/Other`) + row(ADMIN_ROLE, 'a-{{AccountID}}'),
      }),
      creator,
    });
    expect(steps(sim)).toMatchInlineSnapshot(`
      [
        "pass Canonicalise the principal: arn:aws:sts::111122223333:assumed-role/Admin/alice → arn:aws:iam::111122223333:role/Admin (session "alice" set aside)",
        "pass Authentication mode: API_AND_CONFIG_MAP: EKS reads access entries first, then the aws-auth ConfigMap",
        "fail Access entries: none of the 1 access entries is for arn:aws:iam::111122223333:role/Admin",
        "skip Cluster creator: arn:aws:iam::111122223333:role/Creator created the cluster, not this principal",
        "pass Read aws-auth: mapRoles 2 rows, mapUsers 0 rows, mapAccounts 0 accounts",
        "pass Match aws-auth rows: mapRoles[1] (line 9) rolearn arn:aws:iam::111122223333:role/Admin matches (case-insensitive)",
        "pass Username and groups: username "a-111122223333", groups [system:masters]",
      ]
    `);
  });

  test('CONFIG_MAP: an IAM user in mapUsers; aws-auth absent for another', () => {
    const bob = principal(`arn:aws:iam::${ACCOUNT}:user/bob`);
    const mapped = simulate(bob, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/bob\n  username: bob\n` }),
      creator,
    });
    expect(steps(mapped)).toMatchInlineSnapshot(`
      [
        "pass Canonicalise the principal: arn:aws:iam::111122223333:user/bob (already canonical)",
        "pass Authentication mode: CONFIG_MAP: EKS reads only the aws-auth ConfigMap, plus the hidden cluster-creator mapping",
        "skip Access entries: not consulted in CONFIG_MAP mode",
        "skip Cluster creator: arn:aws:iam::111122223333:role/Creator created the cluster, not this principal",
        "pass Read aws-auth: mapRoles 0 rows, mapUsers 1 row, mapAccounts 0 accounts",
        "pass Match aws-auth rows: mapUsers[0] (line 9) userarn arn:aws:iam::111122223333:user/bob matches (case-insensitive)",
        "pass Username and groups: username "bob", groups []",
      ]
    `);
    const absent = simulate(bob, { cluster: clusterIn('CONFIG_MAP'), awsAuth: { state: 'absent' }, creator });
    expect(steps(absent)).toMatchInlineSnapshot(`
      [
        "pass Canonicalise the principal: arn:aws:iam::111122223333:user/bob (already canonical)",
        "pass Authentication mode: CONFIG_MAP: EKS reads only the aws-auth ConfigMap, plus the hidden cluster-creator mapping",
        "skip Access entries: not consulted in CONFIG_MAP mode",
        "skip Cluster creator: arn:aws:iam::111122223333:role/Creator created the cluster, not this principal",
        "fail aws-auth ConfigMap: kube-system/aws-auth does not exist: no principal is mapped through it",
        "fail Result: identity is not mapped: the API server answers 401 Unauthorized",
      ]
    `);
  });

  test('CONFIG_MAP: mapped through mapAccounts', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapAccounts: `- "${ACCOUNT}"\n` }),
      creator,
    });
    expect(steps(sim)).toMatchInlineSnapshot(`
      [
        "pass Canonicalise the principal: arn:aws:sts::111122223333:assumed-role/Admin/alice → arn:aws:iam::111122223333:role/Admin (session "alice" set aside)",
        "pass Authentication mode: CONFIG_MAP: EKS reads only the aws-auth ConfigMap, plus the hidden cluster-creator mapping",
        "skip Access entries: not consulted in CONFIG_MAP mode",
        "skip Cluster creator: arn:aws:iam::111122223333:role/Creator created the cluster, not this principal",
        "pass Read aws-auth: mapRoles 0 rows, mapUsers 0 rows, mapAccounts 1 account",
        "fail Match aws-auth rows: no mapRoles row is arn:aws:iam::111122223333:role/Admin",
        "warn mapAccounts: account 111122223333 is listed: authenticated with username = the ARN and no groups",
        "pass Username and groups: username "arn:aws:iam::111122223333:role/Admin", groups []",
      ]
    `);
  });
});
