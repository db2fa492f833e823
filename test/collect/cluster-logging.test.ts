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

describe("DescribeCluster's roleArn (the cluster's service role) is kept in evidence", () => {
  test('kept as given, so node fixes can tell it from a node role', () => {
    const arn = 'arn:aws:iam::111122223333:role/eksClusterRole';
    const info = clusterInfoFromJson({ cluster: { name: 'prod', roleArn: arn } });
    expect(info.ok && info.value.roleArn).toBe(arn);
  });
});
