import { describe, expect, test } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { AUTHENTICATOR_ERRORS, classifyAuthenticatorError } from '../../src/logs/authenticator-errors.js';
import { authenticatorDecisions, creatorFromGrants, decisionsFor } from '../../src/logs/authenticator.js';
import { ACCOUNT, CLIENT, KEY, ROLE, SESSION, denied, granted, stsResponse } from './fixtures.js';

describe('authenticatorDecisions', () => {
  test('ties each decision to the STS response before it on the same client', () => {
    const decisions = authenticatorDecisions([
      granted('2026-12-03T12:00:01Z'),
      stsResponse('2026-12-03T12:00:00Z'),
      stsResponse('2026-12-03T12:04:00Z', { client: '127.0.0.1:60000', key: 'ASIAOTHERKEY00000000' }),
      denied('2026-12-03T12:04:00Z', 'identity is not mapped', { client: '127.0.0.1:60000' }),
      { timestamp: Date.parse('2026-12-03T12:05:00Z'), message: 'not a logrus line' },
    ]);
    expect(decisions).toEqual([
      {
        time: '2026-12-03T12:00:01.000Z',
        outcome: 'granted',
        arn: ROLE,
        sessionArn: SESSION,
        accessKeyId: KEY,
        client: CLIENT,
        username: 'tfc-agent',
        uid: `aws-iam-authenticator:${ACCOUNT}:AROAEXAMPLEROLEID1234`,
        groups: ['system:masters'],
        stsEndpoint: 'sts.eu-west-1.amazonaws.com',
      },
      {
        time: '2026-12-03T12:04:00.000Z',
        outcome: 'denied',
        arn: ROLE,
        sessionArn: SESSION,
        accessKeyId: 'ASIAOTHERKEY00000000',
        client: '127.0.0.1:60000',
        error: 'identity is not mapped',
      },
    ]);
  });

  test('an STS response from another request (too old) is not linked', () => {
    const [decision] = authenticatorDecisions([stsResponse('2026-12-03T12:00:00Z'), granted('2026-12-03T12:01:00Z')]);
    expect(decision?.accessKeyId).toBeUndefined();
  });
});

describe('decisionsFor', () => {
  const all = authenticatorDecisions([
    stsResponse('2026-12-03T12:00:00Z'),
    granted('2026-12-03T12:00:00Z'),
    denied('2026-12-03T12:04:00Z', 'identity is not mapped', {
      arn: ROLE.toUpperCase().replace('ARN:AWS:IAM', 'arn:aws:iam'),
    }),
    denied('2026-12-03T12:05:00Z', 'identity is not mapped', { arn: `arn:aws:iam::${ACCOUNT}:role/someone-else` }),
    denied(
      '2026-12-03T12:06:00Z',
      'input token was not properly formatted: X-Amz-Date parameter is expired (15 minute expiration) 2026-12-03 11:50:00 +0000 UTC',
      { arn: null, client: '10.0.0.9:1' },
    ),
  ]);

  test('by canonical ARN, case-insensitively as the authenticator compares, most recent first', () => {
    expect(decisionsFor(all, { canonicalArn: ROLE }).map((d) => [d.time, d.outcome, d.matchedBy])).toEqual([
      ['2026-12-03T12:04:00.000Z', 'denied', 'arn'],
      ['2026-12-03T12:00:00.000Z', 'granted', 'arn'],
    ]);
  });

  test('by the access key id of the minted token', () => {
    expect(decisionsFor(all, { accessKeyId: KEY }).map((d) => d.matchedBy)).toEqual(['access-key-id']);
  });

  test('by client address: the only way to tie a token error to a principal', () => {
    expect(decisionsFor(all, { clientAddress: '10.0.0.9:1' }).map((d) => d.error?.slice(0, 40))).toEqual([
      'input token was not properly formatted: ',
    ]);
    expect(decisionsFor(all, { canonicalArn: `arn:aws:iam::${ACCOUNT}:role/nobody` })).toEqual([]);
  });
});

