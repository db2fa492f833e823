import type { TokenEvidence } from '../token/evidence.js';
import type { AwsAuth } from './aws-auth/types.js';
import type { Partition } from './partitions.js';
import type { Principal } from './principal.js';

export type AuthenticationMode = 'CONFIG_MAP' | 'API_AND_CONFIG_MAP' | 'API';
export const AUTHENTICATION_MODES: readonly AuthenticationMode[] = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

/** eks:DescribeCluster, reduced to what a diagnosis needs. */
export interface ClusterInfo {
  name: string;
  arn?: string;
  region?: string;
  accountId?: string;
  partition?: Partition;
  authenticationMode?: AuthenticationMode;
  bootstrapClusterCreatorAdminPermissions?: boolean;
  status?: string;
  version?: string;
  platformVersion?: string;
  /** The cluster's service role (the control plane's, never a node's): node fixes must not name it. */
  roleArn?: string;
  endpoint?: string;
  certificateAuthorityData?: string;
  endpointPublicAccess?: boolean;
  endpointPrivateAccess?: boolean;
  publicAccessCidrs?: string[];
  createdAt?: string;
  /** `logging.clusterLogging`: the control-plane log types that are on (api, audit, authenticator, …). */
  enabledLogTypes?: string[];
}

export interface AccessScope {
  type: 'cluster' | 'namespace';
  namespaces: string[];
}

/** eks:ListAssociatedAccessPolicies item. */
export interface AssociatedAccessPolicy {
  policyArn: string;
  accessScope: AccessScope;
  associatedAt?: string;
}

/** eks:DescribeAccessEntry `accessEntry`, with its policies when they were listed. */
export interface AccessEntry {
  principalArn: string;
  type: string;
  username?: string;
  kubernetesGroups: string[];
  createdAt?: string;
  modifiedAt?: string;
  accessEntryArn?: string;
  /** undefined: not listed (unknown); []: listed, none associated. */
  associatedAccessPolicies?: AssociatedAccessPolicy[];
}

/** Who created the cluster: the IAM principal (for a role session, the role) and how we know. */
export interface ClusterCreator {
  arn: string;
  /** `authenticator-log`: an "access granted" line with username kubernetes-admin (CONFIG_MAP mode). */
  source: 'cloudtrail' | 'flag' | 'evidence' | 'authenticator-log';
  sessionArn?: string;
  eventTime?: string;
  /** The unique id CloudTrail recorded for the creator (`AROA…`, `AIDA…`; without `:SESSION`). */
  principalId?: string;
}

/** eks:DescribeNodegroup `nodegroup`, reduced. */
export interface Nodegroup {
  nodegroupName: string;
  nodeRole: string;
  amiType?: string;
  status?: string;
  healthIssues: { code: string; message: string }[];
  /**
   * true for a self-managed group (an Auto Scaling group the user runs; DescribeNodegroup never
   * returns those, so a collector or the input file must say so). Absent: a managed node group.
   */
  selfManaged?: boolean;
}

export interface FargateProfile {
  fargateProfileName: string;
  podExecutionRoleArn: string;
}

export interface RbacSubject {
  kind: string;
  name: string;
  namespace?: string;
}

/** A RoleBinding or ClusterRoleBinding as `kubectl get … -o json` prints it. */
export interface RbacBinding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  namespace?: string;
  roleRef: { kind: string; name: string };
  subjects: RbacSubject[];
}

/** iam:GetRole / iam:GetUser for the principal under diagnosis. */
export interface IamPrincipalDetails {
  arn: string;
  path: string;
  uniqueId?: string;
  createDate?: string;
}

/** sts:GetCallerIdentity of the operator's own credentials, and which link of the chain gave them. */
export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
  /** e.g. `environment variables`, `profile ci (~/.aws/credentials)`, `SSO (profile dev)`, `EC2 instance metadata`. */
  credentialSource: string;
  /** Expiry of temporary credentials, ISO 8601. */
  expiresAt?: string;
  /**
   * AWS's clock minus this machine's, in ms, as the AWS SDK measured it from STS's `Date` header.
   * The SDK keeps an offset only from 5 minutes on, so it is absent (or 0) below that.
   */
  clockOffsetMs?: number;
}

/**
 * What selected the AWS credentials in the environment the live run happened in: names and
 * presence only, never a key or a token.
 */
export interface CredentialEnvironment {
  /** The profile selected (`--profile`, else AWS_PROFILE); undefined when none was. */
  profile?: string;
  /** Where that profile came from. */
  profileFrom?: '--profile' | 'AWS_PROFILE';
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set in the environment. */
  staticKeys: boolean;
  /** Which link of the credential chain answers (`environment variables (…)`, `SSO (profile dev)`), known before any call. */
  source?: string;
}

/** sts:AssumeRole into the target (`--role-arn`). */
export type AssumeRoleOutcome =
  | { roleArn: string; sessionName: string; outcome: 'assumed'; sessionArn: string; expiresAt?: string }
  | { roleArn: string; sessionName: string; outcome: 'refused'; code: string; message: string };

