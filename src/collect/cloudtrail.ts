import { creatorFromArn } from '../model/principal.js';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { AccessChange, AccessChangeEvidence, ClusterCreator } from '../model/evidence.js';
import { clientConfig, type AwsContext } from './aws-context.js';
import { withinDeadline } from './deadline.js';

/** LookupEvents allows 2 requests per second per account and region: a few pages is all we read. */
const MAX_PAGES = 5;

interface CreateClusterEvent {
  userIdentity?: {
    type?: string;
    arn?: string;
    principalId?: string;
    sessionContext?: { sessionIssuer?: { arn?: string; principalId?: string } };
  };
  requestParameters?: { name?: string; clusterName?: string };
  responseElements?: { cluster?: { name?: string } };
}

/**
 * The principal that created the cluster, from CloudTrail's CreateCluster event (last 90 days):
 * for a role session, the session's issuer (the role, with its path), which is what EKS granted.
 * Undefined when no event is found.
 */
export function collectCreator(context: AwsContext, cluster: string): Promise<ClusterCreator | undefined> {
  return withinDeadline(context.timeoutMs, (abortSignal) => findCreator(context, cluster, abortSignal));
}

async function findCreator(
  context: AwsContext,
  cluster: string,
  abortSignal: AbortSignal,
): Promise<ClusterCreator | undefined> {
  const client = new CloudTrailClient(clientConfig(context, 'cloudtrail'));
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateCluster' }],
        MaxResults: 50,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
      { abortSignal },
    );
    for (const event of answer.Events ?? []) {
      let detail: CreateClusterEvent;
      try {
        detail = JSON.parse(event.CloudTrailEvent ?? '{}') as CreateClusterEvent;
      } catch {
        continue;
      }
      const name =
        detail.requestParameters?.name ??
        detail.requestParameters?.clusterName ??
        detail.responseElements?.cluster?.name;
      if (name !== cluster) continue;
      const identity = detail.userIdentity ?? {};
      const issuer = identity.sessionContext?.sessionIssuer;
      const viaRole = identity.type === 'AssumedRole' && Boolean(issuer?.arn);
      const arn = viaRole ? (issuer?.arn ?? '') : (identity.arn ?? '');
      if (!arn) continue;
      // The role's unique id (AROA…), not the session's `AROA…:session`, or the user's (AIDA…):
      // compared with IAM's it tells a recreated principal of the same name from the creator.
      // Root and federated users record their account there, which is no principal's id.
      const principalId = viaRole
        ? issuer?.principalId?.split(':')[0]
        : identity.type === 'IAMUser'
          ? identity.principalId
          : undefined;
      // Without a session issuer the session ARN itself names the role: canonicalised like any principal.
      return creatorFromArn(arn, 'cloudtrail', {
        ...(principalId ? { principalId } : {}),
        ...(identity.arn && identity.arn !== arn ? { sessionArn: identity.arn } : {}),
        ...(event.EventTime ? { eventTime: event.EventTime.toISOString() } : {}),
      });
    }
    nextToken = answer.NextToken;
    if (!nextToken) break;
  }
  return undefined;
}

/** The CloudTrail events that change who can authenticate to a cluster. */
export const ACCESS_CHANGE_EVENTS: ReadonlySet<string> = new Set([
  'CreateAccessEntry',
  'DeleteAccessEntry',
  'UpdateAccessEntry',
  'AssociateAccessPolicy',
  'DisassociateAccessPolicy',
  'UpdateClusterConfig',
]);

interface EksChangeEvent {
  eventName?: string;
  eventTime?: string;
  errorCode?: string;
  userIdentity?: CreateClusterEvent['userIdentity'];
  requestParameters?: {
    name?: string;
    clusterName?: string;
    principalArn?: string;
    accessConfig?: { authenticationMode?: string };
    logging?: unknown;
  };
}

/**
 * Access-entry and authentication-mode changes to the cluster in [since, until], oldest first:
 * one LookupEvents query on EventSource eks.amazonaws.com (a few pages), filtered by name and cluster.
 */
export function collectAccessChanges(
  context: AwsContext,
  cluster: string,
  window: { since: Date; until: Date },
): Promise<AccessChangeEvidence> {
  return withinDeadline(context.timeoutMs, async (abortSignal) => {
    const client = new CloudTrailClient(clientConfig(context, 'cloudtrail'));
    const changes: AccessChange[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await client.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'eks.amazonaws.com' }],
          StartTime: window.since,
          EndTime: window.until,
          MaxResults: 50,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
        { abortSignal },
      );
      for (const event of answer.Events ?? []) {
        const change = accessChangeOf(event.CloudTrailEvent, event.EventTime, cluster);
        if (change) changes.push(change);
      }
      nextToken = answer.NextToken;
      if (!nextToken) break;
    }
    changes.sort((a, b) => a.time.localeCompare(b.time));
    return { since: window.since.toISOString(), until: window.until.toISOString(), changes };
  });
}

function accessChangeOf(
  text: string | undefined,
  eventTime: Date | undefined,
  cluster: string,
): AccessChange | undefined {
  let detail: EksChangeEvent;
  try {
    detail = JSON.parse(text ?? '{}') as EksChangeEvent;
  } catch {
    return undefined;
  }
  const name = detail.eventName ?? '';
  const parameters = detail.requestParameters ?? {};
  if (!ACCESS_CHANGE_EVENTS.has(name) || (parameters.name ?? parameters.clusterName) !== cluster) return undefined;
  const mode = parameters.accessConfig?.authenticationMode;
  // UpdateClusterConfig also changes logging and networking: only a mode change matters here.
  if (name === 'UpdateClusterConfig' && !mode) return undefined;
  const identity = detail.userIdentity ?? {};
  const actor = identity.sessionContext?.sessionIssuer?.arn ?? identity.arn ?? identity.principalId ?? 'unknown';
  const time = eventTime?.toISOString() ?? detail.eventTime ?? '';
  const target = mode ? `authenticationMode ${mode}` : parameters.principalArn;
  return {
    time,
    eventName: name,
    actor,
    ...(target ? { target } : {}),
    ...(detail.errorCode ? { errorCode: detail.errorCode } : {}),
  };
}
