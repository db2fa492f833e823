import { describe, expect, it } from 'vitest';
import type { AssociatedAccessPolicy, Evidence } from '../../src/model/evidence.js';
import { modeFromEvidence, simulate } from '../../src/model/simulate.js';
import { ACCOUNT, awsAuthFrom, awsAuthFromText, clusterIn, entry, principal } from '../helpers/evidence.js';

// Branches of simulate() the full-trace scenarios leave open. Expected values follow the
// authenticator's rules (corrections-turn-2.md §3-4, pkg/server/server.go renderTemplates,
// pkg/mapper): the order EKS consults its sources, and what each refusal or near miss names.

const OTHER = '444455556666';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const alice = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`);
const bob = principal(`arn:aws:iam::${ACCOUNT}:user/bob`);
const rootUser = principal(`arn:aws:iam::${ACCOUNT}:root`);
const row = (arn: string, username = 'admin', groups = '[system:masters]') =>
  `- rolearn: ${arn}\n  username: ${username}\n  groups: ${groups}\n`;
const stepOf = (evidence: Evidence, title: string, who = alice) =>
  simulate(who, evidence).steps.filter((s) => s.title === title);

/** A ConfigMap file whose rows name `username` before the ARN, so a row's line differs from its ARN's. */
const usernameFirst = (block: 'mapRoles' | 'mapUsers', arns: string[]): string => {
  const key = block === 'mapRoles' ? 'rolearn' : 'userarn';
  const rows = arns.map((arn) => `    - username: u\n      ${key}: ${arn}\n`).join('');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  ${block}: |\n${rows}`;
};
/** 1-based line and column of the n-th `marker` in `text` (the row's ARN key). */
const at = (text: string, marker: string, occurrence = 0) => {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = text.indexOf(marker, index + 1);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
};
const where = (location: { line: number; column: number } | undefined) =>
  location && { line: location.line, column: location.column };

describe('the aws-auth step once a mapping has already won', () => {
  it('an access entry with no aws-auth row for the principal: nothing is shadowed', () => {
    const [step] = stepOf(
      {
        cluster: clusterIn('API_AND_CONFIG_MAP'),
        accessEntries: [entry(ROLE)],
        awsAuth: awsAuthFrom({ mapRoles: row(`arn:aws:iam::${ACCOUNT}:role/Other`) }),
      },
      'aws-auth ConfigMap',
    );
    expect(step).toMatchObject({ status: 'skip', detail: 'not needed: already mapped' });
  });

  it('the CONFIG_MAP creator who also has a row: the hidden mapping wins, the row is not "replaced by an entry"', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      creator: { arn: ROLE, source: 'flag' },
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE, 'ops', '[ops]') }),
    });
    expect(sim.steps.find((s) => s.title === 'aws-auth ConfigMap')).toMatchObject({
      status: 'skip',
      detail: 'not needed: already mapped',
    });
    expect(sim.decision).toEqual({
      authenticated: true,
      source: 'cluster-creator',
      username: 'kubernetes-admin',
      groups: ['system:masters'],
    });
  });
});

describe('refusals', () => {
  it('API mode with entries read: the creator hint is not offered (the creator would have an entry)', () => {
    const [result] = stepOf({ cluster: clusterIn('API'), accessEntries: [] }, 'Result');
    expect(result).toEqual({
      stage: 'authentication',
      title: 'Result',
      status: 'fail',
      detail: 'identity is not mapped: the API server answers 401 Unauthorized',
    });
  });

  it('CONFIG_MAP with no creator known: the hint is offered', () => {
    const [result] = stepOf({ cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFrom({}) }, 'Result');
    expect(result?.detail).toBe(
      'identity is not mapped: the API server answers 401 Unauthorized (unless this principal created the cluster: pass --creator or --cluster-info)',
    );
  });

  it('an access entry whose node username cannot render: the DynamicFile mapper refuses (401)', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('API'),
      accessEntries: [entry(ROLE, { type: 'EC2_LINUX' })],
    });
    expect(sim.decision.authenticated).toBe(false);
    expect(sim.failureMessage).toBe(
      'mapper DynamicFile renderTemplates error rendering username template "system:node:{{EC2PrivateDNSName}}": SessionName did not contain an instance id',
    );
  });

  it('the first group that cannot render is named as a group, after a username that renders', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({
        mapRoles: row(ROLE, 'admin', '[ok, "n-{{EC2PrivateDNSName}}", "m-{{EC2PrivateDNSName}}"]'),
      }),
    });
    expect(sim.failureMessage).toBe(
      'mapper EKSConfigMap renderTemplates error rendering group template "n-{{EC2PrivateDNSName}}": SessionName did not contain an instance id',
    );
  });

  it('an authenticated principal carries no failure message at all', () => {
    const sim = simulate(alice, { cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFrom({ mapRoles: row(ROLE) }) });
    expect(Object.keys(sim)).not.toContain('failureMessage');
  });
});