/** Which cluster was asked for, where, and why there. */
export interface ClusterLookup {
  name: string;
  region: string;
  /** e.g. `--region`, `AWS_REGION`, `profile dev`, `default`. */
  regionSource: string;
  found: boolean;
  /** When not found: other regions where a cluster of that name exists (when we could look). */
  foundInRegions?: string[];
  /** When not found: the other regions that answered the search (found or not). */
  searchedRegions?: string[];
}

/** DNS, TCP and TLS to the cluster endpoint, against the CA EKS reports. */
export interface NetworkProbe {
  host: string;
  port: number;
  /** `resolvedBy: 'proxy'`: through a proxy this machine resolves nothing; the proxy does. */
  dns: { ok: boolean; addresses?: string[]; error?: string; resolvedBy?: 'proxy' };
  /** Through a proxy: the tunnel to host:port, once the proxy opened it. */
  tcp?: { ok: boolean; ms?: number; error?: string };
  tls?: { ok: boolean; ms?: number; error?: string };
  /** The proxy kubectl would use for the endpoint, and how it answered CONNECT. */
  proxy?: {
    /** Without credentials (redactProxyUrl). */
    url: string;
    /** The variable it came from, or `proxy-url` (kubeconfig). */
    source: string;
    connect: { ok: boolean; status?: number; ms?: number; error?: string };
  };
}

/** What the API server did with the target's token. */
export interface ApiProbe {
  /** HTTP status of GET /version with the token; null when no HTTP answer came. */
  status: number | null;
  error: string | null;
  /** SelfSubjectReview: who the cluster thinks the principal is. */
  selfSubjectReview?: { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> };
  /** SelfSubjectAccessReviews for a few representative verbs. */
  accessReviews?: {
    verb: string;
    resource: string;
    group?: string;
    namespace?: string;
    allowed: boolean;
    reason?: string;
    /** Asked for by the user (`doctor --can`), not one of the standard samples. */
    requested?: boolean;
  }[];
  /** The server's Date header, to measure clock skew. */
  serverDate?: string;
}

/** The kubeconfig entry for this cluster, and what its exec plugin resolves to. */
export interface KubeconfigFacts {
  path: string;
  context: string;
  /** The context's user entry, and what it authenticates with. */
  user?: string;
  credential?: 'exec' | 'token' | 'tokenFile' | 'client-certificate' | 'auth-provider' | 'basic' | 'none';
  server?: string;
  /** Does the kubeconfig's CA equal the one EKS reports? */
  caMatchesCluster?: boolean;
  exec?: { command: string; args: string[]; env: Record<string, string>; apiVersion: string; commandFound: boolean };
  /** Identity of the token the exec plugin returned (run as kubectl would), or why it failed. */
  execIdentity?: { arn: string } | { error: string };
  /** What the API server says the context's user is (`kubectl auth whoami`), or why it did not say. */
  whoami?: { username: string; groups: string[] } | { status?: number; error: string };
}

/** One decision of the EKS authenticator, from its CloudWatch log line (pkg/server/server.go authenticateEndpoint). */
export interface AuthenticatorDecision {
  /** ISO 8601, from the log event. */
  time: string;
  outcome: 'granted' | 'denied';
  /** The canonical ARN the authenticator mapped (absent on a token error: the token never got that far). */
  arn?: string;
  /** The STS ARN (`assumed-role/…/session`) of the "STS response" line before it. */
  sessionArn?: string;
  /** Of the token that was presented, masked to its first and last four characters. */
  accessKeyId?: string;
  /** The address that called the authenticator (on EKS, the API server). */
  client?: string;
  username?: string;
  uid?: string;
  groups?: string[];
  /** "access denied": the verifier's or mapper's error text, verbatim. */
  error?: string;
  stsEndpoint?: string;
  /** How the line was tied to the principal. */
  matchedBy?: 'arn' | 'access-key-id' | 'client';
}

/** What the authenticator's log says about the principal in the window read. */
export interface AuthenticatorLogEvidence {
  logGroup: string;
  since: string;
  until: string;
  /** Log events read (all principals), and whether the page limit cut the window short. */
  eventsRead: number;
  truncated: boolean;
  /** The principal's decisions, most recent first (at most a few dozen). */
  decisions: AuthenticatorDecision[];
  /** Each reload of aws-auth the authenticator logged in the window or the day before it, oldest first. */
  awsAuthLoads?: AwsAuthLoad[];
  /** The narrow read of the day before the window for those reloads. */
  awsAuthLookback?: AwsAuthLookback;
}

/** The authenticator reloading aws-auth after a change (its ConfigMap watch). */
export interface AwsAuthLoad {
  time: string;
  /** `parse-error`: ParseMap failed and only the rows that parsed were kept. */
  outcome: 'parsed' | 'parse-error' | 'reset';
  /** ParseMap's error, as logged (`error parsing config map: [...]`). */
  error?: string;
}

