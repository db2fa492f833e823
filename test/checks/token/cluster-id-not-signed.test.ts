import { describe, expect, test } from 'vitest';
import check from '../../../checks/token/cluster-id-not-signed.js';
import { contextWith, presigned, tokenEvidence, tokenOfUrl } from '../../helpers/token-evidence.js';

describe('token/cluster-id-not-signed', () => {
  test.each([
    ['no token evidence', undefined],
    ['host;x-k8s-aws-id', tokenEvidence(tokenOfUrl(presigned()))],
    ['the header in another case', tokenEvidence(tokenOfUrl(presigned().replace('x-k8s-aws-id', 'X-K8S-AWS-ID')))],
  ])('passes: %s', (_, token) => {
    expect(check.run(contextWith(token))).toEqual([]);
  });

  test.each([
    ['only host signed', presigned().replace('host%3Bx-k8s-aws-id', 'host'), 'host'],
    ['a near miss', presigned().replace('host%3Bx-k8s-aws-id', 'host%3Bx-k8s-aws-i'), 'host;x-k8s-aws-i'],
    [
      'no X-Amz-SignedHeaders at all',
      presigned().replace('&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id', ''),
      'no headers',
    ],
  ])('fails: %s', (_, url, signedHeaders) => {
    expect(check.run(contextWith(tokenEvidence(tokenOfUrl(url))))).toMatchObject([
      { messageId: 'notSigned', affectsPrincipal: true, data: { signedHeaders } },
    ]);
  });
});
