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
  endpoint?: string;
  certificateAuthorityData?: string;
  endpointPublicAccess?: boolean;
  endpointPrivateAccess?: boolean;
  publicAccessCidrs?: string[];
  createdAt?: string;
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
  source: 'cloudtrail' | 'flag' | 'evidence';
  sessionArn?: string;
  eventTime?: string;
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
  /** Sources that were asked for but could not be read: "could not check, because …". */
  unavailable?: Partial<Record<EvidenceSource, string>>;
}

export type EvidenceSource = Exclude<keyof Evidence, 'unavailable'>;
