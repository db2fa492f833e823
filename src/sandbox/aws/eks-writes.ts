import { randomUUID } from 'node:crypto';
import { RESERVED_USERNAME_PREFIXES } from '../../model/access-entries.js';
import type { AuthenticationMode } from '../../model/evidence.js';
import {
  LOG_TYPES,
  type LogType,
  type ScenarioAccessEntry,
  type ScenarioAccessPolicy,
  type ScenarioCluster,
} from '../scenario/types.js';
import { epochSeconds, principalByArn, type World } from '../world.js';
import { AwsError } from './http.js';

/**
 * The EKS writes fix commands make (CreateAccessEntry, AssociateAccessPolicy, UpdateClusterConfig…),
 * with EKS's refusals and their real codes and texts (facts §1.3, §2; corrections §1). They change
 * the cluster object in place: the sandbox authenticator reads it on every request, so a write is
 * seen at once (EKS takes seconds; nothing here waits for it).
 */

const invalidParameter = (message: string, cluster: ScenarioCluster): AwsError =>
  new AwsError(400, 'InvalidParameterException', message, { clusterName: cluster.name });

const ENTRY_TYPES = ['STANDARD', 'EC2', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX'];

/** Access-entry calls need a mode that reads entries (facts §1.3: HTTP 400 InvalidRequestException). */
export function requireEntryMode(cluster: ScenarioCluster): void {
  if (cluster.authenticationMode !== 'CONFIG_MAP') return;
  throw new AwsError(
    400,
    'InvalidRequestException',
    "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
    { clusterName: cluster.name },
  );
}

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;

/** Username and group rules EKS applies on create and update (facts §2.4, §2.5). */
function checkNames(cluster: ScenarioCluster, username: unknown, groups: string[] | undefined): void {
  if (typeof username === 'string') {
    const reserved = RESERVED_USERNAME_PREFIXES.find((p) => username.startsWith(p));
    if (reserved) throw invalidParameter(`The username must not begin with ${reserved}`, cluster);
    for (const template of ['{{SessionName}}', '{{SessionNameRaw}}']) {
      const at = username.indexOf(template);
      // The rule is documented (a colon before the template); the exact error text is not.
      if (at >= 0 && !username.slice(0, at).includes(':'))
        throw invalidParameter(`The username ${username} is invalid: ${template} must follow a ':'`, cluster);
    }
  }
  const system = groups?.find((g) => g.startsWith('system:'));
  if (system)
    throw invalidParameter(`The kubernetes group name ${system} is invalid, it cannot start with system:`, cluster);
}

export function createAccessEntry(world: World, cluster: ScenarioCluster, body: Record<string, unknown>, now: Date) {
  requireEntryMode(cluster);
  const principalArn = typeof body.principalArn === 'string' ? body.principalArn : '';
  if (!/^arn:[^:]+:iam::\d{12}:(role|user)\/./.test(principalArn))
    throw invalidParameter('The principalArn parameter format is not valid', cluster);
  const principal = principalByArn(world, principalArn);
  if (!principal || principal.arn !== principalArn)
    throw invalidParameter('The specified principalArn is invalid: invalid principal.', cluster);
  const type = typeof body.type === 'string' ? body.type : 'STANDARD';
  if (!ENTRY_TYPES.includes(type.toUpperCase()))
    throw invalidParameter(`The type ${type} is invalid, it must be one of [${ENTRY_TYPES.join(', ')}]`, cluster);
  const groups = stringList(body.kubernetesGroups) ?? [];
  if (type.toUpperCase() !== 'STANDARD') {
    // Node types take a role of the cluster's own account and no username or groups (facts §2.2, §2.4).
    if (principal.type !== 'role' || principal.accountId !== cluster.accountId)
      throw invalidParameter(`Access entries of type ${type} must name an IAM role in the cluster's account`, cluster);
    if (body.username !== undefined || groups.length > 0)
      throw invalidParameter(`Access entries of type ${type} cannot have a username or kubernetes groups`, cluster);
  }
  checkNames(cluster, body.username, groups);
  if (cluster.accessEntries.some((e) => e.principalArn === principalArn))
    throw new AwsError(
      409,
      'ResourceInUseException',
      'The specified access entry resource is already in use on this cluster.',
      {
        clusterName: cluster.name,
      },
    );
  const entry: ScenarioAccessEntry = {
    principalArn,
    type: type.toUpperCase(),
    ...(typeof body.username === 'string' ? { username: body.username } : {}),
    kubernetesGroups: groups,
    createdAt: now,
    modifiedAt: now,
    // EKS keeps the principal's unique id: re-creating the role later breaks the entry (facts §2.3).
    principalUniqueId: principal.uniqueId,
    policies: [],
    tags: (body.tags as Record<string, string> | undefined) ?? {},
  };
  cluster.accessEntries.push(entry);
  return entry;
}

export function updateAccessEntry(
  cluster: ScenarioCluster,
  entry: ScenarioAccessEntry,
  body: Record<string, unknown>,
  now: Date,
) {
  const groups = stringList(body.kubernetesGroups);
  if ((body.username !== undefined || (groups && groups.length > 0)) && entry.type !== 'STANDARD')
    throw invalidParameter(`Access entries of type ${entry.type} cannot have a username or kubernetes groups`, cluster);
  checkNames(cluster, body.username, groups);
  if (typeof body.username === 'string') entry.username = body.username;
  if (groups) entry.kubernetesGroups = groups;
  entry.modifiedAt = now;
  return entry;
}

export function deleteAccessEntry(cluster: ScenarioCluster, entry: ScenarioAccessEntry): void {
  cluster.accessEntries = cluster.accessEntries.filter((e) => e !== entry);
}

export function associateAccessPolicy(
  cluster: ScenarioCluster,
  entry: ScenarioAccessEntry,
  body: Record<string, unknown>,
  knownPolicyArns: readonly string[],
  now: Date,
) {
  if (entry.type !== 'STANDARD')
    throw invalidParameter(
      'This operation can only be performed on Access Entries with a type of "STANDARD".',
      cluster,
    );
  const policyArn = typeof body.policyArn === 'string' ? body.policyArn : '';
  if (!knownPolicyArns.includes(policyArn))
    throw invalidParameter(`The policyArn ${policyArn} is not a valid access policy`, cluster);
  const scope = (body.accessScope ?? {}) as { type?: unknown; namespaces?: unknown };
  const namespaces = stringList(scope.namespaces) ?? [];
  if (scope.type !== 'cluster' && scope.type !== 'namespace')
    throw invalidParameter('accessScope.type must be one of [cluster, namespace]', cluster);
  if (scope.type === 'namespace' && namespaces.length === 0)
    throw invalidParameter('accessScope.namespaces must be set when accessScope.type is namespace', cluster);
  // A policy is associated once; associating it again replaces its scope (facts §2.1).
  const accessScope: ScenarioAccessPolicy['accessScope'] = {
    type: scope.type,
    namespaces: scope.type === 'cluster' ? [] : namespaces,
  };
  const existing = entry.policies.find((p) => p.policyArn === policyArn);
  if (existing) existing.accessScope = accessScope;
  else entry.policies.push({ policyArn, accessScope, associatedAt: now });
  entry.modifiedAt = now;
  const stored = existing ?? entry.policies[entry.policies.length - 1];
  return {
    clusterName: cluster.name,
    principalArn: entry.principalArn,
    associatedAccessPolicy: {
      policyArn,
      accessScope,
      associatedAt: epochSeconds(stored?.associatedAt ?? now),
      modifiedAt: epochSeconds(now),
    },
  };
}

export function disassociateAccessPolicy(
  cluster: ScenarioCluster,
  entry: ScenarioAccessEntry,
  policyArn: string,
): void {
  if (!entry.policies.some((p) => p.policyArn === policyArn))
    throw new AwsError(
      404,
      'ResourceNotFoundException',
      `The specified policy ${policyArn} is not associated with this access entry.`,
      {
        clusterName: cluster.name,
      },
    );
  entry.policies = entry.policies.filter((p) => p.policyArn !== policyArn);
}

/** The moves EKS accepts: one step at a time towards API, never back (facts §1.3). */
const NEXT_MODE: Partial<Record<AuthenticationMode, AuthenticationMode>> = {
  CONFIG_MAP: 'API_AND_CONFIG_MAP',
  API_AND_CONFIG_MAP: 'API',
};
const MODES: readonly string[] = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

/**
 * UpdateClusterConfig: `accessConfig.authenticationMode` is applied (one-way); `logging` turns log
 * types on or off, as DescribeCluster and the log writer then read them. Answers with an `update` as EKS does.
 */
export function updateClusterConfig(cluster: ScenarioCluster, body: Record<string, unknown>, now: Date) {
  const access = body.accessConfig as { authenticationMode?: unknown } | undefined;
  const mode = access?.authenticationMode;
  if (mode === undefined && body.logging === undefined)
    throw invalidParameter('At least one of the update parameters must be provided', cluster);
  if (mode !== undefined) {
    if (typeof mode !== 'string' || !MODES.includes(mode))
      throw invalidParameter(`Unsupported authentication mode ${String(mode)}.`, cluster);
    const from = cluster.authenticationMode;
    if (mode !== from && NEXT_MODE[from] !== mode)
      throw invalidParameter(`Unsupported authentication mode update from ${from} to ${mode}.`, cluster);
    cluster.authenticationMode = mode as AuthenticationMode;
  }
  if (body.logging !== undefined) applyLogging(cluster, body.logging);
  return {
    update: {
      id: randomUUID(),
      // EKS answers InProgress and finishes within minutes; the sandbox has already applied it.
      status: 'InProgress',
      type: mode !== undefined ? 'AccessConfigUpdate' : 'LoggingUpdate',
      params:
        mode !== undefined
          ? [{ type: 'AuthenticationMode', value: mode }]
          : [{ type: 'ClusterLogging', value: JSON.stringify(body.logging) }],
      createdAt: epochSeconds(now),
      errors: [],
    },
  };
}

/** `logging.clusterLogging`: each `{types, enabled}` turns those log types on or off. */
function applyLogging(cluster: ScenarioCluster, logging: unknown): void {
  const entries = (logging as { clusterLogging?: unknown } | undefined)?.clusterLogging;
  if (!Array.isArray(entries)) throw invalidParameter('logging.clusterLogging must be a list', cluster);
  const enabled = new Set<LogType>(cluster.logging.enabled);
  for (const entry of entries as { types?: unknown; enabled?: unknown }[]) {
    const types = stringList(entry.types) ?? [];
    const unknown = types.find((t) => !(LOG_TYPES as readonly string[]).includes(t));
    if (unknown) throw invalidParameter(`The log type ${unknown} is not valid`, cluster);
    for (const type of types as LogType[]) {
      if (entry.enabled === true) enabled.add(type);
      else enabled.delete(type);
    }
  }
  cluster.logging = { ...cluster.logging, enabled: LOG_TYPES.filter((t) => enabled.has(t)) };
}
