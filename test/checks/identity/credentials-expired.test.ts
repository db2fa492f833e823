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

describe('identity/credentials-expired: subjects, notes and exact login steps', () => {
  const expired = (message: string): Evidence['failures'] => ({
    caller: { code: 'expired-credentials', action: 'sts:GetCallerIdentity', message },
  });
  const NOT_SSO_LOGIN = [
    'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN   # if stale keys were exported',
    'aws sso login   # or re-run whatever issued the credentials',
  ];

  test('without a profile: the default chain, placeholders for cluster and region, and both ways to refresh', () => {
    const hits = check.run(contextFor({ failures: expired('ExpiredToken: gone.') }));
    expect(hits).toEqual([
      {
        messageId: 'tokenExpired',
        subject: { kind: 'credentials', name: 'default credential chain' },
        affectsPrincipal: true,
        data: {
          cluster: 'CLUSTER_NAME',
          region: 'REGION',
          profileFlag: [],
          profileHint: '',
          profileArgs: [],
          login: expect.anything(),
          action: 'sts:GetCallerIdentity',
          error: 'ExpiredToken: gone',
          profileNote: '',
          sourceNote: '',
        },
      },
    ]);
    expect(fixText(hits[0]?.data.login).split('\n')).toEqual(NOT_SSO_LOGIN);
  });

  test('with a profile: the profile is the subject and is passed to every command', () => {
    const hits = check.run(
      contextFor({ cluster: CLUSTER, credentialEnv: dev, failures: expired('ExpiredToken: gone') }),
    );
    expect(hits[0]).toMatchObject({
      messageId: 'tokenExpired',
      subject: { kind: 'credentials', name: 'profile dev' },
      data: {
        cluster: 'platform',
        region: 'eu-west-1',
        profileFlag: ['--profile', 'dev'],
        profileArgs: ['--profile', 'dev'],
        profileHint: ' with profile dev',
        profileNote: ' of profile dev',
        sourceNote: ' of profile dev',
      },
    });
    expect(fixText(hits[0]?.data.login).split('\n')[1]).toBe(
      'aws sso login --profile dev   # or re-run whatever issued the credentials',
    );
  });

  test('an SSO source makes it an SSO expiry even when the error text does not say so', () => {
    const hits = check.run(
      contextFor({
        caller: { ...caller, credentialSource: 'sso (profile dev)' },
        failures: expired('ExpiredToken: gone'),
      }),
    );
    expect(hits).toMatchObject([{ messageId: 'ssoExpired', data: { sourceNote: ' from sso (profile dev)' } }]);
    expect(fixText(hits[0]?.data.login)).toBe('aws sso login');
  });

  test('AssumeRole refused with ExpiredTokenException: the code leads the error, and an exec failure is not reported too', () => {
    const hits = check.run(
      contextFor({
        assumeRole: {
          roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`,
          sessionName: 's',
          outcome: 'refused',
          code: 'ExpiredTokenException',
          message: 'Token expired.',
        },
        kubeconfig: kubeconfig({ execIdentity: { error: 'ExpiredToken: old' } }),
      }),
    );
    expect(hits).toMatchObject([
      { messageId: 'tokenExpired', data: { action: 'sts:AssumeRole', error: 'ExpiredTokenException: Token expired' } },
    ]);
    expect(hits).toHaveLength(1);
  });

  test.each([
    'ExpiredToken: The security token included in the request is expired',
    'The SSO session associated with this profile has expired',
    'Token has expired and refresh failed',
  ])('an exec plugin failing with %j is an expiry of its credentials', (error) => {
    const hits = check.run(contextFor({ kubeconfig: kubeconfig({ execIdentity: { error } }) }));
    expect(hits).toMatchObject([
      {
        messageId: 'execExpired',
        subject: { kind: 'kubeconfig', name: 'platform' },
        data: { context: 'platform', command: 'aws', execProfileNote: '', error },
      },
    ]);
  });

  test('an exec error without an exec entry says nothing', () => {
    expect(
      check.run(
        contextFor({ kubeconfig: { ...kubeconfig({ execIdentity: { error: 'ExpiredToken' } }), exec: undefined } }),
      ),
    ).toEqual([]);
  });

  test.each<[string, string, boolean]>([
    ['14 min 59 s before', '2026-11-23T09:45:01Z', true],
    ['exactly 15 min before', '2026-11-23T09:45:00Z', false],
    ['at the instant of expiry', '2026-11-23T10:00:00Z', false],
  ])('expiry %s the check: reported %s', (_, checkedAt, reported) => {
    const hits = check.run(contextFor({ caller, token: { checkedAt } as Evidence['token'] }));
    expect(hits.map((h) => h.messageId)).toEqual(reported ? ['expiresSoon'] : []);
    if (reported)
      expect(hits[0]).toMatchObject({
        subject: { kind: 'credentials', name: caller.arn },
        data: {
          source: 'SSO (profile dev)',
          expiresAt: caller.expiresAt,
          now: checkedAt,
          nowLabel: 'when the check ran',
        },
      });
  });

  test("the API server's clock wins over the time of the check", () => {
    const hits = check.run(
      contextFor({
        caller,
        probe: probeAt('2026-11-23T09:50:00Z'),
        token: { checkedAt: '2026-11-23T08:00:00Z' } as Evidence['token'],
      }),
    );
    expect(hits).toMatchObject([{ data: { now: '2026-11-23T09:50:00Z', nowLabel: "the API server's Date header" } }]);
  });
});
