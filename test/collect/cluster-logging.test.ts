import { describe, expect, test } from 'vitest';
import { clusterInfoFromJson } from '../../src/inputs/cluster-info.js';

describe("DescribeCluster's logging.clusterLogging is kept in evidence", () => {
  test('the types of enabled items, once each, sorted', () => {
    const info = clusterInfoFromJson({
      cluster: {
        name: 'prod',
        logging: {
          clusterLogging: [
            { types: ['authenticator', 'audit'], enabled: true },
            { types: ['api', 'controllerManager', 'scheduler'], enabled: false },
            { types: ['audit'], enabled: true },
          ],
        },
      },
    });
    expect(info.ok && info.value.enabledLogTypes).toEqual(['audit', 'authenticator']);
  });

  test('all off is known (empty); no logging field is unknown (absent)', () => {
    const off = clusterInfoFromJson({
      cluster: { name: 'prod', logging: { clusterLogging: [{ types: ['api'], enabled: false }] } },
    });
    expect(off.ok && off.value.enabledLogTypes).toEqual([]);
    const unknown = clusterInfoFromJson({ cluster: { name: 'prod' } });
    expect(unknown.ok && 'enabledLogTypes' in unknown.value).toBe(false);
  });
});
