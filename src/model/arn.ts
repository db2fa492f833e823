import { isPartition, type Partition } from './partitions.js';
import { fail, ok, type Result } from './result.js';

/** The six colon-separated sections of an ARN, as the AWS SDK's ARN parser splits them. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export type PrincipalKind = 'role' | 'user' | 'root' | 'federated-user';

/** What the authenticator derives from the STS ARN (aws-iam-authenticator pkg/arn/arn.go). */
export interface CanonicalIdentity {
  canonicalArn: string;
  kind: PrincipalKind;
  partition: Partition;
  accountId: string;
  /** Role session name; only for assumed-role ARNs. */
  sessionName?: string;
}

/**
 * Splits an ARN the way the AWS SDK's arn.Parse does: an `arn:` prefix and at least six sections,
 * the sixth keeping any further colons. Error texts follow the SDK so they read like EKS's logs.
 */
export function parseArn(arn: string): Result<ParsedArn> {
  if (!arn.startsWith('arn:')) return fail(`arn '${arn}' is invalid: 'arn: invalid prefix'`);
  const sections = arn.split(':');
  if (sections.length < 6) return fail(`arn '${arn}' is invalid: 'arn: not enough sections'`);
  // Stryker disable next-line StringLiteral: sections has at least six items here, so no default ever applies
  const [, partition = '', service = '', region = '', accountId = ''] = sections;
  return ok({ partition, service, region, accountId, resource: sections.slice(5).join(':') });
}

/**
 * Canonicalises an identity ARN exactly as the authenticator does: an STS assumed-role ARN
 * becomes the IAM role ARN without the session (and, since STS never reports it, without a path);
 * IAM users, roles, root and STS federated users are returned unchanged. Case is kept.
 */
export function canonicalizeArn(arn: string): Result<CanonicalIdentity> {
  const parsed = parseArn(arn);
  if (!parsed.ok) return parsed;
  const { partition, service, accountId, resource } = parsed.value;
  if (!isPartition(partition)) return fail(`arn '${arn}' does not have a recognized partition`);
  const base = { partition, accountId };
  // Stryker disable next-line StringLiteral: split() returns at least one element
  const [kind = '', ...rest] = resource.split('/');
  if (service === 'sts') {
    if (kind === 'assumed-role') {
      const parts = resource.split('/');
      if (parts.length < 3) return fail(`assumed-role arn '${arn}' does not have a role`);
      const roleName = parts.slice(1, -1).join('/');
      // Stryker disable next-line StringLiteral: split() returns at least one element
      const sessionName = parts[parts.length - 1] ?? '';
      return ok({
        ...base,
        kind: 'role',
        sessionName,
        canonicalArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
      });
    }
    if (kind === 'federated-user') return ok({ ...base, kind: 'federated-user', canonicalArn: arn });
    return fail(`unrecognized resource ${resource} for service sts`);
  }
  if (service === 'iam') {
    if (kind === 'role' && rest.length > 0) return ok({ ...base, kind: 'role', canonicalArn: arn });
    if (kind === 'user' && rest.length > 0) return ok({ ...base, kind: 'user', canonicalArn: arn });
    if (resource === 'root') return ok({ ...base, kind: 'root', canonicalArn: arn });
    return fail(`unrecognized resource ${resource} for service iam`);
  }
  return fail(`service ${service} in arn ${arn} is not a valid service for identities`);
}

/**
 * The IAM principal an ARN stands for, as the authenticator matches it: a role session is its role
 * (every session of the role), a role's path is dropped. Unparseable input comes back trimmed.
 */
export function principalArnOf(arn: string): string {
  const canonical = canonicalizeArn(arn.trim());
  return stripRolePath(canonical.ok ? canonical.value.canonicalArn : arn.trim());
}

/** `role/team/app/Name` → `role/Name`; users and other ARNs unchanged (pkg/arn StripPath). */
export function stripRolePath(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed.ok || parsed.value.service !== 'iam') return arn;
  const parts = parsed.value.resource.split('/');
  if (parts[0] !== 'role' || parts.length <= 2) return arn;
  const { partition, accountId } = parsed.value;
  // Stryker disable next-line StringLiteral: split() returns at least one element
  return `arn:${partition}:iam::${accountId}:role/${parts[parts.length - 1] ?? ''}`;
}

/** The IAM path of a role or user ARN (`/` when there is none), or undefined for other ARNs. */
export function iamPathOf(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (!parsed.ok || parsed.value.service !== 'iam') return undefined;
  const parts = parsed.value.resource.split('/');
  if ((parts[0] !== 'role' && parts[0] !== 'user') || parts.length < 2) return undefined;
  return parts.length === 2 ? '/' : `/${parts.slice(1, -1).join('/')}/`;
}

/** Account ids are exactly twelve digits. */
export const isAccountId = (value: string): boolean => /^\d{12}$/.test(value);

/** IAM role and user names: 1–64 characters of `[\w+=,.@-]`. */
export const isIamName = (value: string): boolean => /^[\w+=,.@-]{1,64}$/.test(value);

/** EC2 instance ids as the authenticator's EC2PrivateDNSName template demands: `i-` + 8 or 17 word characters. */
export const isInstanceId = (value: string): boolean => /^i-(\w{8}|\w{17})$/.test(value);

/** ARNs compare case-insensitively in every EKS mapping source. */
export const sameArn = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
