import { describe, expect, test } from 'vitest';
import check from '../../../checks/cluster/not-active.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { renderHit } from '../../../src/core/run-checks.js';
import { CLUSTER, expectRendered } from '../_live.js';

describe('cluster/not-active', () => {
  test.each<[string, Evidence]>([
    ['ACTIVE', { cluster: CLUSTER }],
    ['status unknown', { cluster: { name: 'platform' } }],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test.each<[string, string, boolean]>([
    ['CREATING', 'creating', true],
    ['PENDING', 'creating', true],
    ['UPDATING', 'updating', false],
    ['DELETING', 'deleting', true],
    ['FAILED', 'failed', true],
  ])('fails: %s', (status, messageId, affectsPrincipal) => {
    const hits = check.run(contextFor({ cluster: { ...CLUSTER, status } }));
    expect(hits).toMatchObject([
      { messageId, affectsPrincipal, data: { status, cluster: 'platform', region: 'eu-west-1' } },
    ]);
    expectRendered(check, hits);
  });

  test('the whole finding: the status as DescribeCluster gives it in any case, the name made a placeholder', () => {
    const hits = check.run(contextFor({ cluster: { ...CLUSTER, name: 'team-a.prod', status: 'deleting' } }));
    expect(hits).toEqual([
      {
        messageId: 'deleting',
        subject: { kind: 'cluster', name: 'team-a.prod' },
        affectsPrincipal: true,
        data: { cluster: 'team-a.prod', clusterUpper: 'TEAM_A_PROD', region: 'eu-west-1', status: 'DELETING' },
      },
    ]);
  });

  test('UPDATING is a warning, the others errors', () => {
    const severity = (status: string) => {
      const [hit] = check.run(contextFor({ cluster: { ...CLUSTER, status } }));
      if (!hit) throw new Error(`no finding for ${status}`);
      return renderHit(check, hit).severity;
    };
    expect(['CREATING', 'UPDATING', 'DELETING', 'FAILED'].map(severity)).toEqual([
      'error',
      'warning',
      'error',
      'error',
    ]);
  });

  test.each([['ACTIVE'], ['active'], ['SOMETHING_NEW'], ['']])('passes: status %j', (status) => {
    expect(check.run(contextFor({ cluster: { ...CLUSTER, status } }))).toEqual([]);
  });

  test('passes: no cluster', () => {
    expect(check.run(contextFor({}))).toEqual([]);
  });
});
