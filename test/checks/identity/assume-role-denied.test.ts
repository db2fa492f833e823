import { describe, expect, test } from 'vitest';
import check from '../../../checks/identity/assume-role-denied.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered } from '../_live.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const caller = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`,
  account: ACCOUNT,
  userId: 'AROAEXAMPLE:alice',
  credentialSource: 'SSO (profile dev)',
};
const base = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`;
const refused = (code: string, message: string): Evidence['assumeRole'] => ({
  roleArn: ROLE,
  sessionName: 'eksauth',
  outcome: 'refused',
  code,
  message,
});

describe('identity/assume-role-denied', () => {
  test.each<[string, Evidence]>([
    [
      'assumed',
      {
        caller,
        assumeRole: {
          roleArn: ROLE,
          sessionName: 'eksauth',
          outcome: 'assumed',
          sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/eksauth`,
        },
      },
    ],
    [
      'refused because the credentials expired (credentials-expired says so)',
      { caller, assumeRole: refused('ExpiredToken', 'The security token included in the request is expired') },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test.each<[string, string, string, string]>([
    ['a trust policy that does not name the caller', 'AccessDenied', base, 'trustPolicy'],
    [
      'no identity-based policy allows it',
      'AccessDenied',
      `${base} because no identity-based policy allows the sts:AssumeRole action`,
      'noPermission',
    ],
    [
      'an explicit deny on the caller',
      'AccessDenied',
      `${base} with an explicit deny in an identity-based policy`,
      'explicitDeny',
    ],
    ['an SCP', 'AccessDenied', `${base} with an explicit deny in a service control policy`, 'scpDeny'],
    [
      'a wrong MFA code',
      'AccessDenied',
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
      'mfa',
    ],
    [
      'an invalid request',
      'ValidationError',
      "1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint",
      'other',
    ],
  ])('fails: %s', (_, code, message, messageId) => {
    const hits = check.run(contextFor({ caller, cluster: CLUSTER, assumeRole: refused(code, message) }));
    expect(hits).toMatchObject([
      {
        messageId,
        affectsPrincipal: true,
        subject: { kind: 'principal', name: ROLE },
        data: {
          code,
          message,
          roleArn: ROLE,
          roleName: 'deployer',
          callerPrincipal: `arn:aws:iam::${ACCOUNT}:role/dev`,
          callerName: 'dev',
        },
      },
    ]);
    expectRendered(check, hits);
  });

  test('names a placeholder when the caller is unknown', () => {
    const hits = check.run(contextFor({ assumeRole: refused('AccessDenied', base) }));
    expect(hits).toMatchObject([
      { messageId: 'trustPolicy', data: { callerPrincipal: 'CALLER_ARN', caller: 'The caller' } },
    ]);
  });
});
