import { auditEvent, type AuditRequest, type AuditUser } from './audit-events.js';
import { authenticatorLines, type AuthenticatorOutcome, type StsIdentity } from './authenticator-lines.js';
import type { ClusterLogs } from './cluster-logs.js';
import { logrusTextLine } from './logrus-text.js';
import { parseAwsAuth } from '../../model/aws-auth/parse.js';
import type { BlockKey } from '../../model/aws-auth/types.js';

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

/** ParseMap's order (pkg/mapper/configmap/configmap.go:119-189): users, roles, accounts. */
const PARSE_ORDER: readonly BlockKey[] = ['mapUsers', 'mapRoles', 'mapAccounts'];

/**
 * ParseMap's errors for the ConfigMap data, as the authenticator collects them: per block, the
 * one error that stops it (YAML, or json.Unmarshal's first type error), then each row that fails
 * Validate. The texts are the model's Go-compatible diagnostics (the Go referee checks which
 * blocks fail, not these words).
 */
function parseMapErrors(data: Record<string, string>): string[] {
  const parsed = parseAwsAuth(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data }));
  if (!parsed.ok) return [parsed.error];
  return PARSE_ORDER.flatMap((key) => {
    const diagnostics = parsed.value.blocks[key].diagnostics;
    const stop = diagnostics.find((d) => d.kind !== 'validation');
    return [
      ...(stop ? [stop.message] : []),
      ...diagnostics.filter((d) => d.kind === 'validation').map((d) => d.message),
    ];
  });
}

/**
 * The authenticator's ConfigMap watch after a write to aws-auth (configmap.go:78-101): the watch
 * event, and when ParseMap fails its warning and the two error lines; a delete resets the maps.
 */
export function writeAwsAuthLoad(logs: ClusterLogs, time: Date, data: Record<string, string> | undefined): void {
  if (data === undefined) {
    logs.write('authenticator', time, logrusTextLine(time, 'info', 'Resetting configmap on delete', {}));
    return;
  }
  logs.write('authenticator', time, logrusTextLine(time, 'info', 'Received aws-auth watch event', {}));
  const errors = parseMapErrors(data);
  if (errors.length === 0) return;
  // Go's %v of a []error: `[first second]`.
  const list = `[${errors.join(' ')}]`;
  const parsingMap = `error parsing config map: ${list}`;
  logs.write('authenticator', time, logrusTextLine(time, 'warning', `Errors parsing configmap: ${list}`, {}));
  logs.write(
    'authenticator',
    time,
    logrusTextLine(
      time,
      'error',
      `There was an error parsing the config maps.  Only saving data that was good, ${parsingMap}`,
      {},
    ),
  );
  logs.write('authenticator', time, logrusTextLine(time, 'error', parsingMap, {}));
}
