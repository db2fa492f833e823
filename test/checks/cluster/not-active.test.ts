import { describe, expect, test } from 'vitest';
import check from '../../../checks/cluster/not-active.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
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
});
