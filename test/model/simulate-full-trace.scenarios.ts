import type { ClusterInfo, Evidence } from '../../src/model/evidence.js';
import type { Principal } from '../../src/model/principal.js';
import type { Simulation } from '../../src/model/simulate.js';
import { ACCOUNT, awsAuthFrom, clusterIn, entry, principal } from '../helpers/evidence.js';

/** Situations covering every branch of simulate()'s trace, each read as a user reads `explain`. */
export interface Scenario {
  name: string;
  principal: Principal;
  evidence: Evidence;
}

const OTHER = '444455556666';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const aliceSession = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`);
const pathRole = principal(`arn:aws:iam::${ACCOUNT}:role/team/ops/Admin`);
const bob = principal(`arn:aws:iam::${ACCOUNT}:user/dev/bob`);
const nodeSession = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Node/i-0123456789abcdef0`);
const adminPolicy = {
  policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
  accessScope: { type: 'cluster' as const, namespaces: [] },
};
const viewPolicy = {
  policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
  accessScope: { type: 'namespace' as const, namespaces: ['dev', 'qa'] },
};
const row = (arn: string, username = 'admin', groups = '[system:masters]') =>
  `- rolearn: ${arn}\n  username: ${username}\n  groups: ${groups}\n`;

export const SCENARIOS: Scenario[] = [
  {
    name: 'CONFIG_MAP: a role session matched by its role row',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE, 'admin:{{SessionName}}'), mapAccounts: `- ${OTHER}\n` }),
      creator: { arn: `arn:aws:iam::${ACCOUNT}:role/Creator`, source: 'flag' },
    },
  },
  {
    name: 'CONFIG_MAP: a user with a path, mapped only by mapAccounts',
    principal: bob,
    evidence: {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE), mapAccounts: `- ${ACCOUNT}\n` }),
    },
  },
  {
    name: 'CONFIG_MAP: near misses of a role with a path',
    principal: pathRole,
    evidence: {
      cluster: { ...(clusterIn('CONFIG_MAP') as ClusterInfo), accountId: OTHER },
      awsAuth: awsAuthFrom({
        mapRoles: [
          row(`arn:aws:iam::${ACCOUNT}:role/team/ops/Admin`),
          row(`arn:aws:iam::${OTHER}:role/Admin`),
          row(`"arn:aws:iam::${ACCOUNT}:role/Admin "`),
          row(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`),
          row(`arn:aws:iam::${ACCOUNT}:role/Adm*`),
          row(`arn:aws:iam::${ACCOUNT}:root`),
          row(`arn:aws:iam::${OTHER}:role/Other`),
        ].join(''),
        mapAccounts: `a: ${ACCOUNT}\n`,
      }),
      creator: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Creator/x`, source: 'cloudtrail' },
    },
  },
  {
    name: 'CONFIG_MAP: a user near a group ARN, with a miscased key, unread mode',
    principal: bob,
    evidence: {
      awsAuth: awsAuthFrom({
        mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:group/dev\n  username: bob\n`,
        maproles: row(`arn:aws:iam::${ACCOUNT}:user/bob`),
      } as never),
      unavailable: { cluster: 'eks:DescribeCluster was denied' },
    },
  },
  {
    name: 'CONFIG_MAP: broken blocks lose the rows for this principal',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({
        mapRoles: `${row(ROLE)}- rolearn: x\n\tusername: y\n`,
        mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/a\n  username: {{SessionName}}\n`,
      }),
      nodegroups: [{ nodegroupName: 'ng', nodeRole: `arn:aws:iam::${ACCOUNT}:role/Node`, healthIssues: [] }],
    },
  },
  {
    name: 'CONFIG_MAP: emptied aws-auth with node groups',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: '', mapAccounts: `- [${ACCOUNT}\n` }),
      fargateProfiles: [{ fargateProfileName: 'fp', podExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/Pod` }],
    } as Evidence,
  },
  {
    name: 'CONFIG_MAP: aws-auth absent with node groups, creator elsewhere',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: { state: 'absent' },
      creator: { arn: `arn:aws:iam::${ACCOUNT}:user/root-user`, source: 'cloudtrail' },
      nodegroups: [{ nodegroupName: 'ng', nodeRole: `arn:aws:iam::${ACCOUNT}:role/Node`, healthIssues: [] }],
    },
  },
  {
    name: 'CONFIG_MAP: the creator, bootstrap off',
    principal: aliceSession,
    evidence: {
      cluster: { ...(clusterIn('CONFIG_MAP') as ClusterInfo), bootstrapClusterCreatorAdminPermissions: false },
      awsAuth: awsAuthFrom({ mapRoles: row(`arn:aws:iam::${ACCOUNT}:role/Other`) }),
      creator: { arn: ROLE, source: 'flag' },
    },
  },
  {
    name: 'CONFIG_MAP: the creator, mapped invisibly',
    principal: aliceSession,
    evidence: { cluster: clusterIn('CONFIG_MAP'), creator: { arn: ROLE, source: 'cloudtrail' } },
  },
  {
    name: 'API_AND_CONFIG_MAP: the creator with entries not given',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('API_AND_CONFIG_MAP'),
      creator: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob`, source: 'cloudtrail' },
      unavailable: { accessEntries: 'eks:ListAccessEntries was denied' },
    },
  },
  {
    name: 'API: the creator with no entry',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('API'),
      accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/Other`)],
      creator: { arn: ROLE, source: 'flag' },
    },
  },
  {
    name: 'API_AND_CONFIG_MAP: an entry shadows a row; cluster-admin policy',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('API_AND_CONFIG_MAP'),
      accessEntries: [
        entry(ROLE, {
          username: 'ent-{{SessionName}}',
          kubernetesGroups: ['devs'],
          associatedAccessPolicies: [adminPolicy, viewPolicy],
        }),
      ],
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE) }),
    },
  },
  {
    name: 'API: an entry with a namespaced policy and groups; the row is ignored',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('API'),
      accessEntries: [entry(ROLE, { kubernetesGroups: ['devs'], associatedAccessPolicies: [viewPolicy] })],
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE) }),
    },
  },
  {
    name: 'API: an entry with nothing: only discovery',
    principal: aliceSession,
    evidence: { cluster: clusterIn('API'), accessEntries: [entry(ROLE)], awsAuth: awsAuthFrom({ mapUsers: '' }) },
  },
  {
    name: 'API_AND_CONFIG_MAP: entries not given, aws-auth not given, creator unknown after a CloudTrail lookup',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('API_AND_CONFIG_MAP'),
      clusterLookup: { name: 'prod', region: 'eu-west-1', regionSource: '--region', found: true },
    },
  },
  {
    name: 'assumed mode: entries given, none matches, aws-auth unreadable',
    principal: aliceSession,
    evidence: {
      accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/Other`)],
      unavailable: { awsAuth: 'configmaps "aws-auth" is forbidden', creator: 'cloudtrail:LookupEvents was denied' },
    },
  },
  {
    name: 'a node role with an instance-id session renders its DNS name',
    principal: nodeSession,
    evidence: {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({
        mapRoles: row(
          `arn:aws:iam::${ACCOUNT}:role/Node`,
          'system:node:{{EC2PrivateDNSName}}',
          '[system:bootstrappers, system:nodes]',
        ),
      }),
    },
  },
  {
    name: 'a group template that cannot render fails authentication',
    principal: aliceSession,
    evidence: {
      cluster: clusterIn('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: row(ROLE, 'admin', '["{{EC2PrivateDNSName}}"]') }),
    },
  },
  {
    name: 'an empty username',
    principal: aliceSession,
    evidence: { cluster: clusterIn('CONFIG_MAP'), awsAuth: awsAuthFrom({ mapRoles: `- rolearn: ${ROLE}\n` }) },
  },
];

/** What the user reads of a simulation, in a shape that diffs well. */
export const readableTrace = (sim: Simulation) => ({
  determined: sim.determined,
  unread: sim.unread,
  failureMessage: sim.failureMessage ?? null,
  authorization: sim.authorization,
  steps: sim.steps.map((s) => `${s.stage} | ${s.title} | ${s.status} | ${s.detail}`),
  nearMisses: sim.nearMisses.map((n) => `${n.checkId} | ${n.detail} | line ${n.location?.line ?? '-'}`),
});