describe('creatorFromGrants', () => {
  test('the latest kubernetes-admin grant names the creator and its unique id', () => {
    const decisions = authenticatorDecisions([
      granted('2026-12-03T11:00:00Z', { arn: `arn:aws:iam::${ACCOUNT}:role/old-admin`, username: 'kubernetes-admin' }),
      granted('2026-12-03T12:00:00Z', {
        arn: `arn:aws:iam::${ACCOUNT}:role/cluster-creator`,
        username: 'kubernetes-admin',
        uid: `aws-iam-authenticator:${ACCOUNT}:AROACREATOR000000000`,
      }),
      granted('2026-12-03T12:30:00Z', { username: 'tfc-agent' }),
    ]);
    expect(creatorFromGrants(decisions)).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:role/cluster-creator`,
      principalId: 'AROACREATOR000000000',
      time: '2026-12-03T12:00:00.000Z',
    });
    expect(creatorFromGrants(authenticatorDecisions([granted('2026-12-03T12:30:00Z')]))).toBeUndefined();
  });
});

describe('the error-text table', () => {
  // Texts as the authenticator builds them (fmt.Sprintf in pkg/token/token.go and pkg/server/server.go).
  const FORMAT = 'input token was not properly formatted: ';
  const STS = 'sts getCallerIdentity failed: ';
  test.each<[string, string | null]>([
    ['identity is not mapped', 'identity/principal-not-mapped'],
    ['ARN is not mapped', 'identity/principal-not-mapped'],
    ['mapper DynamicFile Map error: ARN does not match User ID', 'access-entry/stale-principal'],
    [
      'mapper EKSConfigMap renderTemplates error: error rendering username template "system:node:{{EC2PrivateDNSName}}": SessionName did not contain an instance id',
      'nodes/username-template',
    ],
    [
      'mapper EKSConfigMap renderTemplates error: error rendering group template "{{Foo}}": bad',
      'aws-auth/unknown-template',
    ],
    [
      "invalid username 'eks:x' for mapper EKSConfigMap: username must not begin with with the following prefixes: [eks:]",
      'access-entry/invalid-shape',
    ],
    [`${FORMAT}X-Amz-Date parameter is expired (15 minute expiration) 2026-12-03 11:00:00 +0000 UTC`, 'token/expired'],
    [`${FORMAT}unexpected hostname "sts.example.com" in pre-signed URL`, 'token/wrong-sts-host'],
    [`${FORMAT}partition {aws-cn} does not support hostname sts.eu-west-1.amazonaws.com`, 'token/wrong-sts-host'],
    [`${FORMAT}global endpoint unsupported in partition aws-us-gov`, 'token/sts-endpoint'],
    [`${FORMAT}client did not sign the x-k8s-aws-id header in the pre-signed URL`, 'token/cluster-id-not-signed'],
    [`${FORMAT}token is missing expected "k8s-aws-v1." prefix`, 'token/malformed'],
    ['sts getCallerIdentity was throttled: {"Error":{"Code":"Throttling","Message":"Rate exceeded"}}', null],
    [
      `${STS}error from AWS (expected 200, got 403) on eu-west-1 endpoint. Body: <Code>SignatureDoesNotMatch</Code>`,
      'token/cluster-id-mismatch',
    ],
    [
      `${STS}error from AWS (expected 200, got 403) on eu-west-1 endpoint. Body: <Code>ExpiredToken</Code>`,
      'identity/credentials-expired',
    ],
    [
      `${STS}error from AWS (expected 200, got 403) on eu-west-1 endpoint. Body: <Code>InvalidClientTokenId</Code>`,
      'identity/credentials-invalid',
    ],
    [`${STS}error during GET: dial tcp: i/o timeout on eu-west-1 endpoint`, null],
  ])('%s → %s', (error, checkId) => {
    const row = classifyAuthenticatorError(error);
    expect(row, error).toBeDefined();
    expect(row?.checkId).toBe(checkId);
  });

  test('an unknown text has no row', () => {
    expect(classifyAuthenticatorError('something new')).toBeUndefined();
  });

  test('every row names a registered check and cites a source line', () => {
    const ids = new Set(CHECKS.map((c) => c.meta.id));
    for (const row of AUTHENTICATOR_ERRORS) {
      if (row.checkId !== null) expect(ids.has(row.checkId), row.checkId).toBe(true);
      expect(row.source, row.kind).toMatch(/^pkg\/[\w/]+\.go:\d+/);
    }
  });
});
