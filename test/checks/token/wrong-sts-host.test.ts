import { describe, expect, test } from 'vitest';
import check from '../../../checks/token/wrong-sts-host.js';
import { contextWith, presigned, tokenEvidence, tokenOfUrl } from '../../helpers/token-evidence.js';

describe('token/wrong-sts-host', () => {
  test("names the cluster's region in the fix when it is known", () => {
    const hits = check.run(
      contextWith(tokenEvidence(tokenOfUrl(presigned()), { partition: 'aws-cn', serverRegion: 'cn-north-1' })),
    );
    expect(hits).toMatchObject([{ data: { region: 'cn-north-1' } }]);
  });

  test.each([
    ['no token evidence', undefined],
    ['a regional host of the partition', tokenEvidence(tokenOfUrl(presigned()), { partition: 'aws' })],
    [
      'the global host in aws',
      tokenEvidence(tokenOfUrl(presigned({ host: 'sts.amazonaws.com', signingRegion: 'us-east-1' })), {
        partition: 'aws',
      }),
    ],
    [
      'a China token judged as aws-cn',
      tokenEvidence(tokenOfUrl(presigned({ host: 'sts.cn-north-1.amazonaws.com.cn', signingRegion: 'cn-north-1' }))),
    ],
  ])('passes: %s', (_, token) => {
    expect(check.run(contextWith(token))).toEqual([]);
  });

  test.each([
    [
      'a commercial token for an aws-cn cluster',
      presigned(),
      'aws-cn',
      'partition {aws-cn} does not support hostname sts.us-west-2.amazonaws.com',
    ],
    [
      'the global host for a GovCloud cluster',
      presigned({ host: 'sts.amazonaws.com', signingRegion: 'us-east-1' }),
      'aws-us-gov',
      'global endpoint unsupported in partition aws-us-gov',
    ],
    [
      'a look-alike host',
      presigned({ host: 'sts.us-west-2.amazonaws.com.attacker.example' }),
      'aws',
      'unexpected hostname "sts.us-west-2.amazonaws.com.attacker.example"',
    ],
  ] as const)('fails: %s', (_, url, partition, error) => {
    const hits = check.run(contextWith(tokenEvidence(tokenOfUrl(url), { partition })));
    expect(hits).toMatchObject([{ messageId: 'wrongHost', affectsPrincipal: true, data: { partition } }]);
    expect(hits[0]?.data.error).toContain(error);
  });
});
