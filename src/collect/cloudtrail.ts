import { creatorFromArn } from '../model/principal.js';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { ClusterCreator } from '../model/evidence.js';
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
