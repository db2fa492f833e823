import type { ScenarioCluster } from '../scenario/types.js';
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
    .filter((c) => c.accountId === ctx.caller.principal.accountId && c.region === ctx.region && c.creator?.cloudTrail)
    .map((c) => createClusterEvent(world, c))
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
  const account = creator.principalArn.split(':')[4] ?? cluster.accountId;
  const eventTime = new Date(cluster.createdAt.getTime() - 1000);
  const iso = eventTime.toISOString().replace(/\.\d+Z$/, 'Z');
  const userIdentity =
    creator.principalType === 'role'
      ? {
          type: 'AssumedRole',
          principalId: `${creator.uniqueId}:${creator.sessionName}`,
          arn: `arn:${cluster.partition}:sts::${account}:assumed-role/${name}/${creator.sessionName}`,
          accountId: account,
          accessKeyId: creator.accessKeyId,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              principalId: creator.uniqueId,
              arn: creator.principalArn,
              accountId: account,
              userName: name,
            },
            attributes: { creationDate: iso, mfaAuthenticated: 'false' },
          },
        }
      : {
          type: 'IAMUser',
          principalId: creator.uniqueId,
          arn: creator.principalArn,
          accountId: account,
          accessKeyId: creator.accessKeyId,
          userName: name,
        };
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
