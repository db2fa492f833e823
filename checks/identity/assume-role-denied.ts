import { templateSteps } from '../../src/core/fix.js';
import { defineCheck, type FixSpec, type FixStep, type Hit } from '../../src/core/types.js';

import { canonicalOf, liveClusterName, liveRegion, updateKubeconfig } from './_live-shared.js';
import { EXPIRED_CODES } from './credentials-expired.js';
import { isRejectedCredentialCode } from './credentials-invalid.js';

type Message = 'trustPolicy' | 'noPermission' | 'explicitDeny' | 'trustDeny' | 'scpDeny' | 'mfa' | 'other';

/**
 * Which part of IAM said no, from the AccessDenied message. Since 2021 AWS appends the reason
 * ("because no identity-based policy allows …", "with an explicit deny in a service control
 * policy"); a bare "is not authorized to perform: sts:AssumeRole" is what a trust policy that does
 * not name the caller (or whose conditions fail) produces. The explicit-deny suffixes, as IAM's
 * "Access denied error message examples" (IAM User Guide, troubleshoot_access-denied) spell them:
 * "with an explicit deny in an identity-based policy", "… in a resource-based policy", "… in a
 * service control policy", "… in a resource control policy", "… in a permissions boundary", "… in a
 * session policy", "… in a VPC endpoint policy", each optionally followed by ": <policy ARN>". For
 * AssumeRole the resource-based policy is the role's trust policy.
 */
export function classifyAssumeRoleRefusal(code: string, message: string): Message {
  if (/MultiFactorAuthentication|\bMFA\b/i.test(message)) return 'mfa';
  if (/service control policy|resource control policy/i.test(message)) return 'scpDeny';
  if (/explicit deny in (?:an? |the )?(?:resource-based|role trust) policy/i.test(message)) return 'trustDeny';
  if (/\bexplicit deny\b/i.test(message)) return 'explicitDeny';
  if (/no identity-based policy allows|no permissions boundary allows|no session policy allows/i.test(message))
    return 'noPermission';
  if (/AccessDenied/i.test(code) || /not authorized to perform:? sts:AssumeRole/i.test(message)) return 'trustPolicy';
  return 'other';
}

const TRUST_FIX = {
  kubectl: `# kubectl is not the problem: its exec plugin cannot assume {roleArn} either. Once the trust policy is fixed:\n{updateKubeconfig}`,
  eksctl: '# eksctl does not manage IAM trust policies; fix the role with the aws CLI or Terraform.',
  aws: `aws iam get-role --role-name {roleName} --query Role.AssumeRolePolicyDocument > trust.json\n# add "{callerPrincipal}" to the Allow statement's Principal.AWS (and check its Condition block: sts:ExternalId, aws:MultiFactorAuthPresent), then:\naws iam update-assume-role-policy --role-name {roleName} --policy-document file://trust.json`,
  terraform: `data "aws_iam_policy_document" "assume_{roleSlug}" {\n  statement {\n    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "AWS"\n      identifiers = ["{callerPrincipal}"]\n    }\n  }\n}\n# aws_iam_role.{roleSlug}: assume_role_policy = data.aws_iam_policy_document.assume_{roleSlug}.json`,
  risks: [
    "A trust policy that names the account root (`arn:aws:iam::ACCOUNT:root`) lets every principal of that account with sts:AssumeRole permission in: name the caller's role instead.",
    'update-assume-role-policy replaces the whole document: edit the one you read, do not write a new one from scratch.',
    'Name a role in Principal by its ARN with its IAM path; IAM stores it by unique id, so a re-created caller role must be added again.',
  ],
};

const PERMISSION_FIX = {
  kubectl: TRUST_FIX.kubectl,
  eksctl: TRUST_FIX.eksctl,
  aws: `# on the caller ({callerArn}), allow the call:\naws iam put-role-policy --role-name {callerName} --policy-name assume-{roleSlug} --policy-document {assumePolicy}`,
  terraform: `resource "aws_iam_role_policy" "assume_{roleSlug}" {\n  role   = "{callerName}"\n  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "{roleArn}" }] })\n}`,
  risks: [
    'Grant sts:AssumeRole on this role ARN only, never on `*`.',
    'An explicit Deny anywhere (identity policy, permissions boundary, session policy, SCP) wins over any Allow you add.',
  ],
};

