import type { AuthenticationMode } from '../../model/evidence.js';
import type { Partition } from '../../model/partitions.js';

/** The services the sandbox serves; each has its own listener so faults can target one. */
export const SERVICES = ['sts', 'eks', 'iam', 'cloudtrail', 'kube'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** An IAM role or user, resolved: every default filled in, every reference turned into an ARN. */
export interface ScenarioPrincipal {
  /** The handle used by `--principal` and in references inside the scenario. */
  id: string;
  type: 'role' | 'user';
  name: string;
  accountId: string;
  partition: Partition;
  /** IAM path, `/` when none. */
  path: string;
  /** The IAM ARN, path included. */
  arn: string;
  /** RoleId (AROA…) or UserId (AIDA…). */
  uniqueId: string;
  createDate: Date;
  /** Long-term keys (users); roles get keys only through AssumeRole or a sandbox-issued session. */
  accessKeys: AccessKey[];
  /** Roles: IAM ARNs (or account roots) allowed to assume it. */
  trustedPrincipals: string[];
  /** Roles: the session name of the credentials the sandbox issues for `envFor`. */
  sessionName: string;
  /** Roles: lifetime of sessions in seconds; negative gives already-expired credentials. */
  sessionSeconds: number;
  maxSessionDuration: number;
}

export interface ScenarioAccessPolicy {
  policyArn: string;
  accessScope: { type: 'cluster' | 'namespace'; namespaces: string[] };
  associatedAt: Date;
}

export interface ScenarioAccessEntry {
  principalArn: string;
  type: string;
  username?: string;
  kubernetesGroups: string[];
  createdAt: Date;
  modifiedAt: Date;
  /** The unique id EKS stored when the entry was made; differs from the principal's when it was re-created. */
  principalUniqueId?: string;
  policies: ScenarioAccessPolicy[];
  tags: Record<string, string>;
}

export interface HealthIssue {
  code: string;
  message: string;
  resourceIds: string[];
}

export interface ScenarioNodegroup {
  name: string;
  nodeRoleArn: string;
  status: string;
  amiType: string;
  instanceTypes: string[];
  capacityType: string;
  scaling: { minSize: number; maxSize: number; desiredSize: number };
  createdAt: Date;
  health: HealthIssue[];
}

export interface ScenarioFargateProfile {
  name: string;
  podExecutionRoleArn: string;
  status: string;
  selectors: { namespace: string; labels?: Record<string, string> }[];
  createdAt: Date;
}

export interface ScenarioCreator {
  /** The IAM principal (a role, for role sessions) that called CreateCluster. */
  principalArn: string;
  /** Its unique id at creation time; the grant follows this id, not the ARN. */
  uniqueId: string;
  principalType: 'role' | 'user';
  sessionName: string;
  accessKeyId: string;
  /** false: no CreateCluster event is visible (older than 90 days, another region's trail…). */
  cloudTrail: boolean;
}

/** A Kubernetes object as stored by the API server (plain JSON). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ScenarioCluster {
  name: string;
  region: string;
  accountId: string;
  partition: Partition;
  arn: string;
  version: string;
  platformVersion: string;
  status: string;
  createdAt: Date;
  roleArn: string;
  authenticationMode: AuthenticationMode;
  /** undefined: DescribeCluster leaves the field out, as the CLI examples show. */
  bootstrapClusterCreatorAdminPermissions: boolean | undefined;
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  publicAccessCidrs: string[];
  creator?: ScenarioCreator;
  /** The aws-auth ConfigMap's `data`, every value kept verbatim; undefined: no ConfigMap. */
  awsAuthData?: Record<string, string>;
  accessEntries: ScenarioAccessEntry[];
  nodegroups: ScenarioNodegroup[];
  fargateProfiles: ScenarioFargateProfile[];
  /** RBAC objects and extra ConfigMaps, added to (or replacing) EKS's defaults. */
  objects: KubeObject[];
  /** Names of default RBAC objects to leave out (e.g. `eks:node-manager`). */
  withoutDefaults: string[];
  tags: Record<string, string>;
  health: HealthIssue[];
}

export const FAULT_KINDS = [
  'latency',
  'throttle',
  'server-error',
  'access-denied',
  'hang',
  'refuse',
  'untrusted-tls',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  service: ServiceName;
  kind: FaultKind;
  /** Operation name (`DescribeCluster`, `GetCallerIdentity`) or, for kube, a verb; undefined: every one. */
  action?: string;
  /** IAM ARN of the caller it applies to (canonical, no session); undefined: everyone. */
  principalArn?: string;
  /** latency: added milliseconds. */
  ms?: number;
  /** server-error: the HTTP status (default 500). */
  status?: number;
  /** How many matching requests it hits before it stops (undefined: all). */
  times?: number;
}

export interface ScenarioExpectation {
  /** The check id that explains the scenario's failure; undefined for healthy scenarios. */
  rootCause?: string;
  /** The principal the story is about. */
  principal?: string;
  /** What `kubectl auth whoami` gives that principal: 200, 401 or 403 (403 when the review is forbidden). */
  whoami?: 200 | 401 | 403;
  /** A request the principal makes once authenticated, and the status it gets (authorization stories). */
  probe?: { method: string; path: string; status: number };
  /** The role (principal id) the story's principal tries to assume, e.g. with `aws eks get-token --role-arn`. */
  assumes?: string;
  /** Anything a reader should know about how faithful the emulation is. */
  note?: string;
}

export interface Scenario {
  name: string;
  description: string;
  /** Where it was loaded from, for messages. */
  source: string;
  accounts: { id: string; alias?: string }[];
  principals: ScenarioPrincipal[];
  clusters: ScenarioCluster[];
  faults: Fault[];
  expect: ScenarioExpectation;
  /** The principal `eksauth sandbox` uses when none is named. */
  defaultPrincipal?: string;
  /** The region clients are configured for (AWS_REGION); default: the first cluster's. */
  clientRegion?: string;
  /**
   * How far the clients' clock is from AWS's, in ms (negative: behind). The sandbox keeps the
   * machine's clock for clients and runs AWS and the API servers at machine time minus this.
   */
  clientClockOffsetMs?: number;
}
