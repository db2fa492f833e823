import { describe, expect, test } from 'vitest';
import { CONFIG_MAP_ONLY_ERROR, accessEntriesIgnored, resolveMode } from '../../../checks/mode/resolve.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { clusterIn, entry } from '../../helpers/evidence.js';

const refused: Evidence = { unavailable: { accessEntries: `InvalidRequestException: ${CONFIG_MAP_ONLY_ERROR}` } };

describe('resolveMode / accessEntriesIgnored', () => {
  test('DescribeCluster wins over an inference from an error', () => {
    expect(resolveMode({ ...refused, cluster: clusterIn('API') })).toEqual({ mode: 'API', origin: 'cluster-info' });
  });

  test("the access-entry API's refusal implies CONFIG_MAP; another error implies nothing", () => {
    expect(resolveMode(refused)).toEqual({ mode: 'CONFIG_MAP', origin: 'error' });
    expect(resolveMode({ unavailable: { accessEntries: 'AccessDeniedException: denied' } }).origin).toBe('assumed');
  });

  test('entries are ignored only when CONFIG_MAP is known, not assumed', () => {
    expect(accessEntriesIgnored({ cluster: clusterIn('CONFIG_MAP') })).toBe(true);
    expect(accessEntriesIgnored(refused)).toBe(true);
    expect(accessEntriesIgnored({})).toBe(false);
    expect(accessEntriesIgnored({ cluster: clusterIn('API_AND_CONFIG_MAP') })).toBe(false);
    expect(accessEntriesIgnored({ cluster: clusterIn('API') })).toBe(false);
    expect(accessEntriesIgnored({ accessEntries: [entry('arn:aws:iam::111122223333:role/ci')] })).toBe(false);
  });
});