/** A write to kube-system/aws-auth, from the API server's audit log. */
export interface AwsAuthChange {
  time: string;
  verb: string;
  user: string;
  sourceIps: string[];
  /** HTTP status of the write (a refused write changes nothing). */
  status?: number;
  /** data keys written or changed, when the audit level logged the request body. */
  changedKeys?: string[];
  /** ARNs added to or removed from mapRoles/mapUsers, when the bodies of two writes can be compared. */
  rowsAdded?: string[];
  rowsRemoved?: string[];
  /** Blocks this write left unparseable, so the authenticator drops them whole. */
  blocksDropped?: string[];
  /** The IAM ARN behind `user`, from the authenticator's "access granted" line for that request. */
  userArn?: string;
  /** `creator`: no such line; `user` is kubernetes-admin, the CONFIG_MAP creator's username, and the creator is known. */
  userArnFrom?: 'creator';
}

/** A 401 the API server's audit log recorded. */
export interface UnauthorizedRequest {
  time: string;
  sourceIps: string[];
  user?: string;
  uri?: string;
}

export interface AuditLogEvidence {
  logGroup: string;
  since: string;
  until: string;
  eventsRead: number;
  truncated: boolean;
  /** Oldest first. */
  awsAuthChanges: AwsAuthChange[];
  /** Oldest first, at most a few dozen. */
  unauthorized: UnauthorizedRequest[];
  /**
   * The narrow read of writes to aws-auth in the day before the window (their changes are in
   * `awsAuthChanges`), or why it failed; absent when the window already covers that day.
   */
  awsAuthLookback?: AwsAuthLookback;
}

/** A narrow read of the day before the window for what concerns aws-auth, or why it failed. */
export interface AwsAuthLookback {
  since: string;
  eventsRead?: number;
  truncated?: boolean;
  error?: string;
}

/** An access-entry or authentication-mode change, from CloudTrail (eks.amazonaws.com). */
export interface AccessChange {
  time: string;
  eventName: string;
  /** Who made it (the role, for a role session). */
  actor: string;
  /** The access entry's principal, or the new authentication mode. */
  target?: string;
  /** The error code, when EKS refused the change. */
  errorCode?: string;
}

export interface AccessChangeEvidence {
  since: string;
  until: string;
  /** Oldest first. */
  changes: AccessChange[];
}

/** Why a source could not be read; `code` is what checks branch on, `message` what people read. */
export interface SourceFailure {
  code:
    | 'access-denied'
    | 'not-found'
    | 'throttled'
    | 'unreachable'
    | 'timeout'
    | 'no-credentials'
    | 'expired-credentials'
    | 'bad-credentials'
    | 'clock-skew'
    | 'invalid'
    | 'error';
  /** The API action or Kubernetes verb that failed, e.g. `eks:ListAccessEntries`. */
  action: string;
  /** "could not check, because …" */
  message: string;
  /** The AWS error code behind it, when that is what a check must tell apart (`SignatureDoesNotMatch`). */
  awsCode?: string;
}

/** The aws-auth ConfigMap: read and parsed, or known to be absent. */
export type AwsAuthEvidence = { state: 'present'; configMap: AwsAuth } | { state: 'absent' };

/**
 * Everything checks may read. Plain data, the same whether it came from flags and files
 * (`explain`) or from live collectors (`doctor`); secrets are never part of it.
 */
export interface Evidence {
  principal?: Principal;
  cluster?: ClusterInfo;
  awsAuth?: AwsAuthEvidence;
  accessEntries?: AccessEntry[];
  creator?: ClusterCreator;
  nodegroups?: Nodegroup[];
  fargateProfiles?: FargateProfile[];
  rbac?: RbacBinding[];
  principalDetails?: IamPrincipalDetails;
  /** iam:GetRole/GetUser of the creator (to tell a re-created creator). */
  creatorDetails?: IamPrincipalDetails;
  /** Token facts (decode-token, doctor): never the token itself. */
  token?: TokenEvidence;
  caller?: CallerIdentity;
  /** The diagnosed principal's own identity, when given its own credentials (`--target-profile`). */
  targetCaller?: CallerIdentity;
  /** How the credential chain was steered (profile, static keys in the environment). */
  credentialEnv?: CredentialEnvironment;
  assumeRole?: AssumeRoleOutcome;
  clusterLookup?: ClusterLookup;
  network?: NetworkProbe;
  probe?: ApiProbe;
  kubeconfig?: KubeconfigFacts;
  /** The authenticator's own decisions for the principal (control-plane log type `authenticator`). */
  authenticatorLog?: AuthenticatorLogEvidence;
  /** Writes to aws-auth and 401s (control-plane log type `audit`). */
  auditLog?: AuditLogEvidence;
  /** Access-entry and authentication-mode changes in the same window (CloudTrail). */
  accessChanges?: AccessChangeEvidence;
  /** Sources that were asked for but could not be read: "could not check, because …". */
  unavailable?: Partial<Record<EvidenceSource, string>>;
  /** The same, with a code checks can branch on. */
  failures?: Partial<Record<EvidenceSource, SourceFailure>>;
}

export type EvidenceSource = Exclude<keyof Evidence, 'unavailable' | 'failures'>;
