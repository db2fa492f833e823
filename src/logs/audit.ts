import { parseAwsAuth } from '../model/aws-auth/parse.js';
import type { AwsAuthChange, UnauthorizedRequest } from '../model/evidence.js';
import type { LogEvent } from './authenticator.js';

/** The fields of an audit.k8s.io/v1 Event that a timeline needs. */
interface AuditEvent {
  auditID?: string;
  stage?: string;
  verb?: string;
  requestURI?: string;
  user?: { username?: string };
  sourceIPs?: string[];
  objectRef?: { resource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
  requestObject?: unknown;
  requestReceivedTimestamp?: string;
  stageTimestamp?: string;
}

const WRITES = new Set(['create', 'update', 'patch', 'delete']);
/** An audit policy may log a request at several stages; the last one carries the response. */
const STAGE_ORDER = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseEvent(message: string): AuditEvent | undefined {
  try {
    const value: unknown = JSON.parse(message);
    return isObject(value) ? (value as AuditEvent) : undefined;
  } catch {
    return undefined;
  }
}

/** One event per request (by auditID), the latest stage kept. */
function latestStages(events: readonly LogEvent[]): { event: AuditEvent; timestamp: number }[] {
  const byId = new Map<string, { event: AuditEvent; timestamp: number }>();
  let anonymous = 0;
  for (const logEvent of events) {
    const event = parseEvent(logEvent.message);
    if (!event) continue;
    const key = event.auditID ?? `#${anonymous++}`;
    const seen = byId.get(key);
    if (!seen || STAGE_ORDER.indexOf(event.stage ?? '') >= STAGE_ORDER.indexOf(seen.event.stage ?? ''))
      byId.set(key, { event, timestamp: logEvent.timestamp });
  }
  return [...byId.values()];
}

const timeOf = (event: AuditEvent, timestamp: number): string => {
  const stated = Date.parse(event.requestReceivedTimestamp ?? event.stageTimestamp ?? '');
  return new Date(Number.isNaN(stated) ? timestamp : stated).toISOString();
};

/** data of a ConfigMap request body (a whole object for create/update, a patch for patch). */
const dataOf = (body: unknown): Record<string, unknown> | undefined =>
  isObject(body) && isObject(body.data) ? body.data : undefined;

/**
 * The mapRoles/mapUsers ARNs the authenticator would use from a ConfigMap's data (rows of a block
 * that does not parse are lost with it), and the blocks it throws away.
 */
function mappedArns(data: Record<string, unknown>): { arns: Set<string>; dropped: string[] } | undefined {
  const parsed = parseAwsAuth(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', data }));
  if (!parsed.ok) return undefined;
  const dropped = Object.values(parsed.value.blocks)
    .filter((block) => block.dropped)
    .map((block) => block.key);
  const rows = [...parsed.value.roleRows, ...parsed.value.userRows].filter(
    (row) => !row.droppedBecause && !dropped.includes(row.block),
  );
  return { arns: new Set(rows.map((row) => row.arn)), dropped };
}

/**
 * Writes to kube-system/aws-auth, oldest first: verb, user, time, source addresses, and (when
 * the audit level logged request bodies) which data keys changed and which rows appeared or went.
 */
export function awsAuthChanges(events: readonly LogEvent[]): AwsAuthChange[] {
  const writes = latestStages(events)
    .filter(
      ({ event }) =>
        event.objectRef?.resource === 'configmaps' &&
        event.objectRef.namespace === 'kube-system' &&
        event.objectRef.name === 'aws-auth' &&
        WRITES.has(event.verb ?? ''),
    )
    .map(({ event, timestamp }) => ({ event, time: timeOf(event, timestamp) }))
    .sort((a, b) => a.time.localeCompare(b.time));
  let previous: Record<string, unknown> | undefined;
  return writes.map(({ event, time }) => {
    const status = event.responseStatus?.code;
    const change: AwsAuthChange = {
      time,
      verb: event.verb ?? '',
      user: event.user?.username ?? '',
      sourceIps: event.sourceIPs ?? [],
      ...(status !== undefined ? { status } : {}),
    };
    const data = dataOf(event.requestObject);
    const applied = status === undefined || (status >= 200 && status < 300);
    if (data) {
      const whole = event.verb !== 'patch';
      change.changedKeys = Object.keys(data)
        .filter((key) => !whole || !previous || JSON.stringify(previous[key]) !== JSON.stringify(data[key]))
        .concat(whole && previous ? Object.keys(previous).filter((key) => !(key in data)) : [])
        .sort();
      const after = whole ? data : previous ? { ...previous, ...data } : undefined;
      const [was, now] = [previous && mappedArns(previous), after && mappedArns(after)];
      if (was && now) {
        change.rowsAdded = [...now.arns].filter((arn) => !was.arns.has(arn));
        change.rowsRemoved = [...was.arns].filter((arn) => !now.arns.has(arn));
      }
      const broken = now?.dropped.filter((key) => !was?.dropped.includes(key)) ?? [];
      if (broken.length > 0) change.blocksDropped = broken;
      if (applied && after) previous = after;
    }
    if (event.verb === 'delete' && applied) previous = undefined;
    return change;
  });
}

/** Requests the API server answered 401, oldest first. */
export function unauthorizedRequests(events: readonly LogEvent[]): UnauthorizedRequest[] {
  return latestStages(events)
    .filter(({ event }) => event.responseStatus?.code === 401)
    .map(({ event, timestamp }) => ({
      time: timeOf(event, timestamp),
      sourceIps: event.sourceIPs ?? [],
      ...(event.user?.username ? { user: event.user.username } : {}),
      ...(event.requestURI ? { uri: event.requestURI } : {}),
    }))
    .sort((a, b) => a.time.localeCompare(b.time));
}