describe('the mode', () => {
  it('an empty list of access entries does not prove an API mode: CONFIG_MAP is assumed', () => {
    expect(modeFromEvidence({ accessEntries: [] })).toEqual({ mode: 'CONFIG_MAP', origin: 'assumed' });
    expect(modeFromEvidence({ accessEntries: [entry(ROLE)] })).toEqual({
      mode: 'API_AND_CONFIG_MAP',
      origin: 'assumed',
    });
  });

  it('a mode given by cluster info is known even when a live describe also failed', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      unavailable: { cluster: 'eks:DescribeCluster was denied' },
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE) }),
    });
    expect(sim.steps[1]).toMatchObject({ status: 'pass', title: 'Authentication mode' });
    expect(sim.determined).toBe(true);
    expect(sim.decision.authenticated).toBe(true);
  });

  it('an unread mode: the would-be identity is told, nothing is decided', () => {
    const sim = simulate(alice, {
      unavailable: { cluster: 'eks:DescribeCluster was denied' },
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE, 'admin:{{SessionName}}', '[devs]') }),
    });
    expect(sim.steps.filter((s) => s.stage === 'authentication').slice(-2)).toEqual([
      {
        stage: 'authentication',
        title: 'Username and groups',
        status: 'pass',
        detail: 'username "admin:alice", groups [devs]',
      },
      {
        stage: 'authentication',
        title: 'Result',
        status: 'warn',
        detail:
          'undetermined: in CONFIG_MAP mode this would authenticate as "admin:alice" via aws-auth, but the mode could not be read',
      },
    ]);
    expect(sim.decision).toEqual({ authenticated: false, source: null, username: null, groups: [] });
    expect(sim.policies).toEqual([]);
    expect(sim.unread).toEqual(['cluster']);
  });
});

describe('authorization summaries', () => {
  const policy = (name: string, namespaces: string[] = []): AssociatedAccessPolicy => ({
    policyArn: `arn:aws:eks::aws:cluster-access-policy/${name}`,
    accessScope: namespaces.length ? { type: 'namespace', namespaces } : { type: 'cluster', namespaces: [] },
  });
  const summary = (policies: AssociatedAccessPolicy[], groups: string[] = []) =>
    simulate(alice, {
      cluster: clusterIn('API'),
      accessEntries: [entry(ROLE, { associatedAccessPolicies: policies, kubernetesGroups: groups })],
    }).authorization;

  it('a cluster-wide admin association is named with its scope', () => {
    expect(summary([policy('AmazonEKSViewPolicy', ['dev']), policy('AmazonEKSClusterAdminPolicy')])).toEqual({
      clusterAdmin: true,
      likelyForbidden: false,
      summary: 'access policy AmazonEKSClusterAdminPolicy (cluster-wide): cluster-admin',
    });
  });

  it('several access policies are listed, separated by semicolons, then the groups', () => {
    const s = summary([policy('AmazonEKSViewPolicy'), policy('AmazonEKSEditPolicy', ['dev'])], ['devs']);
    expect(s).toMatchObject({ clusterAdmin: false, likelyForbidden: false });
    expect(s.summary).toBe(
      'access policies: AmazonEKSViewPolicy (cluster-wide); AmazonEKSEditPolicy (namespaces dev); RBAC for groups devs decide what is allowed',
    );
  });

  it('a mapping with no groups and no policies that is not the assumed creator entry: only discovery', () => {
    const s = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: `- rolearn: ${ROLE}\n  username: a\n` }),
    }).authorization;
    expect(s).toMatchObject({ clusterAdmin: false, likelyForbidden: true });
  });
});

