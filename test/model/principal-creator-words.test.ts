import { describe, expect, it } from 'vitest';
import { creatorSourceWords, principalFromArn } from '../../src/model/principal.js';

const ARN = 'arn:aws:iam::111122223333:role/Admin';
const WHEN = '2026-11-02T09:15:00Z';

describe('creatorSourceWords: how the creator is known, with when where a record says so', () => {
  it.each([
    ['cloudtrail', WHEN, `CloudTrail CreateCluster, ${WHEN}`],
    ['cloudtrail', undefined, 'CloudTrail CreateCluster'],
    ['authenticator-log', WHEN, `the authenticator log's kubernetes-admin grant, ${WHEN}`],
    // A creator the user gave has no record behind it: a time passed along is not shown as a source's.
    ['flag', WHEN, 'given'],
    ['evidence', WHEN, 'given'],
  ] as const)('%s (event time %s): %s', (source, eventTime, words) => {
    expect(creatorSourceWords({ arn: ARN, source, ...(eventTime ? { eventTime } : {}) })).toBe(words);
  });
});

describe('principalFromArn names', () => {
  it('the account root is named root; a federated user by its name', () => {
    const root = principalFromArn('arn:aws:iam::111122223333:root');
    expect(root.ok && root.value.name).toBe('root');
    const fed = principalFromArn('arn:aws:sts::111122223333:federated-user/bob');
    expect(fed.ok && fed.value.name).toBe('bob');
  });
});
