import type { ScenarioCluster, ScenarioHistoryItem } from '../scenario/types.js';
import { stableUuid } from '../ids.js';
import { epochSeconds, principalByArn, type World } from '../world.js';
import { AwsError, type AwsResponse } from './http.js';
import { paginate } from './pagination.js';
import { json11Protocol } from './protocols.js';
import type { AwsContext, AwsService } from './service.js';

/** LookupEvents only reaches back 90 days (facts §3.3). */
const LOOKUP_WINDOW_MS = 90 * 86_400_000;
const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
];

interface LookupEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId: string;
  EventTime: number;
  EventSource: string;
  Username: string;
  Resources: { ResourceType: string; ResourceName: string }[];
  CloudTrailEvent: string;
}

export function cloudTrailService(world: World): AwsService {
  return {
    name: 'cloudtrail',
    signingName: 'cloudtrail',
    protocol: json11Protocol(),
    action(req) {
      // botocore sends com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents, the JS SDK CloudTrail_20131101.LookupEvents.
      const target = req.headers['x-amz-target'] ?? '';
      const operation = target.split('.').pop() ?? '';
      if (operation === 'LookupEvents' && target.includes('CloudTrail_20131101')) return operation;
      throw new AwsError(
        400,
        'UnknownOperationException',
        `The sandbox does not serve ${target || 'requests without X-Amz-Target'}`,
      );
    },
    isWrite: () => false,
    handle: (ctx) => lookupEvents(world, ctx),
  };
}

function lookupEvents(world: World, ctx: AwsContext): AwsResponse {
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(ctx.req.body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    throw new AwsError(400, 'SerializationException', 'Start of structure or map found where not expected.');
  }
  const attributes = (input.LookupAttributes ?? []) as { AttributeKey?: string; AttributeValue?: string }[];
  if (attributes.length > 1)
    throw new AwsError(400, 'InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
  const attribute = attributes[0];
  if (attribute && !ATTRIBUTE_KEYS.includes(attribute.AttributeKey ?? ''))
    throw new AwsError(
      400,
      'InvalidLookupAttributesException',
      `Invalid attribute key: ${attribute.AttributeKey ?? ''}`,
    );
  const start = typeof input.StartTime === 'number' ? input.StartTime * 1000 : ctx.now.getTime() - LOOKUP_WINDOW_MS;
  const end = typeof input.EndTime === 'number' ? input.EndTime * 1000 : ctx.now.getTime();
  const events = world.clusters
    .map((c) => c.cluster)
    .filter((c) => c.accountId === ctx.caller.principal.accountId && c.region === ctx.region)
    .flatMap((c) => [
      ...(c.creator?.cloudTrail ? [createClusterEvent(world, c)] : []),
      ...c.history.flatMap((item) => (item.kind === 'cloudtrail' ? [historyEvent(c, item)] : [])),
    ])
    .filter(
      (e) => e.EventTime * 1000 >= Math.max(start, ctx.now.getTime() - LOOKUP_WINDOW_MS) && e.EventTime * 1000 <= end,
    )
    .filter((e) => !attribute || matches(e, attribute.AttributeKey ?? '', attribute.AttributeValue ?? ''))
    .sort((a, b) => b.EventTime - a.EventTime);
  const { page, nextToken } = paginate(
    events,
    (input.MaxResults as number | undefined) ?? null,
    (input.NextToken as string | undefined) ?? null,
    `events:${JSON.stringify(attribute ?? {})}`,
    { max: 50, fallback: 50 },
    (m) => new AwsError(400, m.includes('nextToken') ? 'InvalidNextTokenException' : 'InvalidMaxResultsException', m),
  );
  return {
    status: 200,
    contentType: 'application/x-amz-json-1.1',
    body: JSON.stringify({ Events: page, ...(nextToken ? { NextToken: nextToken } : {}) }),
  };
}

function matches(event: LookupEvent, key: string, value: string): boolean {
  switch (key) {
    case 'EventName':
      return event.EventName === value;
    case 'EventSource':
      return event.EventSource === value;
    case 'Username':
      return event.Username === value;
    case 'AccessKeyId':
      return event.AccessKeyId === value;
    case 'EventId':
      return event.EventId === value;
    case 'ReadOnly':
      return event.ReadOnly === value;
    case 'ResourceName':
      return event.Resources.some((r) => r.ResourceName === value);
    case 'ResourceType':
      return event.Resources.some((r) => r.ResourceType === value);
    default:
      return false;
  }
}

/** The CreateCluster management event, `userIdentity` as CloudTrail records it (facts §3.3). */
export function createClusterEvent(world: World, cluster: ScenarioCluster): LookupEvent {
  const creator = cluster.creator;
  if (!creator) throw new Error(`cluster ${cluster.name} has no creator`);
  const principal = principalByArn(world, creator.principalArn);
  const name = creator.principalArn.split('/').pop() ?? '';
  const eventTime = new Date(cluster.createdAt.getTime() - 1000);
  const iso = eventTime.toISOString().replace(/\.\d+Z$/, 'Z');
  const userIdentity = userIdentityOf(
    {
      arn: creator.principalArn,
      type: creator.principalType,
      uniqueId: creator.uniqueId,
      sessionName: creator.sessionName,
      accessKeyId: creator.accessKeyId,
    },
    cluster,
    iso,
  );
  const eventId = stableUuid(`event:${cluster.arn}`);
  const accessConfig = {
    authenticationMode: cluster.authenticationMode,
    ...(cluster.bootstrapClusterCreatorAdminPermissions !== undefined
      ? { bootstrapClusterCreatorAdminPermissions: cluster.bootstrapClusterCreatorAdminPermissions }
      : {}),
  };
  const record = {
    eventVersion: '1.09',
    userIdentity,
    eventTime: iso,
    eventSource: 'eks.amazonaws.com',
    eventName: 'CreateCluster',
    awsRegion: cluster.region,
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64',
    requestParameters: {
      name: cluster.name,
      version: cluster.version,
      roleArn: cluster.roleArn,
      accessConfig,
      clientRequestToken: stableUuid(`crt:${cluster.arn}`),
    },
    responseElements: {
      cluster: {
        name: cluster.name,
        arn: cluster.arn,
        createdAt: iso,
        version: cluster.version,
        roleArn: cluster.roleArn,
        status: 'CREATING',
        accessConfig,
      },
    },
    requestID: stableUuid(`req:${cluster.arn}`),
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: cluster.accountId,
    eventCategory: 'Management',
  };
  return {
    EventId: eventId,
    EventName: 'CreateCluster',
    ReadOnly: 'false',
    AccessKeyId: creator.accessKeyId,
    EventTime: epochSeconds(eventTime),
    EventSource: 'eks.amazonaws.com',
    Username: creator.principalType === 'role' ? creator.sessionName : (principal?.name ?? name),
    Resources: [{ ResourceType: 'AWS::EKS::Cluster', ResourceName: cluster.name }],
    CloudTrailEvent: JSON.stringify(record),
  };
}

interface Actor {
  arn: string;
  type: 'role' | 'user';
  uniqueId: string;
  sessionName: string;
  accessKeyId: string;
}

/** CloudTrail's `userIdentity`: an AssumedRole session with its issuer, or an IAMUser. */
function userIdentityOf(actor: Actor, cluster: ScenarioCluster, iso: string): Record<string, unknown> {
  const name = actor.arn.split('/').pop() ?? '';
  const account = actor.arn.split(':')[4] ?? cluster.accountId;
  if (actor.type === 'user')
    return {
      type: 'IAMUser',
      principalId: actor.uniqueId,
      arn: actor.arn,
      accountId: account,
      accessKeyId: actor.accessKeyId,
      userName: name,
    };
  return {
    type: 'AssumedRole',
    principalId: `${actor.uniqueId}:${actor.sessionName}`,
    arn: `arn:${cluster.partition}:sts::${account}:assumed-role/${name}/${actor.sessionName}`,
    accountId: account,
    accessKeyId: actor.accessKeyId,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: actor.uniqueId, arn: actor.arn, accountId: account, userName: name },
      attributes: { creationDate: iso, mfaAuthenticated: 'false' },
    },
  };
}

