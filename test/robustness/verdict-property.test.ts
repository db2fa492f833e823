import fc from 'fast-check';
import { describe, test } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { diagnose } from '../../src/core/diagnose.js';
import type { AccessEntry, AuthenticationMode, Evidence } from '../../src/model/evidence.js';
import { creatorFromArn } from '../../src/model/principal.js';
import { expectCoherent } from '../helpers/coherence.js';
import { awsAuthFrom, principal } from '../helpers/evidence.js';

const ACCOUNT = '111122223333';
const ROLES = ['Admin', 'dev', 'nodes', 'ops/Admin'];
const SESSIONS = ['alice', 'i-0123456789abcdef0', 'jane@example.com', 'fargate-ip-10-0-1-2.compute.internal'];

const principalArn = fc.oneof(
  fc
    .tuple(fc.constantFrom(...ROLES), fc.constantFrom(...SESSIONS))
    .map(([role, session]) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role.split('/').pop() ?? role}/${session}`),
  fc.constantFrom(...ROLES).map((role) => `arn:aws:iam::${ACCOUNT}:role/${role}`),
  fc.constantFrom('ci', 'owner').map((user) => `arn:aws:iam::${ACCOUNT}:user/${user}`),
);

const USERNAMES = [
  'admin',
  '{{SessionName}}',
  'x:{{SessionNameRaw}}',
  'system:node:{{EC2PrivateDNSName}}',
  'dev-{{Unknown}}',
  '',
];
const GROUPS = ['[system:masters]', '[developers]', '[]', '[system:nodes, system:bootstrappers]'];
const row = fc
  .tuple(
    fc.constantFrom('rolearn', 'userarn'),
    fc.oneof(
      fc.constantFrom(...ROLES).map((r) => `arn:aws:iam::${ACCOUNT}:role/${r}`),
      fc.constantFrom('ci', 'owner').map((u) => `arn:aws:iam::${ACCOUNT}:user/${u}`),
      fc.constant(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`),
    ),
    fc.constantFrom(...USERNAMES),
    fc.constantFrom(...GROUPS),
  )
  .map(([key, arn, username, groups]) => `- ${key}: ${arn}\n  username: "${username}"\n  groups: ${groups}\n`);

const accessEntry: fc.Arbitrary<AccessEntry> = fc.record(
  {
    principalArn: fc.oneof(
      fc.constantFrom(...ROLES).map((r) => `arn:aws:iam::${ACCOUNT}:role/${r}`),
      fc.constantFrom('ci', 'owner').map((u) => `arn:aws:iam::${ACCOUNT}:user/${u}`),
    ),
    type: fc.constantFrom('STANDARD', 'EC2_LINUX', 'FARGATE_LINUX', 'HYBRID_LINUX', 'EC2'),
    kubernetesGroups: fc.constantFrom([], ['developers'], ['system:masters']),
    associatedAccessPolicies: fc.constantFrom(
      undefined,
      [],
      [
        {
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          accessScope: { type: 'cluster' as const, namespaces: [] },
        },
      ],
    ),
    username: fc.constantFrom(undefined, 'ci:{{SessionName}}', 'ops:{{SessionNameRaw}}'),
  },
  { requiredKeys: ['principalArn', 'type', 'kubernetesGroups'] },
);

const evidence: fc.Arbitrary<Evidence> = fc
  .record({
    who: principalArn,
    mode: fc.constantFrom<AuthenticationMode | undefined>(undefined, 'CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'),
    bootstrap: fc.constantFrom(undefined, true, false),
    rows: fc.option(fc.array(row, { maxLength: 4 })),
    entries: fc.option(fc.array(accessEntry, { maxLength: 3 })),
    creator: fc.option(principalArn),
    unreadCluster: fc.boolean(),
  })
  .map(({ who, mode, bootstrap, rows, entries, creator, unreadCluster }) => {
    const e: Evidence = { principal: principal(who) };
    if (mode)
      e.cluster = {
        name: 'c',
        accountId: ACCOUNT,
        authenticationMode: mode,
        ...(bootstrap !== undefined ? { bootstrapClusterCreatorAdminPermissions: bootstrap } : {}),
      };
    else if (unreadCluster) e.unavailable = { cluster: 'eks:DescribeCluster could not be reached: ECONNREFUSED' };
    if (rows)
      e.awsAuth = awsAuthFrom({
        mapRoles: rows.filter((r) => r.includes('rolearn')).join(''),
        mapUsers: rows.filter((r) => r.includes('userarn')).join(''),
      });
    if (entries) e.accessEntries = entries;
    if (creator) e.creator = creatorFromArn(creator, 'flag');
    return e;
  });

describe('explain: one coherent verdict for any evidence (fast-check)', () => {
  test('verdict, root cause, findings and exit code agree in every format', () => {
    fc.assert(
      fc.property(evidence, (e) => {
        expectCoherent(
          diagnose('explain', e, CHECKS),
          JSON.stringify({ principal: e.principal?.input, mode: e.cluster?.authenticationMode }),
        );
      }),
      { numRuns: 400 },
    );
  });
});
