import type { AuthenticationMode } from '../../model/evidence.js';
import type { Partition } from '../../model/partitions.js';

/** The services the sandbox serves; each has its own listener so faults can target one. */
export const SERVICES = ['sts', 'eks', 'iam', 'cloudtrail', 'logs', 'kube'] as const;
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

/** The control-plane log types EKS can send to CloudWatch Logs (facts §5). */
export const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
export type LogType = (typeof LOG_TYPES)[number];

export interface ScenarioLogging {
  /** Types sent to CloudWatch Logs (DescribeCluster `logging.clusterLogging`); empty: logging off. */
  enabled: LogType[];
  /** The audit level of writes to aws-auth: RequestResponse keeps the ConfigMap sent in `requestObject`. */
  awsAuthAuditLevel: 'Metadata' | 'RequestResponse';
}

/** Who did something in the cluster's past, as AWS and the API server would name them. */
export interface HistoryActor {
  /** IAM ARN (roles: the role, not the session). */
  arn: string;
  type: 'role' | 'user';
  accountId: string;
  uniqueId: string;
  sessionName: string;
  accessKeyId: string;
  /** The Kubernetes user the authenticator mapped them to (aws-auth writes, granted decisions). */
  username: string;
  groups: string[];
}

export const HISTORY_EVENTS = [
  'CreateAccessEntry',
  'DeleteAccessEntry',
  'AssociateAccessPolicy',
  'UpdateClusterConfig',
] as const;

/** Something that happened before the sandbox started, replayed into the logs and CloudTrail. */
export type ScenarioHistoryItem =
  | {
      kind: 'aws-auth-write';
      at: Date;
      by: HistoryActor;
      verb: 'create' | 'update' | 'patch' | 'delete';
      sourceIP: string;
      userAgent: string;
      /** The ConfigMap `data` the write sent (audit `requestObject` at RequestResponse level). */
      data?: Record<string, string>;
    }
  | {
      kind: 'authenticator';
      at: Date;
      principal: HistoryActor;
      decision: 'granted' | 'denied';
      /** The authenticator's error text (denied). */
      error: string;
      /** Whether the error came before STS answered (token errors) or after (mapping). */
      stage: 'token' | 'mapping';
      times: number;
      everyMs: number;
      sourceIP: string;
      requestURI: string;
    }
  | {
      kind: 'cloudtrail';
      at: Date;
      by: HistoryActor;
      event: (typeof HISTORY_EVENTS)[number];
      /** The access entry's principal (CreateAccessEntry, DeleteAccessEntry, AssociateAccessPolicy). */
      principalArn?: string;
      policyArn?: string;
      authenticationMode?: string;
      sourceIP: string;
    };

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
  logging: ScenarioLogging;
  /** Oldest first. */
  history: ScenarioHistoryItem[];
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
  /** What the control-plane logs say about the story (the report side must show it). */
  logs?: LogExpectation;
}

export interface LogExpectation {
  /** The principal's latest authenticator decision in the replayed history. */
  authenticator?: 'granted' | 'denied';
  /** Its error text, for a denial. */
  error?: string;
  /** IAM ARN of whoever last wrote aws-auth in the history. */
  awsAuthChangedBy?: string;
  /** How the authenticator last reloaded aws-auth in the history (its ConfigMap watch). */
  awsAuthLoad?: 'parsed' | 'parse-error' | 'reset';
  /** Nothing wrote aws-auth in the window or the day before it: the report must show no aws-auth change. */
  awsAuthUnchanged?: boolean;
  /**
   * IAM ARN of the creator that only the authenticator's `kubernetes-admin` grants still name
   * (CloudTrail keeps CreateCluster 90 days): the report must take the creator from the log.
   */
  creatorFromLog?: string;
  /** The logs contradict the model's prediction for the principal: the report must flag the disagreement. */
  contradictsModel?: boolean;
  /** Why the logs cannot be read: the report must degrade to "could not check". */
  unavailable?: 'logging-off' | 'access-denied';
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
