import { auditEvent, type AuditRequest, type AuditUser } from './audit-events.js';
import { authenticatorLines, type AuthenticatorOutcome, type StsIdentity } from './authenticator-lines.js';
import type { ClusterLogs } from './cluster-logs.js';

let webhookPort = 40_000;

/** The API server's end of its webhook connection to the authenticator: loopback, a new port each time. */
function webhookClient(): string {
  webhookPort = webhookPort >= 60_999 ? 40_000 : webhookPort + 1;
  return `127.0.0.1:${webhookPort}`;
}

/** The authenticator's lines for one TokenReview, into its stream (when that type is on). */
export function writeAuthenticatorDecision(logs: ClusterLogs, time: Date, outcome: AuthenticatorOutcome): void {
  for (const line of authenticatorLines({ time, client: webhookClient() }, outcome))
    logs.write('authenticator', time, line);
}

export function writeAudit(logs: ClusterLogs, request: AuditRequest): void {
  logs.write('audit', request.time, auditEvent(request));
}

/** The user the API server records for an authenticated token: the TokenReview's user and extras. */
export function auditUser(sts: StsIdentity, username: string, groups: readonly string[]): AuditUser {
  return {
    username,
    uid: `aws-iam-authenticator:${sts.accountId}:${sts.userId}`,
    groups: [...groups, 'system:authenticated'],
    extra: {
      accessKeyId: [sts.accessKeyId],
      arn: [sts.arn],
      canonicalArn: [sts.canonicalArn],
      principalId: [sts.userId],
      sessionName: [sts.session],
      'sigs.k8s.io/aws-iam-authenticator/principalId': [sts.userId],
    },
  };
}

export const AWS_AUTH_REF = { resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth', apiVersion: 'v1' };

/** The ConfigMap a write to aws-auth sends, as the audit log's `requestObject` shows it. */
export function awsAuthObject(data: Record<string, string>): unknown {
  return { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data };
}