type CloudTrailHistory = Extract<ScenarioHistoryItem, { kind: 'cloudtrail' }>;

/** The request and response of a replayed access change, with the EKS API's member names. */
function historyPayload(cluster: ScenarioCluster, item: CloudTrailHistory, iso: string): [unknown, unknown] {
  const principalArn = item.principalArn ?? '';
  switch (item.event) {
    case 'CreateAccessEntry':
      return [
        { name: cluster.name, principalArn },
        {
          accessEntry: {
            clusterName: cluster.name,
            principalArn,
            kubernetesGroups: [],
            createdAt: iso,
            modifiedAt: iso,
            tags: {},
            type: 'STANDARD',
          },
        },
      ];
    case 'DeleteAccessEntry':
      return [{ name: cluster.name, principalArn }, null];
    case 'AssociateAccessPolicy':
      return [
        { name: cluster.name, principalArn, policyArn: item.policyArn, accessScope: { type: 'cluster' } },
        {
          clusterName: cluster.name,
          principalArn,
          associatedAccessPolicy: {
            policyArn: item.policyArn,
            accessScope: { type: 'cluster', namespaces: [] },
            associatedAt: iso,
            modifiedAt: iso,
          },
        },
      ];
    case 'UpdateClusterConfig':
      return [
        { name: cluster.name, accessConfig: { authenticationMode: item.authenticationMode } },
        {
          update: {
            id: stableUuid(`update:${cluster.arn}:${iso}`),
            status: 'InProgress',
            type: 'AccessConfigUpdate',
            params: [{ type: 'AuthenticationMode', value: item.authenticationMode }],
            createdAt: iso,
            errors: [],
          },
        },
      ];
  }
}

/** A change to the cluster's access the scenario's history records (CreateAccessEntry…). */
function historyEvent(cluster: ScenarioCluster, item: CloudTrailHistory): LookupEvent {
  const iso = item.at.toISOString().replace(/\.\d+Z$/, 'Z');
  const eventId = stableUuid(`event:${cluster.arn}:${item.event}:${iso}:${item.principalArn ?? ''}`);
  const [requestParameters, responseElements] = historyPayload(cluster, item, iso);
  const record = {
    eventVersion: '1.09',
    userIdentity: userIdentityOf(item.by, cluster, iso),
    eventTime: iso,
    eventSource: 'eks.amazonaws.com',
    eventName: item.event,
    awsRegion: cluster.region,
    sourceIPAddress: item.sourceIP,
    userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64',
    requestParameters,
    responseElements,
    requestID: stableUuid(`req:${eventId}`),
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: cluster.accountId,
    eventCategory: 'Management',
  };
  return {
    EventId: eventId,
    EventName: item.event,
    ReadOnly: 'false',
    AccessKeyId: item.by.accessKeyId,
    EventTime: epochSeconds(item.at),
    EventSource: 'eks.amazonaws.com',
    Username: item.by.type === 'role' ? item.by.sessionName : (item.by.arn.split('/').pop() ?? ''),
    Resources: [{ ResourceType: 'AWS::EKS::Cluster', ResourceName: cluster.name }],
    CloudTrailEvent: JSON.stringify(record),
  };
}
