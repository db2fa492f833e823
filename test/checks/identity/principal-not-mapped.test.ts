import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/principal-not-mapped.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFrom, contextFor, entry, principal } from '../../helpers/evidence.js';
import { fixText } from '../../helpers/check-table.js';

const agent = principal(`arn:aws:iam::${ACCOUNT}:role/tfc-agent`);
const nodeRow = `- rolearn: arn:aws:iam::${ACCOUNT}:role/nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`;
const cluster = (
  mode: 'CONFIG_MAP' | 'API_AND_CONFIG_MAP' | 'API',
  extra: Partial<NonNullable<Evidence['cluster']>> = {},
) => ({ name: 'platform', region: 'us-west-2', accountId: ACCOUNT, authenticationMode: mode, ...extra });

describe('identity/principal-not-mapped', () => {
  test.each<[string, Evidence]>([
    [
      'mapped in aws-auth',
      {
        principal: agent,
        cluster: cluster('CONFIG_MAP'),
        awsAuth: awsAuthFrom({
          mapRoles: `- rolearn: ${agent.canonicalArn}\n  username: agent\n  groups: [system:masters]\n`,
        }),
      },
    ],
    [
      'the creator in CONFIG_MAP',
      {
        principal: agent,
        cluster: cluster('CONFIG_MAP'),
        awsAuth: awsAuthFrom({ mapRoles: nodeRow }),
        creator: { arn: agent.iamArn, source: 'flag' },
      },
    ],
    [
      'has an access entry',
      {
        principal: agent,
        cluster: cluster('API'),
        accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/ci/tfc-agent`)],
      },
    ],
    ['aws-auth not given: undetermined, not a verdict', { principal: agent, cluster: cluster('CONFIG_MAP') }],
    [
      'a near miss explains it better (path in the row)',
      {
        principal: agent,
        cluster: cluster('CONFIG_MAP'),
        awsAuth: awsAuthFrom({ mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/ci/tfc-agent\n  username: a\n` }),
      },
    ],
    ['no principal given', { awsAuth: awsAuthFrom({ mapRoles: nodeRow }) }],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails in CONFIG_MAP, naming the creator (seed 2)', () => {
    const hits = check.run(
      contextFor({
        principal: agent,
        cluster: cluster('CONFIG_MAP'),
        awsAuth: awsAuthFrom({ mapRoles: nodeRow }),
        creator: { arn: `arn:aws:iam::${ACCOUNT}:role/terraform-local`, source: 'flag' },
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'notMappedConfigMap',
        affectsPrincipal: true,
        data: { canonical: agent.canonicalArn, cluster: 'platform', region: 'us-west-2' },
      },
    ]);
    expect(String(hits[0]?.data.creatorNote)).toContain('terraform-local');
  });

  test('fails in API mode with an access-entry fix that keeps the real path when known', () => {
    const withPath = principal(`arn:aws:iam::${ACCOUNT}:role/ci/tfc-agent`);
    const hits = check.run(
      contextFor({
        principal: withPath,
        cluster: cluster('API'),
        accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/other`)],
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'notMappedApi',
        data: {
          entryArn: `arn:aws:iam::${ACCOUNT}:role/ci/tfc-agent`,
          canonical: `arn:aws:iam::${ACCOUNT}:role/tfc-agent`,
        },
      },
    ]);
  });

  test('fails for a creator whose access entry was deleted (API mode)', () => {
    const hits = check.run(
      contextFor({
        principal: agent,
        cluster: cluster('API_AND_CONFIG_MAP'),
        accessEntries: [],
        awsAuth: awsAuthFrom({ mapRoles: nodeRow }),
        creator: { arn: agent.iamArn, source: 'flag' },
      }),
    );
    expect(hits).toMatchObject([{ messageId: 'notMappedApi' }]);
    expect(String(hits[0]?.data.creatorNote)).toContain('creator grant is gone');
  });

  test('an STS principal gets a command that looks its path up', () => {
    const hits = check.run(
      contextFor({
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/tfc-agent/run-1`),
        cluster: cluster('API'),
        accessEntries: [],
      }),
    );
    expect(fixText(hits[0]?.data.pathLookup)).toBe(
      'aws iam get-role --role-name tfc-agent --query Role.Arn --output text   # the role ARN with its path: put it in place of the ARN with PATH below',
    );
    expect(hits[0]?.data.entryArn).toBe(`arn:aws:iam::${ACCOUNT}:role/PATH/tfc-agent`);
  });

  test('an STS principal whose role doctor read from IAM gets its real ARN, path included, not a placeholder', () => {
    const hits = check.run(
      contextFor({
        principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/tfc-agent/run-1`),
        principalDetails: { arn: `arn:aws:iam::${ACCOUNT}:role/ci/tfc-agent`, path: '/ci/' },
        cluster: cluster('API'),
        accessEntries: [],
      }),
    );
    expect(hits[0]?.data.entryArn).toBe(`arn:aws:iam::${ACCOUNT}:role/ci/tfc-agent`);
    expect(fixText(hits[0]?.data.pathLookup)).not.toContain('PATH');
  });

  test('CONFIG_MAP: the kubectl fix is one exact patch appending the row (a user goes to mapUsers)', () => {
    const patchOf = (evidence: Evidence): Record<string, unknown> => {
      const lines = hitsFor(evidence)[0]?.data.mapRow as { kind: string; chain: { argv: string[] }[][] }[];
      const argv = lines.find((l) => l.kind === 'run')?.chain[0]?.[0]?.argv ?? [];
      expect(argv.slice(0, 7)).toEqual(['kubectl', 'patch', 'configmap', 'aws-auth', '-n', 'kube-system', '--type']);
      return JSON.parse(argv.at(-1) ?? '{}') as Record<string, unknown>;
    };
    const hitsFor = (evidence: Evidence) => check.run(contextFor(evidence));
    const roleData = patchOf({
      principal: agent,
      cluster: cluster('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: nodeRow }),
    }).data as Record<string, string>;
    expect(roleData.mapRoles).toContain('rolearn: arn:aws:iam::' + ACCOUNT + ':role/nodes');
    expect(roleData.mapRoles).toContain(
      `- rolearn: ${agent.canonicalArn}\n  username: tfc-agent\n  groups:\n    - system:masters\n`,
    );
    const user = principal(`arn:aws:iam::${ACCOUNT}:user/alice`);
    const userData = patchOf({
      principal: user,
      cluster: cluster('CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: nodeRow }),
    }).data as Record<string, string>;
    expect(Object.keys(userData)).toEqual(['mapUsers']);
    expect(userData.mapUsers).toContain(`userarn: arn:aws:iam::${ACCOUNT}:user/alice`);
  });
});

describe('identity/principal-not-mapped: what was checked, and the names the fix uses', () => {
  const user = principal(`arn:aws:iam::${ACCOUNT}:user/Jane.Doe`);
  const values = (evidence: Evidence) => {
    const hits = check.run(contextFor({ principal: user, ...evidence }));
    expect(hits).toHaveLength(1);
    return hits[0];
  };

  test('an IAM user in API_AND_CONFIG_MAP: rows and entries counted, mapUsers, the user ARN as the entry', () => {
    const hit = values({
      cluster: cluster('API_AND_CONFIG_MAP'),
      awsAuth: awsAuthFrom({ mapRoles: nodeRow }),
      accessEntries: [entry(`arn:aws:iam::${ACCOUNT}:role/x`), entry(`arn:aws:iam::${ACCOUNT}:role/y`)],
    });
    expect(hit).toMatchObject({
      messageId: 'notMappedApi',
      subject: { kind: 'principal', name: user.canonicalArn },
      affectsPrincipal: true,
      data: {
        canonical: user.canonicalArn,
        rows: '1 row checked',
        entries: '2 checked',
        awsAuthNote: ' and no aws-auth row',
        creatorNote: 'it is not known to be the cluster creator (pass --creator to check)',
        cluster: 'platform',
        region: 'us-west-2',
        username: 'Jane.Doe',
        entryArn: user.canonicalArn,
        terraformBlock: 'aws_auth_users',
        arnKey: 'userarn',
        entryKey: 'Jane_Doe',
      },
    });
  });

  test.each<[string, Evidence, string, string]>([
    [
      'aws-auth absent',
      { cluster: cluster('API_AND_CONFIG_MAP'), awsAuth: { state: 'absent' } },
      'the ConfigMap does not exist',
      '',
    ],
    ['API mode, aws-auth not read', { cluster: cluster('API') }, '0 rows checked', ''],
    [
      'rows of both blocks counted',
      {
        cluster: cluster('API'),
        awsAuth: awsAuthFrom({
          mapRoles: nodeRow,
          mapUsers: `- userarn: arn:aws:iam::${ACCOUNT}:user/a\n  username: a\n- userarn: arn:aws:iam::${ACCOUNT}:user/b\n  username: b\n`,
        }),
      },
      '3 rows checked',
      '',
    ],
    [
      'API mode with aws-auth present (ignored there)',
      { cluster: cluster('API'), awsAuth: awsAuthFrom({ mapRoles: nodeRow + nodeRow.replace('nodes\n', 'nodes2\n') }) },
      '2 rows checked',
      '',
    ],
  ])('%s: rows %j, aws-auth note %j', (_, evidence, rows, awsAuthNote) => {
    expect(values({ accessEntries: [], ...evidence })?.data).toMatchObject({ rows, awsAuthNote, entries: '0 checked' });
  });

  test('the creator whose grant is gone (bootstrap on) is told so; with bootstrap off the creator check speaks instead', () => {
    const creator = { arn: user.iamArn, source: 'flag' as const };
    expect(values({ cluster: cluster('API'), accessEntries: [], creator })?.data.creatorNote).toBe(
      'although it created the cluster, its creator grant is gone (in API it lives in an access entry)',
    );
    expect(
      check.run(
        contextFor({
          principal: user,
          cluster: cluster('API', { bootstrapClusterCreatorAdminPermissions: false }),
          accessEntries: [],
          creator,
        }),
      ),
    ).toEqual([]);
  });
});
