import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/credentials-invalid.js';
import assumeRoleDenied from '../../../checks/identity/assume-role-denied.js';
import type { Evidence, SourceFailure } from '../../../src/model/evidence.js';
import { fixText } from '../../helpers/check-table.js';
import { contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered } from '../_live.js';

const rejected = (awsCode: string): SourceFailure => ({
  code: 'bad-credentials',
  action: 'sts:GetCallerIdentity',
  awsCode,
  message: `AWS rejected the credentials on sts:GetCallerIdentity (${awsCode}: …)`,
});
const fromEnv = { staticKeys: true, source: 'environment variables (AWS_ACCESS_KEY_ID AKIA…MPLE)' };
const fromSso = { staticKeys: false, profile: 'dev', profileFrom: '--profile' as const, source: 'SSO (profile dev)' };
const fromProfile = {
  staticKeys: false,
  profile: 'ci',
  profileFrom: 'AWS_PROFILE' as const,
  source: 'profile ci (shared credentials file)',
};

describe('identity/credentials-invalid', () => {
  test.each<[string, Evidence]>([
    ['the caller is known', { cluster: CLUSTER }],
    [
      'access denied is a policy, not the credentials',
      { failures: { caller: { ...rejected('AccessDenied'), code: 'access-denied' } } },
    ],
    [
      'expired credentials have their own check',
      { failures: { caller: { ...rejected('ExpiredToken'), code: 'expired-credentials' } } },
    ],
    ['nothing known', {}],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test.each<[string, string, Evidence['credentialEnv'], string, RegExp]>([
    [
      'a wrong secret key exported in the shell',
      'SignatureDoesNotMatch',
      fromEnv,
      'wrongSecret',
      /Export the matching AWS_ACCESS_KEY_ID/,
    ],
    [
      'a bogus session token exported in the shell',
      'InvalidClientTokenId',
      fromEnv,
      'unknownKey',
      /Export the matching/,
    ],
    [
      'EKS does not know the key (SSO profile)',
      'UnrecognizedClientException',
      fromSso,
      'unknownKey',
      /aws sso login --profile dev/,
    ],
    [
      'a profile with a wrong secret',
      'SignatureDoesNotMatch',
      fromProfile,
      'wrongSecret',
      /aws configure --profile ci/,
    ],
  ])('fails: %s, naming the source and how to fix it', (_, code, env, messageId, remedy) => {
    const hits = check.run(contextFor({ failures: { caller: rejected(code) }, credentialEnv: env }));
    expect(hits).toMatchObject([{ messageId, affectsPrincipal: true, data: { code, source: env?.source } }]);
    expect(String(hits[0]?.data.remedy)).toMatch(remedy);
    expectRendered(check, hits);
  });

  test('an AssumeRole refused for the credentials is this check, not a trust-policy finding', () => {
    const evidence: Evidence = {
      failures: { caller: rejected('SignatureDoesNotMatch') },
      assumeRole: {
        roleArn: 'arn:aws:iam::111122223333:role/deployer',
        sessionName: 's',
        outcome: 'refused',
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match the signature you provided.',
      },
    };
    expect(assumeRoleDenied.run(contextFor(evidence))).toEqual([]);
    expect(check.run(contextFor(evidence))).toHaveLength(1);
  });
});

describe('identity/credentials-invalid: the code, the key and the exact renewal step', () => {
  const bad = (message: string): Evidence['failures'] => ({
    caller: { code: 'bad-credentials', action: 'sts:GetCallerIdentity', message },
  });

  test('keys from the environment: the key id is named and the renewal unsets them', () => {
    const hits = check.run(contextFor({ failures: bad('InvalidClientTokenId: nope'), credentialEnv: fromEnv }));
    expect(hits).toMatchObject([
      {
        messageId: 'unknownKey',
        subject: { kind: 'credentials', name: fromEnv.source },
        data: { code: 'InvalidClientTokenId', keyNote: 'AKIA…MPLE', region: 'REGION', profileFlag: [] },
      },
    ]);
    expect(fixText(hits[0]?.data.renew)).toBe(
      'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN   # then export a matching set, or use a profile',
    );
  });

  test('nothing known about the source: the default chain, a generic code, the default profile', () => {
    const hits = check.run(contextFor({ cluster: CLUSTER, failures: bad('nope') }));
    expect(hits).toMatchObject([
      {
        messageId: 'unknownKey',
        subject: { kind: 'credentials', name: 'the default credential chain' },
        data: {
          source: 'the default credential chain',
          code: 'an authentication error',
          keyNote: 'in use',
          region: 'eu-west-1',
          remedy:
            'Correct the key pair of the default profile (`aws configure`) or issue a new access key for that IAM user',
        },
      },
    ]);
    expect(fixText(hits[0]?.data.renew)).toBe('aws configure   # enter the key id and its own secret');
  });

  test('an SSO profile: the subject is the profile and the renewal logs it in', () => {
    const hits = check.run(contextFor({ failures: bad('nope'), credentialEnv: fromSso }));
    expect(hits[0]).toMatchObject({
      subject: { kind: 'credentials', name: 'profile dev' },
      data: { profileFlag: ['--profile', 'dev'] },
    });
    expect(fixText(hits[0]?.data.renew)).toBe('aws sso login --profile dev');
  });

  test('static keys with no profile count as the environment even when the source is not named', () => {
    const hits = check.run(contextFor({ failures: bad('nope'), credentialEnv: { staticKeys: true } }));
    expect(String(hits[0]?.data.remedy)).toMatch(/^Export the matching AWS_ACCESS_KEY_ID/);
  });

  test('a profile (not SSO, not the environment): the renewal configures that profile', () => {
    const hits = check.run(contextFor({ failures: bad('nope'), credentialEnv: fromProfile }));
    expect(fixText(hits[0]?.data.renew)).toBe('aws configure --profile ci   # enter the key id and its own secret');
  });
});
