import { describe, expect, test } from 'vitest';
import check from '../../../checks/cluster/not-found.js';
import type { ClusterLookup, Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, contextFor } from '../../helpers/evidence.js';
import { expectRendered } from '../_live.js';

const lookup = (fields: Partial<ClusterLookup>): ClusterLookup => ({
  name: 'platform',
  region: 'us-east-1',
  regionSource: 'profile dev',
  found: false,
  ...fields,
});
const caller = {
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  account: ACCOUNT,
  userId: 'AIDA',
  credentialSource: 'profile dev (~/.aws/credentials)',
};

describe('cluster/not-found', () => {
  test.each<[string, Evidence]>([['found', { clusterLookup: lookup({ found: true }) }]])(
    'passes: %s',
    (_, evidence) => {
      expect(check.run(contextFor(evidence))).toEqual([]);
    },
  );

  test('fails: in another region, saying where the asked region came from', () => {
    const hits = check.run(contextFor({ caller, clusterLookup: lookup({ foundInRegions: ['eu-west-1'] }) }));
    expect(hits).toMatchObject([
      {
        messageId: 'foundElsewhere',
        affectsPrincipal: true,
        subject: { kind: 'cluster', name: 'platform' },
        data: {
          name: 'platform',
          region: 'us-east-1',
          regionSource: 'profile dev',
          regions: 'eu-west-1',
          suggested: 'eu-west-1',
        },
      },
    ]);
    expectRendered(check, hits);
  });

  test.each<[string, Partial<ClusterLookup>, string]>([
    ['no other region has it', { foundInRegions: [] }, ' and no other region searched has one either'],
    ['other regions were not searched', {}, ' (other regions were not searched)'],
    [
      'only the asked region is listed',
      { foundInRegions: ['us-east-1'] },
      ' and no other region searched has one either',
    ],
    [
      'none of the regions searched has it',
      { foundInRegions: [], searchedRegions: ['us-east-2', 'eu-west-1'] },
      ' and none of the 2 other default regions has one either (opt-in regions are not searched: name one with --region)',
    ],
    [
      'no region answered the search',
      { foundInRegions: [], searchedRegions: [] },
      ' (no other region answered the search: none could be checked)',
    ],
  ])('fails: not found, %s', (_, search, elsewhereNote) => {
    const hits = check.run(contextFor({ caller, clusterLookup: lookup(search) }));
    expect(hits).toMatchObject([
      { messageId: 'notFound', data: { account: ACCOUNT, elsewhereNote, regionSource: 'profile dev' } },
    ]);
    expectRendered(check, hits);
  });

  test('the whole finding: several other regions, the first suggested; no caller, a profile', () => {
    const hits = check.run(
      contextFor({
        credentialEnv: { profile: 'dev', staticKeys: false },
        clusterLookup: lookup({ name: 'team-a.prod', foundInRegions: ['us-east-1', 'eu-west-1', 'ap-south-1'] }),
      }),
    );
    expect(hits).toEqual([
      {
        messageId: 'foundElsewhere',
        subject: { kind: 'cluster', name: 'team-a.prod' },
        affectsPrincipal: true,
        data: {
          name: 'team-a.prod',
          nameShell: 'team-a.prod',
          nameUpper: 'TEAM_A_PROD',
          region: 'us-east-1',
          regionSource: 'profile dev',
          account: 'the caller',
          regions: 'eu-west-1, ap-south-1',
          suggested: 'eu-west-1',
          elsewhereNote: ' and no other region searched has one either',
          profileFlag: ['--profile', 'dev'],
        },
      },
    ]);
  });

  test('three regions searched, none has it: nothing suggested', () => {
    const hits = check.run(
      contextFor({
        clusterLookup: lookup({ foundInRegions: [], searchedRegions: ['us-west-2', 'eu-west-1', 'ap-south-1'] }),
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'notFound',
        data: {
          suggested: '',
          regions: '',
          profileFlag: [],
          elsewhereNote:
            ' and none of the 3 other default regions has one either (opt-in regions are not searched: name one with --region)',
        },
      },
    ]);
  });

  test('passes: no lookup made', () => {
    expect(check.run(contextFor({ caller }))).toEqual([]);
  });
});
