import { randomUUID } from 'node:crypto';

/** The audit levels of audit.k8s.io/v1 that decide how much of a request is kept. */
export type AuditLevel = 'Metadata' | 'Request' | 'RequestResponse';

export interface AuditUser {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface AuditRequest {
  time: Date;
  /** The API server's verb: get, list, create, update, patch, delete… */
  verb: string;
  requestURI: string;
  /** `{}` for a request that failed authentication: the API server knows no user. */
  user: AuditUser;
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: { resource: string; namespace?: string; name?: string; apiVersion: string; apiGroup?: string };
  code: number;
  /** Status message for failures (`Authentication failed, attempted: bearer`, the RBAC denial…). */
  message?: string;
  level: AuditLevel;
  /** The object the client sent; kept at Request and RequestResponse level only. */
  requestObject?: unknown;
  responseObject?: unknown;
  /** RBAC decision annotations, for requests that reached authorization. */
  decision?: { allowed: boolean; reason: string };
}

/** Kubernetes' audit timestamps: RFC 3339 with microseconds. */
const microTime = (time: Date): string => time.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * One audit.k8s.io/v1 Event as the API server writes it at stage ResponseComplete (ResponseStarted
 * for authentication failures, which WithFailedAuthenticationAudit records before any handler runs).
 */
export function auditEvent(request: AuditRequest): string {
  const failedAuthn = request.code === 401;
  const keepBody = request.level !== 'Metadata';
  const event = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: request.level,
    auditID: randomUUID(),
    stage: failedAuthn ? 'ResponseStarted' : 'ResponseComplete',
    requestURI: request.requestURI,
    verb: request.verb,
    user: request.user,
    sourceIPs: request.sourceIPs,
    ...(request.userAgent !== undefined ? { userAgent: request.userAgent } : {}),
    ...(request.objectRef ? { objectRef: request.objectRef } : {}),
    responseStatus: {
      metadata: {},
      // A failed authentication's status is only the methods tried (WithFailedAuthenticationAudit).
      ...(request.code >= 400 && !failedAuthn ? { status: 'Failure' } : {}),
      ...(request.message !== undefined ? { message: request.message } : {}),
      ...(request.code === 403 ? { reason: 'Forbidden' } : {}),
      code: request.code,
    },
    ...(keepBody && request.requestObject !== undefined ? { requestObject: request.requestObject } : {}),
    ...(request.level === 'RequestResponse' && request.responseObject !== undefined
      ? { responseObject: request.responseObject }
      : {}),
    requestReceivedTimestamp: microTime(request.time),
    stageTimestamp: microTime(request.time),
    ...(request.decision
      ? {
          annotations: {
            'authorization.k8s.io/decision': request.decision.allowed ? 'allow' : 'forbid',
            'authorization.k8s.io/reason': request.decision.reason,
          },
        }
      : {}),
  };
  return JSON.stringify(event);
}
