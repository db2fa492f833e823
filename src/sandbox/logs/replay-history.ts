import type { HistoryActor, ScenarioCluster, ScenarioHistoryItem } from '../scenario/types.js';
import type { StsIdentity } from './authenticator-lines.js';
import type { ClusterLogs } from './cluster-logs.js';
import {
  auditUser,
  AWS_AUTH_REF,
  awsAuthObject,
  writeAudit,
  writeAuthenticatorDecision,
  writeAwsAuthLoad,
} from './eks-log-writer.js';

/** What STS said for the actor's token: the session ARN for roles, the path-less canonical ARN. */
function stsIdentityOf(actor: HistoryActor, region: string): StsIdentity {
  const [, partition = 'aws', , , account = '', resource = ''] = actor.arn.split(':');
  const name = resource.split('/').pop() ?? '';
  const role = actor.type === 'role';
  return {
    accessKeyId: actor.accessKeyId,
    arn: role ? `arn:${partition}:sts::${account}:assumed-role/${name}/${actor.sessionName}` : actor.arn,
    accountId: actor.accountId,
    userId: actor.uniqueId,
    session: role ? actor.sessionName : '',
    stsEndpoint: `sts.${region}.amazonaws.com`,
    canonicalArn: role ? `arn:${partition}:iam::${account}:role/${name}` : actor.arn,
  };
}

/** Writes the scenario's history into the cluster's log group, as EKS would have logged it then. */
export function replayHistory(logs: ClusterLogs, cluster: ScenarioCluster): void {
  for (const item of cluster.history) replayItem(logs, cluster, item);
}

function replayItem(logs: ClusterLogs, cluster: ScenarioCluster, item: ScenarioHistoryItem): void {
  if (item.kind === 'cloudtrail') return; // CloudTrail LookupEvents serves these.
  if (item.kind === 'aws-auth-write') {
    const sts = stsIdentityOf(item.by, cluster.region);
    writeAuthenticatorDecision(logs, item.at, {
      kind: 'granted',
      sts,
      username: item.by.username,
      groups: item.by.groups,
    });
    const collection = item.verb === 'create';
    writeAudit(logs, {
      time: item.at,
      verb: item.verb,
      requestURI: `/api/v1/namespaces/kube-system/configmaps${collection ? '' : '/aws-auth'}`,
      user: auditUser(sts, item.by.username, item.by.groups),
      sourceIPs: [item.sourceIP],
      userAgent: item.userAgent,
      objectRef: AWS_AUTH_REF,
      code: collection ? 201 : 200,
      level: cluster.logging.awsAuthAuditLevel,
      ...(item.verb !== 'delete' && item.data ? { requestObject: awsAuthObject(item.data) } : {}),
      decision: { allowed: true, reason: '' },
    });
    // The authenticator's watch sees the write within the second.
    const loadedAt = new Date(item.at.getTime() + 200);
    if (item.verb === 'delete') writeAwsAuthLoad(logs, loadedAt, undefined);
    else if (item.data) writeAwsAuthLoad(logs, loadedAt, item.data);
    return;
  }
  const sts = stsIdentityOf(item.principal, cluster.region);
  for (let n = 0; n < item.times; n++) {
    const time = new Date(item.at.getTime() + n * item.everyMs);
    if (item.decision === 'granted') {
      writeAuthenticatorDecision(logs, time, {
        kind: 'granted',
        sts,
        username: item.principal.username,
        groups: item.principal.groups,
      });
      continue;
    }
    writeAuthenticatorDecision(
      logs,
      time,
      item.stage === 'token'
        ? { kind: 'token-rejected', error: item.error }
        : { kind: 'mapping-failed', sts, error: item.error },
    );
    writeAudit(logs, {
      time,
      verb: 'get',
      requestURI: item.requestURI,
      user: {},
      sourceIPs: [item.sourceIP],
      code: 401,
      message: 'Authentication failed, attempted: bearer',
      level: 'Metadata',
    });
  }
}