describe('near misses', () => {
  const nearMisses = (who: typeof alice, evidence: Evidence) => simulate(who, evidence).nearMisses;

  it('an ARN with spaces in another account is still recognised as the principal there', () => {
    const misses = nearMisses(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(`" arn:aws:iam::${OTHER}:role/Admin "`) }),
    });
    expect(misses).toMatchObject([
      {
        checkId: 'identity/account-mismatch',
        detail: `mapRoles[0] (line 9) names Admin in account ${OTHER}, but the principal is in ${ACCOUNT} (cluster account ${ACCOUNT})`,
      },
    ]);
  });

  it('without cluster info the account mismatch names no cluster account', () => {
    const [miss] = nearMisses(alice, { awsAuth: awsAuthFrom({ mapRoles: row(`arn:aws:iam::${OTHER}:role/Admin`) }) });
    expect(miss?.detail).toBe(
      `mapRoles[0] (line 9) names Admin in account ${OTHER}, but the principal is in ${ACCOUNT}`,
    );
  });

  it('each near miss points at the ARN field, not at the row', () => {
    const text = usernameFirst('mapRoles', [
      `arn:aws:iam::${OTHER}:role/Admin`,
      `"arn:aws:iam::${ACCOUNT}:role/Admin "`,
      `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
      `arn:aws:iam::${ACCOUNT}:role/team/Admin`,
      `arn:aws:iam::${ACCOUNT}:role/Adm*`,
    ]);
    const misses = nearMisses(alice, { cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFromText(text) });
    expect(misses.map((m) => [m.checkId, where(m.location)])).toEqual([
      ['identity/account-mismatch', at(text, 'rolearn', 0)],
      ['aws-auth/malformed-arn', at(text, 'rolearn', 1)],
      ['aws-auth/assumed-role-arn', at(text, 'rolearn', 2)],
      ['aws-auth/role-arn-has-path', at(text, 'rolearn', 3)],
      ['aws-auth/unsupported-principal', at(text, 'rolearn', 4)],
    ]);
    expect(misses[3]?.detail).toBe(
      `mapRoles[3] (line 14) has the IAM path /team/; EKS compares against arn:aws:iam::${ACCOUNT}:role/Admin`,
    );
  });

  it('an upper-case ARN with spaces inside its quotes is still recognised as meant for the principal', () => {
    const misses = nearMisses(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(`" ARN:AWS:IAM::${ACCOUNT}:ROLE/ADMIN "`) }),
    });
    expect(misses.map((m) => m.checkId)).toEqual(['aws-auth/malformed-arn']);
  });

  it('a quoted wildcard with spaces is read trimmed, as the row it was meant to be', () => {
    const misses = nearMisses(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(`" arn:aws:iam::${ACCOUNT}:role/Adm* "`) }),
    });
    expect(misses.map((m) => m.detail)).toEqual([
      `mapRoles[0] (line 9) arn:aws:iam::${ACCOUNT}:role/Adm* looks meant to cover this principal, but aws-auth matches exact role and user ARNs only`,
    ]);
  });

  it('a group row names users only, and only in their own account', () => {
    const groupRows = awsAuthFrom({
      mapUsers: `- userarn: arn:aws:iam::${OTHER}:group/dev\n  username: x\n- userarn: arn:aws:iam::${ACCOUNT}:group/dev\n  username: y\n`,
    });
    expect(nearMisses(bob, { cluster: clusterIn('CONFIG_MAP'), awsAuth: groupRows }).map((m) => m.detail)).toEqual([
      `mapUsers[1] (line 9) arn:aws:iam::${ACCOUNT}:group/dev looks meant to cover this principal, but aws-auth matches exact role and user ARNs only`,
    ]);
    expect(nearMisses(alice, { cluster: clusterIn('CONFIG_MAP'), awsAuth: groupRows })).toEqual([]);
  });

  it('the account root mapped by its own ARN is a match, not a near miss', () => {
    const sim = simulate(rootUser, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:root\n  username: root\n` }),
    });
    expect(sim.decision).toMatchObject({ authenticated: true, username: 'root' });
    expect(sim.nearMisses).toEqual([]);
  });

  it('a row EKS drops (rolearn and sso both given) is no near miss: its own check reports it', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({
        mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/team/Admin\n  sso:\n    permissionSetName: Admin\n    accountID: "${ACCOUNT}"\n  username: a\n`,
      }),
    });
    expect(sim.nearMisses).toEqual([]);
  });

  it('an exact row (any case) raises no near miss', () => {
    const sim = simulate(alice, {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(`arn:aws:iam::${ACCOUNT}:role/ADMIN`) }),
    });
    expect(sim.decision.authenticated).toBe(true);
    expect(sim.nearMisses).toEqual([]);
  });

  describe('an emptied aws-auth with node groups', () => {
    const nodes = {
      nodegroups: [{ nodegroupName: 'ng', nodeRole: `arn:aws:iam::${ACCOUNT}:role/Node`, healthIssues: [] }],
      fargateProfiles: [{ fargateProfileName: 'fp', podExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/Pod` }],
    } as unknown as Evidence;
    const ids = (evidence: Evidence) => nearMisses(alice, { ...nodes, ...evidence }).map((m) => m.checkId);

    it('is flagged in CONFIG_MAP, where nodes depend on it', () => {
      expect(ids({ cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFrom({}) })).toEqual([
        'aws-auth/missing-or-replaced',
      ]);
      expect(ids({ cluster: clusterIn('CONFIG_MAP'), awsAuth: { state: 'absent' } })).toEqual([
        'aws-auth/missing-or-replaced',
      ]);
    });

    it('is not flagged with access entries in play', () => {
      expect(ids({ cluster: clusterIn('API_AND_CONFIG_MAP'), accessEntries: [], awsAuth: awsAuthFrom({}) })).toEqual(
        [],
      );
    });

    it('is not flagged when the rows sit under a miscased key (that is key-casing)', () => {
      expect(
        ids({
          cluster: clusterIn('CONFIG_MAP'),
          awsAuth: awsAuthFrom({ maproles: row(ROLE) } as never),
        }),
      ).toEqual(['aws-auth/key-casing']);
    });
  });
});
