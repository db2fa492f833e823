import { describe, expect, test } from 'vitest';
import { classifyFailure, isEnvironmentFailure } from '../../src/collect/failures.js';

const sdkError = (name: string, message: string, status?: number) =>
  Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

describe('classifyFailure', () => {
  test.each([
    ['AccessDeniedException', 'User: x is not authorized to perform: eks:ListAccessEntries', 'access-denied'],
    ['ResourceNotFoundException', 'No cluster found for name: orders.', 'not-found'],
    ['ThrottlingException', 'Rate exceeded', 'throttled'],
    ['ExpiredTokenException', 'The security token included in the request is expired', 'expired-credentials'],
    ['InvalidRequestException', 'The cluster authentication mode is CONFIG_MAP', 'invalid'],
    // Refused for its date: the clock, whatever code the service chose to say it with.
    ['RequestExpired', 'Request has expired.', 'clock-skew'],
    [
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      'clock-skew',
    ],
    [
      'SignatureDoesNotMatch',
      'Signature expired: 20261123T073000Z is now earlier than 20261123T075500Z (20261123T080000Z - 5 min.)',
      'clock-skew',
    ],
    [
      'InvalidSignatureException',
      'Signature not yet current: 20261123T083000Z is still later than 20261123T080500Z (20261123T080000Z + 5 min.)',
      'clock-skew',
    ],
    [
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      'bad-credentials',
    ],
    ['InvalidClientTokenId', 'The security token included in the request is invalid.', 'bad-credentials'],
    ['UnrecognizedClientException', 'The security token included in the request is invalid.', 'bad-credentials'],
    ['CredentialsProviderError', 'Could not load credentials from any providers', 'no-credentials'],
  ] as const)('%s: %s → %s', (name, message, code) => {
    expect(classifyFailure(sdkError(name, message), 'sts:GetCallerIdentity').code).toBe(code);
  });

  test('network failures and timeouts', () => {
    expect(classifyFailure(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'eks:DescribeCluster').code).toBe(
      'unreachable',
    );
    expect(classifyFailure(sdkError('TimeoutError', 'socket hang up'), 'eks:DescribeCluster').code).toBe('timeout');
  });

  test('a bare 403 is access denied, naming who lacks what', () => {
    expect(
      classifyFailure(sdkError('UnknownError', 'Forbidden', 403), 'cloudtrail:LookupEvents', 'arn:aws:iam::1:user/a'),
    ).toEqual({
      code: 'access-denied',
      action: 'cloudtrail:LookupEvents',
      message: 'arn:aws:iam::1:user/a lacks cloudtrail:LookupEvents (Forbidden)',
    });
  });

  test('credentials and clocks stop a run; a denied read does not', () => {
    const of = (name: string, message: string) => classifyFailure(sdkError(name, message), 'sts:GetCallerIdentity');
    expect(isEnvironmentFailure(of('RequestExpired', 'Request has expired.'))).toBe(true);
    expect(isEnvironmentFailure(of('ExpiredToken', 'expired'))).toBe(true);
    expect(
      isEnvironmentFailure(of('SignatureDoesNotMatch', 'The request signature we calculated does not match')),
    ).toBe(true);
    expect(
      isEnvironmentFailure(of('InvalidClientTokenId', 'The security token included in the request is invalid.')),
    ).toBe(true);
    expect(isEnvironmentFailure(of('AccessDenied', 'denied'))).toBe(false);
  });
});
