import { describe, expect, test } from 'vitest';
import check from '../../../checks/token/cluster-id-mismatch.js';
import { contextWith, presigned, stsError, tokenEvidence, tokenOfUrl } from '../../helpers/token-evidence.js';

const token = tokenOfUrl(presigned({ clusterId: 'prod' }));
const mismatch = stsError(
  'SignatureDoesNotMatch',
  'The request signature we calculated does not match the signature you provided.',
);

describe('token/cluster-id-mismatch', () => {
  test.each([
    ['no token evidence', undefined],
    ['no replay (offline)', tokenEvidence(token, { clusterName: 'prod' })],
    ['a replay without a cluster name to judge', tokenEvidence(token, { replay: mismatch })],
    [
      'a replay STS accepted',
      tokenEvidence(token, {
        clusterName: 'prod',
        replay: {
          outcome: 'identity',
          status: 200,
          arn: 'arn:aws:iam::111122223333:user/a',
          account: '111122223333',
          userId: 'AIDA',
          localDate: '2026-11-23T08:01:00.000Z',
        },
      }),
    ],
    [
      'SignatureDoesNotMatch for a time problem',
      tokenEvidence(token, {
        clusterName: 'prod',
        replay: stsError('SignatureDoesNotMatch', 'Signature not yet current: 1 is still later than 2'),
      }),
    ],
    [
      'SignatureDoesNotMatch for a scope in another region',
      tokenEvidence(tokenOfUrl(presigned({ signingRegion: 'us-east-1' })), { clusterName: 'prod', replay: mismatch }),
    ],
    [
      'another STS error',
      tokenEvidence(token, {
        clusterName: 'prod',
        replay: stsError('InvalidClientTokenId', 'The security token included in the request is invalid.'),
      }),
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextWith(evidence))).toEqual([]);
  });

  test('fails: STS rejects the signature for the cluster name given', () => {
    expect(check.run(contextWith(tokenEvidence(token, { clusterName: 'Prod', replay: mismatch })))).toEqual([
      {
        messageId: 'signatureMismatch',
        subject: { kind: 'token', name: 'argument' },
        affectsPrincipal: true,
        data: { cluster: 'Prod' },
      },
    ]);
  });
});
