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
});