/** The same allow, for a caller that is an IAM user: its inline policies are put-user-policy's. */
const PERMISSION_FIX_FOR_USER: FixSpec = {
  title: 'Allow sts:AssumeRole on {roleArn} in a policy of {callerPrincipal}',
  kubectl: TRUST_FIX.kubectl,
  eksctl: TRUST_FIX.eksctl,
  aws: `# on the caller ({callerArn}), allow the call:\naws iam put-user-policy --user-name {callerName} --policy-name assume-{roleSlug} --policy-document {assumePolicy}`,
  terraform: `resource "aws_iam_user_policy" "assume_{roleSlug}" {\n  user   = "{callerName}"\n  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "{roleArn}" }] })\n}`,
};

/**
 * An explicit Deny wins over any Allow, so adding one fixes nothing: the fix finds the Deny (the
 * caller's inline and attached policies and its permissions boundary), for a role or a user.
 */
const FIND_DENY: Record<'role' | 'user', FixSpec> = {
  role: {
    title: 'Find the Deny of sts:AssumeRole on {roleArn} in the policies of {callerPrincipal}',
    kubectl: TRUST_FIX.kubectl,
    eksctl: TRUST_FIX.eksctl,
    aws: '# the Deny is in one of these (or in the session policy the caller passed):\naws iam list-role-policies --role-name {callerName}\naws iam list-attached-role-policies --role-name {callerName}\naws iam get-role --role-name {callerName} --query Role.PermissionsBoundary',
    terraform:
      '# find the Deny statement on sts:AssumeRole in the policies Terraform attaches to {callerName}, and narrow it',
  },
  user: {
    title: 'Find the Deny of sts:AssumeRole on {roleArn} in the policies of {callerPrincipal}',
    kubectl: TRUST_FIX.kubectl,
    eksctl: TRUST_FIX.eksctl,
    aws: '# the Deny is in one of these (or in a policy of a group the user is in, or the session policy):\naws iam list-user-policies --user-name {callerName}\naws iam list-attached-user-policies --user-name {callerName}\naws iam list-groups-for-user --user-name {callerName}\naws iam get-user --user-name {callerName} --query User.PermissionsBoundary',
    terraform:
      '# find the Deny statement on sts:AssumeRole in the policies Terraform attaches to {callerName}, and narrow it',
  },
};

/** Steps that replace the message's template fix: a user's policies, and finding a Deny. */
function callerSteps(messageId: Message, callerPrincipal: string, data: Hit<Message>['data']): FixStep[] | undefined {
  const kind = /^arn:[^:]+:iam::\d{12}:user\//.test(callerPrincipal) ? 'user' : 'role';
  if (messageId === 'explicitDeny') return templateSteps(FIND_DENY[kind], data, '');
  if (messageId === 'noPermission' && kind === 'user') return templateSteps(PERMISSION_FIX_FOR_USER, data, '');
  return undefined;
}

