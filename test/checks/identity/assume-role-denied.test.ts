import { describe, expect, test } from 'vitest';
import check, { classifyAssumeRoleRefusal } from '../../../checks/identity/assume-role-denied.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { fixText } from '../../helpers/check-table.js';
import { renderHit } from '../../../src/core/run-checks.js';
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

describe('identity/assume-role-denied: the reason IAM gave, and the exact data of the fix', () => {
  test.each<[string, string, ReturnType<typeof classifyAssumeRoleRefusal>]>([
    ['AccessDenied', `${base} with an explicit deny in a permissions boundary`, 'explicitDeny'],
    ['AccessDenied', `${base} with an explicit deny in a session policy`, 'explicitDeny'],
    ['AccessDenied', `${base} because no permissions boundary allows the sts:AssumeRole action`, 'noPermission'],
    ['AccessDenied', `${base} because no session policy allows the sts:AssumeRole action`, 'noPermission'],
    ['AccessDenied', `${base} with an explicit deny in a resource control policy`, 'scpDeny'],
    ['AccessDenied', 'MFA required', 'mfa'],
    ['AccessDenied', 'the MFAX device', 'trustPolicy'],
    ['accessdenied', 'refused', 'trustPolicy'],
    ['Forbidden', `User: x is not authorized to perform sts:AssumeRole`, 'trustPolicy'],
    ['Forbidden', 'refused', 'other'],
  ])('%s "%s" is %s', (code, message, expected) => {
    expect(classifyAssumeRoleRefusal(code, message)).toBe(expected);
  });

  test.each(['ExpiredTokenException', 'InvalidClientTokenId', 'SignatureDoesNotMatch'])(
    'a refusal with %s is about the caller credentials, not the role',
    (code) => {
      expect(check.run(contextFor({ caller, assumeRole: refused(code, 'nope') }))).toEqual([]);
    },
  );

  test('a user caller with a role path: every value the fix templates use', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/team/deploy.role-1`;
    const user = `arn:aws:iam::${ACCOUNT}:user/ops/alice`;
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        caller: { ...caller, arn: user },
        assumeRole: { roleArn: role, sessionName: 's', outcome: 'refused', code: 'AccessDenied', message: 'm' },
      }),
    );
    expect(hits).toHaveLength(1);
    const data = hits[0]?.data ?? {};
    expect({ ...data, updateKubeconfig: undefined, updateKubeconfigMfa: undefined }).toEqual({
      caller: user,
      callerArn: user,
      callerPrincipal: user,
      callerName: 'alice',
      roleArn: role,
      assumePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role }],
      }),
      roleName: 'deploy.role-1',
      roleSlug: 'deploy_role_1',
      code: 'AccessDenied',
      message: 'm',
      account: ACCOUNT,
      cluster: 'platform',
      region: 'eu-west-1',
      updateKubeconfig: undefined,
      updateKubeconfigMfa: undefined,
    });
    expect(fixText(data.updateKubeconfig)).toBe(
      `aws eks update-kubeconfig --name platform --region eu-west-1 --role-arn ${role}`,
    );
    expect(fixText(data.updateKubeconfigMfa)).toBe(
      `aws eks update-kubeconfig --name platform --region eu-west-1 --role-arn ${role} --profile PROFILE_WITH_MFA`,
    );
  });

  test('without a caller or a cluster: placeholders, never an empty value', () => {
    const hits = check.run(contextFor({ assumeRole: refused('AccessDenied', base) }));
    expect(hits[0]?.data).toMatchObject({
      callerArn: 'CALLER_ARN',
      callerName: 'CALLER_ARN',
      account: 'ACCOUNT_ID',
      cluster: 'CLUSTER_NAME',
      region: 'REGION',
    });
  });

  describe('the fix fits the caller and the refusal', () => {
    const userCaller = { ...caller, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, userId: 'AIDAEXAMPLE' };
    const stepsOf = (evidence: Evidence) => check.run(contextFor(evidence))[0]?.fix ?? [];
    const aws = (evidence: Evidence) =>
      stepsOf(evidence)
        .map((s) => fixText(s.aws))
        .join('\n');
    const terraform = (evidence: Evidence) =>
      stepsOf(evidence)
        .map((s) => fixText(s.terraform))
        .join('\n');
    const noPermission = `${base} because no identity-based policy allows the sts:AssumeRole action`;
    const explicitDeny = `${base} with an explicit deny in an identity-based policy`;

    test('an IAM user missing the permission gets a user policy, not put-role-policy', () => {
      const given = { caller: userCaller, cluster: CLUSTER, assumeRole: refused('AccessDenied', noPermission) };
      expect(aws(given)).toContain('aws iam put-user-policy --user-name alice --policy-name assume-deployer');
      expect(aws(given)).not.toContain('put-role-policy');
      expect(terraform(given)).toContain('resource "aws_iam_user_policy" "assume_deployer"');
    });

    test('a role missing the permission keeps the message’s role policy (no override)', () => {
      const hits = check.run(
        contextFor({ caller, cluster: CLUSTER, assumeRole: refused('AccessDenied', noPermission) }),
      );
      expect(hits[0]?.fix).toBeUndefined();
    });

    test.each([
      [
        'a role',
        caller,
        ['aws iam list-role-policies --role-name dev', 'aws iam list-attached-role-policies --role-name dev'],
      ],
      [
        'a user',
        userCaller,
        ['aws iam list-user-policies --user-name alice', 'aws iam list-groups-for-user --user-name alice'],
      ],
    ])('an explicit Deny on %s: find it (an added Allow cannot win), never add an Allow', (_, who, lines) => {
      const given = { caller: who, cluster: CLUSTER, assumeRole: refused('AccessDenied', explicitDeny) };
      for (const line of lines) expect(aws(given)).toContain(line);
      expect(aws(given)).not.toMatch(/put-(role|user)-policy/);
    });
  });
});

/**
 * The explicit-deny suffixes as AWS prints them (IAM User Guide, "Troubleshoot access denied error
 * messages": https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html), with and
 * without the `: <policy ARN>` IAM appends when it names the policy (as seen in real AccessDenied texts,
 * e.g. "with an explicit deny in a permissions boundary: arn:aws:iam::…:policy/…"). The permissions
 * boundary one has no word "policy" after it.
 */
describe('identity/assume-role-denied: every explicit deny STS names is recognised', () => {
  const POLICY = `arn:aws:iam::${ACCOUNT}:policy/guard`;
  test.each<[string, ReturnType<typeof classifyAssumeRoleRefusal>]>([
    ['with an explicit deny in an identity-based policy', 'explicitDeny'],
    ['with an explicit deny in a permissions boundary', 'explicitDeny'],
    ['with an explicit deny in a session policy', 'explicitDeny'],
    ['with an explicit deny in a VPC endpoint policy', 'explicitDeny'],
    ['with an explicit deny', 'explicitDeny'],
    ['with an explicit deny in a resource-based policy', 'trustDeny'],
    ['with an explicit deny in a service control policy', 'scpDeny'],
    ['with an explicit deny in a resource control policy', 'scpDeny'],
  ])('"… %s" is %s', (suffix, expected) => {
    for (const message of [`${base} ${suffix}`, `${base} ${suffix}: ${POLICY}`, `${base} ${suffix.toUpperCase()}`])
      expect(classifyAssumeRoleRefusal('AccessDenied', message), message).toBe(expected);
  });

  test('a Deny in the role’s trust policy is found in the trust policy, never answered with an Allow', () => {
    const hits = check.run(
      contextFor({
        caller,
        cluster: CLUSTER,
        assumeRole: refused('AccessDenied', `${base} with an explicit deny in a resource-based policy`),
      }),
    );
    expect(hits).toMatchObject([{ messageId: 'trustDeny' }]);
    expectRendered(check, hits);
    const aws = hits.map((h) => renderHit(check, h).fix?.aws ?? '').join('\n');
    expect(aws).toContain('aws iam get-role --role-name deployer --query Role.AssumeRolePolicyDocument > trust.json');
    expect(aws).toContain('aws iam update-assume-role-policy --role-name deployer --policy-document file://trust.json');
    expect(aws).not.toContain('put-role-policy');
  });
});
