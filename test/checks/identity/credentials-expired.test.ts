import { fixText } from '../../helpers/check-table.js';
import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/credentials-expired.js';
import { classifyFailure } from '../../../src/collect/failures.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered, kubeconfig } from '../_live.js';

const caller = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`,
  account: ACCOUNT,
  userId: 'AROAEXAMPLE:alice',
  credentialSource: 'SSO (profile dev)',
  expiresAt: '2026-11-23T10:00:00Z',
};
const probeAt = (serverDate: string): Evidence['probe'] => ({ status: 200, error: null, serverDate });
const dev = { profile: 'dev', profileFrom: 'AWS_PROFILE' as const, staticKeys: false };

describe('identity/credentials-expired', () => {
  test.each<[string, Evidence]>([
    ['valid credentials, expiry far off', { caller, probe: probeAt('2026-11-23T08:00:00Z') }],
    ['valid credentials, no clock in the evidence', { caller }],
    [
      'already past expiry per the server clock (the caller call itself succeeded)',
      { caller, probe: probeAt('2026-11-23T10:05:00Z') },
    ],
    [
      'the caller failed for another reason',
      { failures: { caller: { code: 'access-denied', action: 'sts:GetCallerIdentity', message: 'AccessDenied' } } },
    ],
    [
      'the caller was refused for its date (clock skew, not expiry)',
      {
        failures: {
          caller: classifyFailure(
            Object.assign(new Error('Request has expired.'), { name: 'RequestExpired' }),
            'sts:GetCallerIdentity',
          ),
        },
      },
    ],
    [
      'AssumeRole refused for another reason',
      {
        caller,
        assumeRole: {
          roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
          sessionName: 's',
          outcome: 'refused',
          code: 'AccessDenied',
          message: 'not authorized',
        },
      },
    ],
    [
      'the exec plugin failed for another reason',
      { caller, kubeconfig: kubeconfig({ execIdentity: { error: 'executable aws not found' } }) },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test.each<[string, string, string]>([
    [
      'an SSO session (JS SDK wording)',
      'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      'ssoExpired',
    ],
    [
      'an SSO token (aws CLI wording)',
      'Error loading SSO Token: The SSO access token has either expired or is otherwise invalid.',
      'ssoExpired',
    ],
    ['exported session keys', 'ExpiredToken: The security token included in the request is expired', 'tokenExpired'],
  ])('fails: %s', (_, message, messageId) => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        credentialEnv: messageId === 'ssoExpired' ? dev : { staticKeys: true },
        failures: { caller: { code: 'expired-credentials', action: 'sts:GetCallerIdentity', message } },
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId,
        affectsPrincipal: true,
        data: { error: message.replace(/\.$/, ''), action: 'sts:GetCallerIdentity' },
      },
    ]);
    expect(String(fixText(hits[0]?.data.login))).toContain(
      messageId === 'ssoExpired' ? 'aws sso login --profile dev' : 'unset AWS_ACCESS_KEY_ID',
    );
    expectRendered(check, hits);
  });

  test('fails: AssumeRole refused with ExpiredToken', () => {
    const hits = check.run(
      contextFor({
        caller: { ...caller, credentialSource: 'environment variables' },
        assumeRole: {
          roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
          sessionName: 's',
          outcome: 'refused',
          code: 'ExpiredToken',
          message: 'The security token included in the request is expired',
        },
      }),
    );
    expect(hits).toMatchObject([
      { messageId: 'tokenExpired', data: { action: 'sts:AssumeRole', sourceNote: ' from environment variables' } },
    ]);
  });

  test("fails: kubectl's exec plugin meets an expired SSO session", () => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        kubeconfig: kubeconfig(
          { execIdentity: { error: 'Error loading SSO Token: Token for dev does not exist or has expired' } },
          { env: { AWS_PROFILE: 'dev' } },
        ),
      }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'execExpired',
        affectsPrincipal: true,
        data: { context: 'platform', execProfileNote: ', profile dev' },
      },
    ]);
    expect(fixText(hits[0]?.data.login)).toBe('aws sso login --profile dev');
    expectRendered(check, hits);
  });

  test('warns: the credentials expire within the life of a token, judged by the server clock', () => {
    const hits = check.run(contextFor({ caller, probe: probeAt('2026-11-23T09:50:00Z') }));
    expect(hits).toMatchObject([
      {
        messageId: 'expiresSoon',
        affectsPrincipal: false,
        data: { remaining: '10 min', now: '2026-11-23T09:50:00Z', caller: caller.arn },
      },
    ]);
    expectRendered(check, hits);
  });
});