export default defineCheck<Message>({
  meta: {
    id: 'identity/assume-role-denied',
    title: 'The caller cannot assume the target role',
    severity: 'error',
    stage: 'client',
    ref: 'C07',
    needs: ['assumeRole'],
    messages: {
      trustPolicy: {
        text: '{caller} may not assume {roleArn}: STS answered {code} "{message}". A refusal without a stated reason comes from the role\'s trust policy: it does not name {callerPrincipal}, or one of its conditions (sts:ExternalId, MFA, source IP) fails.',
        remediation:
          'Add {callerPrincipal} to the trust policy of {roleName} (or assume it from a principal the policy names).',
        fix: TRUST_FIX,
      },
      noPermission: {
        text: '{caller} may not assume {roleArn}: STS answered {code} "{message}". The caller\'s own IAM policies do not allow sts:AssumeRole on that role.',
        remediation: 'Allow sts:AssumeRole on {roleArn} in a policy of {callerPrincipal}.',
        fix: PERMISSION_FIX,
      },
      explicitDeny: {
        text: '{caller} may not assume {roleArn}: STS answered {code} "{message}". A Deny in the caller\'s policies, permissions boundary or session policy (or in the VPC endpoint policy the call went through) blocks it, and no Allow can override that.',
        remediation:
          'Find and narrow the Deny statement on {callerPrincipal} (`aws iam list-attached-role-policies`, the permissions boundary).',
        fix: PERMISSION_FIX,
      },
      trustDeny: {
        text: '{caller} may not assume {roleArn}: STS answered {code} "{message}". A Deny statement in the trust policy of {roleName} (the role\'s resource-based policy) matches the caller, and no Allow can override that.',
        remediation:
          'Find the Deny statement in the trust policy of {roleName} that matches {callerPrincipal} (its Principal, NotPrincipal or Condition) and narrow it.',
        fix: {
          kubectl: TRUST_FIX.kubectl,
          eksctl: TRUST_FIX.eksctl,
          aws: `aws iam get-role --role-name {roleName} --query Role.AssumeRolePolicyDocument > trust.json\n# narrow the Deny statement that matches "{callerPrincipal}" (adding an Allow changes nothing while it matches), then:\naws iam update-assume-role-policy --role-name {roleName} --policy-document file://trust.json`,
          terraform:
            '# find the Deny statement in the assume_role_policy of aws_iam_role.{roleSlug} that matches {callerPrincipal}, and narrow it',
          risks: [
            'update-assume-role-policy replaces the whole document: edit the one you read, do not write a new one from scratch.',
            'A Deny in a trust policy is usually deliberate (a guard against a whole account or path): narrow it for this caller only, with its owners.',
          ],
        },
      },
      scpDeny: {
        text: '{caller} may not assume {roleArn}: STS answered {code} "{message}". An AWS Organizations policy (SCP or RCP) denies it, which nothing in this account can override.',
        remediation:
          'Ask the organization administrators to allow this AssumeRole in the SCP, or use a role the SCP permits.',
        fix: {
          kubectl: TRUST_FIX.kubectl,
          eksctl: TRUST_FIX.eksctl,
          aws: '# run in the management account (or ask whoever owns it):\naws organizations list-policies-for-target --target-id {account} --filter SERVICE_CONTROL_POLICY',
          terraform: "# SCPs live in the organization's management account: change the aws_organizations_policy there.",
          risks: ['SCPs apply to every principal in the account or OU: loosen the statement for this role only.'],
        },
      },
      mfa: {
        text: '{caller} may not assume {roleArn}: STS answered {code} "{message}". The role requires multi-factor authentication and no valid MFA code came with the request.',
        remediation:
          'Assume {roleName} with MFA: set mfa_serial in the profile that assumes it, then run the command again.',
        fix: {
          kubectl: `# with mfa_serial in the profile, the aws CLI prompts for the code when the exec plugin runs:\n{updateKubeconfigMfa}`,
          eksctl: TRUST_FIX.eksctl,
          aws: `aws configure set mfa_serial arn:aws:iam::{account}:mfa/DEVICE --profile PROFILE_WITH_MFA\naws configure set role_arn {roleArn} --profile PROFILE_WITH_MFA\naws sts get-caller-identity --profile PROFILE_WITH_MFA`,
          terraform:
            '# Terraform cannot prompt for MFA codes: assume the role outside Terraform (aws-vault, aws sso) and pass the session in.',
          risks: [
            'Kubernetes clients run the exec plugin without a terminal in many tools (IDEs, Lens): an MFA prompt there fails. Cache an MFA session first.',
          ],
        },
      },
      other: {
        text: '{caller} could not assume {roleArn}: STS answered {code} "{message}".',
        remediation: 'Correct the AssumeRole request ({code}) and run the command again.',
        fix: TRUST_FIX,
      },
    },
  },
  run({ evidence }) {
    const assume = evidence.assumeRole;
    // Expired or rejected credentials are the caller's own (identity/credentials-*), not the role's trust policy.
    if (assume?.outcome !== 'refused' || EXPIRED_CODES.has(assume.code) || isRejectedCredentialCode(assume.code))
      return [];
    const callerArn = evidence.caller?.arn;
    const callerPrincipal = callerArn ? canonicalOf(callerArn) : 'CALLER_ARN';
    const roleName = assume.roleArn.split('/').pop() ?? assume.roleArn;
    const messageId = classifyAssumeRoleRefusal(assume.code, assume.message);
    const data: Hit<Message>['data'] = {
      caller: callerArn ?? 'The caller',
      callerArn: callerArn ?? 'CALLER_ARN',
      callerPrincipal,
      callerName: callerPrincipal.split('/').pop() ?? 'CALLER_ROLE',
      roleArn: assume.roleArn,
      assumePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: assume.roleArn }],
      }),
      roleName,
      roleSlug: roleName.replace(/[^A-Za-z0-9_]/g, '_'),
      code: assume.code,
      message: assume.message,
      account: evidence.caller?.account ?? 'ACCOUNT_ID',
      cluster: liveClusterName(evidence),
      region: liveRegion(evidence),
      updateKubeconfig: updateKubeconfig(evidence, ['--role-arn', assume.roleArn]),
      updateKubeconfigMfa: updateKubeconfig(evidence, ['--role-arn', assume.roleArn, '--profile', 'PROFILE_WITH_MFA']),
    };
    const steps = callerSteps(messageId, callerPrincipal, data);
    return [
      {
        messageId,
        subject: { kind: 'principal', name: assume.roleArn },
        affectsPrincipal: true,
        data,
        ...(steps ? { fix: steps } : {}),
      },
    ];
  },
});
