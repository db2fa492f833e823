import type { Authentication } from '../kube/authn.js';
import type { KubeTarget } from '../kube/route.js';
import type { ClusterRuntime } from '../world.js';
import type { AuditUser } from './audit-events.js';
import { RESOURCE_TYPES } from '../kube/resources.js';
import { auditUser, writeAudit, writeAuthenticatorDecision, writeAwsAuthLoad } from './eks-log-writer.js';

const WRITES = new Set(['create', 'update', 'patch', 'delete']);

/** One request to a sandbox API server, as its logs need it. */
export interface KubeExchange {
  time: Date;
  verb: string;
  requestURI: string;
  target?: KubeTarget;
  authn?: Authentication;
  status: number;
  /** The Status message of a failure. */
  message?: string;
  body: string;
  userAgent?: string;
  sourceIP: string;
}

function touchesAwsAuth(x: KubeExchange): boolean {
  const t = x.target;
  if (t?.kind !== 'resource' || t.type.resource !== 'configmaps' || t.namespace !== 'kube-system') return false;
  if (t.name !== undefined) return t.name === 'aws-auth';
  // A create names the object in its body.
  try {
    return (
      x.verb === 'create' && (JSON.parse(x.body) as { metadata?: { name?: unknown } }).metadata?.name === 'aws-auth'
    );
  } catch {
    return false;
  }
}

function requestObject(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Logs a request as EKS would: the authenticator's decision for every bearer token it saw, and an
 * audit event for every write to kube-system/aws-auth and every 401 and 403 (the sandbox audits
 * nothing else; the audit policy puts aws-auth writes at the scenario's level, the rest at Metadata).
 */
export function recordKubeExchange(runtime: ClusterRuntime, x: KubeExchange): void {
  const { logs, cluster } = runtime;
  const decision = x.authn && x.authn.kind !== 'anonymous' ? x.authn.decision : undefined;
  if (decision) writeAuthenticatorDecision(logs, x.time, decision);
  const awsAuthWrite = WRITES.has(x.verb) && touchesAwsAuth(x);
  if (!awsAuthWrite && x.status !== 401 && x.status !== 403) return;
  const user: AuditUser =
    x.authn?.kind === 'authenticated' && decision?.kind === 'granted'
      ? auditUser(decision.sts, x.authn.subject.user.username, decision.groups)
      : x.authn?.kind === 'anonymous'
        ? { username: 'system:anonymous', groups: ['system:unauthenticated'] }
        : {};
  const t = x.target?.kind === 'resource' ? x.target : undefined;
  const level = awsAuthWrite ? cluster.logging.awsAuthAuditLevel : 'Metadata';
  const body = x.verb === 'delete' ? undefined : requestObject(x.body);
  writeAudit(logs, {
    time: x.time,
    verb: x.verb,
    requestURI: x.requestURI,
    user,
    sourceIPs: [x.sourceIP],
    ...(x.userAgent !== undefined ? { userAgent: x.userAgent } : {}),
    ...(t
      ? {
          objectRef: {
            resource: t.type.resource,
            ...(t.namespace !== undefined ? { namespace: t.namespace } : {}),
            ...(t.name !== undefined ? { name: t.name } : awsAuthWrite ? { name: 'aws-auth' } : {}),
            apiVersion: t.type.version,
            ...(t.type.group ? { apiGroup: t.type.group } : {}),
          },
        }
      : {}),
    code: x.status,
    ...(x.status === 401
      ? { message: 'Authentication failed, attempted: bearer' }
      : x.message !== undefined && x.status >= 400
        ? { message: x.message }
        : {}),
    level,
    ...(awsAuthWrite && body !== undefined ? { requestObject: body } : {}),
    ...(x.status !== 401 ? { decision: { allowed: x.status !== 403, reason: '' } } : {}),
  });
  if (awsAuthWrite && x.status >= 200 && x.status < 300) writeAwsAuthLoad(logs, x.time, storedAwsAuthData(runtime));
}

/** The aws-auth ConfigMap's data as stored after a write; undefined once it is deleted. */
function storedAwsAuthData(runtime: ClusterRuntime): Record<string, string> | undefined {
  const configMaps = RESOURCE_TYPES.find((t) => t.resource === 'configmaps');
  const object = configMaps ? runtime.objects.get(configMaps, 'kube-system', 'aws-auth') : undefined;
  if (!object) return undefined;
  const data = (object as { data?: unknown }).data;
  return typeof data === 'object' && data !== null ? (data as Record<string, string>) : {};
}
