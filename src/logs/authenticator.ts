import { sameArn } from '../model/arn.js';
import { CONFIG_MAP_CREATOR_USERNAME } from '../model/simulate.js';
import type { AuthenticatorDecision, AwsAuthLoad } from '../model/evidence.js';
import { parseGoStringSlice, parseLogrusLine } from './logrus.js';

/** A CloudWatch log event as the collector hands it over. */
export interface LogEvent {
  /** Epoch milliseconds. */
  timestamp: number;
  message: string;
  logStream?: string;
}

/** The "STS response" line that precedes a decision on the same connection (pkg/server/server.go:401-408). */
interface StsResponse {
  timestamp: number;
  accessKeyId?: string;
  sessionArn?: string;
}

/** An "STS response" older than this on the same client is another request's. */
const SAME_REQUEST_MS = 5_000;

/**
 * Every "access granted" / "access denied" decision in the events, oldest first, each with the
 * access key id and STS ARN of the "STS response" line logged just before it for the same client.
 * Lines that are not the authenticator's (other messages, other formats) are ignored.
 * The access key id is kept whole here, to match the principal's; the collector masks it.
 */
export function authenticatorDecisions(events: readonly LogEvent[]): AuthenticatorDecision[] {
  const lastSts = new Map<string, StsResponse>();
  const decisions: AuthenticatorDecision[] = [];
  for (const event of [...events].sort((a, b) => a.timestamp - b.timestamp)) {
    const line = parseLogrusLine(event.message);
    if (!line) continue;
    const { fields } = line;
    const client = fields.client;
    if (line.msg === 'STS response') {
      if (client)
        lastSts.set(client, {
          timestamp: event.timestamp,
          ...(fields.accesskeyid ? { accessKeyId: fields.accesskeyid } : {}),
          ...(fields.arn ? { sessionArn: fields.arn } : {}),
        });
      continue;
    }
    if (line.msg !== 'access granted' && line.msg !== 'access denied') continue;
    const sts = client ? lastSts.get(client) : undefined;
    const linked = sts && event.timestamp - sts.timestamp <= SAME_REQUEST_MS ? sts : undefined;
    if (client) lastSts.delete(client);
    const decision: AuthenticatorDecision = {
      time: new Date(event.timestamp).toISOString(),
      outcome: line.msg === 'access granted' ? 'granted' : 'denied',
      ...(fields.arn ? { arn: fields.arn } : {}),
      ...(linked?.sessionArn ? { sessionArn: linked.sessionArn } : {}),
      ...(linked?.accessKeyId ? { accessKeyId: linked.accessKeyId } : {}),
      ...(client ? { client } : {}),
      ...(fields.username !== undefined ? { username: fields.username } : {}),
      ...(fields.uid ? { uid: fields.uid } : {}),
      ...(fields.groups !== undefined ? { groups: parseGoStringSlice(fields.groups) } : {}),
      ...(fields.error !== undefined ? { error: fields.error } : {}),
      ...(fields.stsendpoint ? { stsEndpoint: fields.stsendpoint } : {}),
    };
    decisions.push(decision);
  }
  return decisions;
}

/** Who the principal is, as the log may name it. */
export interface LogIdentity {
  canonicalArn?: string;
  /** Of the token doctor minted for the principal (or the exec plugin's). */
  accessKeyId?: string;
  /** The address the principal's requests came from, when the authenticator sees it. */
  clientAddress?: string;
}

/**
 * The principal's decisions, most recent first: by canonical ARN (as the authenticator compares,
 * case-insensitively), by the access key id of its token, or by its client address.
 */
export function decisionsFor(decisions: readonly AuthenticatorDecision[], who: LogIdentity): AuthenticatorDecision[] {
  const matched: AuthenticatorDecision[] = [];
  for (const decision of decisions) {
    const matchedBy: AuthenticatorDecision['matchedBy'] | undefined =
      who.canonicalArn && decision.arn && sameArn(decision.arn, who.canonicalArn)
        ? 'arn'
        : who.accessKeyId && decision.accessKeyId === who.accessKeyId
          ? 'access-key-id'
          : who.clientAddress && decision.client === who.clientAddress
            ? 'client'
            : undefined;
    if (matchedBy) matched.push({ ...decision, matchedBy });
  }
  return matched.reverse();
}

/** uid `aws-iam-authenticator:<account>:<userid>` (pkg/server/server.go:428); the administrative form has none. */
export function uniqueIdOfUid(uid: string | undefined): string | undefined {
  const match = /^aws-iam-authenticator:(\d{12}):([A-Z0-9]+)$/.exec(uid ?? '');
  return match?.[2];
}

/**
 * In CONFIG_MAP mode the cluster creator authenticates as `kubernetes-admin` (AWS knowledge-center
 * article "eks-api-server-unauthorized-error"): the most recent such grant names it, with its unique id.
 */
export function creatorFromGrants(
  decisions: readonly AuthenticatorDecision[],
): { arn: string; principalId?: string; time: string } | undefined {
  const grant = [...decisions]
    .reverse()
    .find((d) => d.outcome === 'granted' && d.username === CONFIG_MAP_CREATOR_USERNAME && d.arn !== undefined);
  if (!grant?.arn) return undefined;
  const principalId = uniqueIdOfUid(grant.uid);
  return { arn: grant.arn, time: grant.time, ...(principalId ? { principalId } : {}) };
}

/** A grant this close before an audited write is the write's own authentication. */
const SAME_WRITE_MS = 5_000;

/**
 * The IAM ARN behind an audit user (`kubernetes-admin` is the creator's username in CONFIG_MAP
 * mode): the authenticator's latest grant to that username just before `time`.
 */
export function arnOfUser(
  decisions: readonly AuthenticatorDecision[],
  username: string,
  time: string,
): string | undefined {
  const at = Date.parse(time);
  return [...decisions]
    .reverse()
    .find(
      (d) =>
        d.outcome === 'granted' &&
        d.username === username &&
        d.arn !== undefined &&
        Date.parse(d.time) <= at &&
        at - Date.parse(d.time) <= SAME_WRITE_MS,
    )?.arn;
}

/**
 * What the authenticator's ConfigMap mapper logs when aws-auth changes
 * (pkg/mapper/configmap/configmap.go:94-101 at 81b1dab): "Received aws-auth watch event", then,
 * when ParseMap failed, "There was an error parsing the config maps.  Only saving data that was
 * good, <ErrParsingMap>"; "Resetting configmap on delete" when it was deleted.
 */
const RELOADED = 'Received aws-auth watch event';
const PARSE_FAILED = /^There was an error parsing the config maps\.\s+Only saving data that was good, (.*)$/s;
const RESET = 'Resetting configmap on delete';

/** Lines of one reload are logged together; an error this long after the watch event is not its. */
const SAME_RELOAD_MS = 5_000;

/**
 * Each time the authenticator reloaded aws-auth, oldest first: parsed, failed to parse (with
 * ParseMap's error), or reset on delete. Each control-plane instance runs its own authenticator
 * and logs its own reload: reloads closer than a few seconds with the same outcome are one.
 */
export function awsAuthLoads(events: readonly LogEvent[]): AwsAuthLoad[] {
  const loads: (AwsAuthLoad & { at: number })[] = [];
  // Lines of one reload can share a millisecond (and a page may list them in any order): the
  // watch event first.
  const rank = (e: LogEvent): number => (e.message.includes(RELOADED) ? 0 : 1);
  for (const event of [...events].sort((a, b) => a.timestamp - b.timestamp || rank(a) - rank(b))) {
    const line = parseLogrusLine(event.message);
    if (!line) continue;
    const time = new Date(event.timestamp).toISOString();
    if (line.msg === RELOADED) loads.push({ at: event.timestamp, time, outcome: 'parsed' });
    else if (line.msg === RESET) loads.push({ at: event.timestamp, time, outcome: 'reset' });
    else {
      const failed = PARSE_FAILED.exec(line.msg ?? '');
      const last = loads.at(-1);
      if (failed && last?.outcome === 'parsed' && event.timestamp - last.at <= SAME_RELOAD_MS) {
        last.outcome = 'parse-error';
        last.error = failed[1] ?? '';
      }
    }
  }
  const merged: (AwsAuthLoad & { at: number })[] = [];
  for (const load of loads) {
    const previous = merged.at(-1);
    if (previous && previous.outcome === load.outcome && load.at - previous.at <= SAME_RELOAD_MS) continue;
    merged.push(load);
  }
  return merged.map(({ at: _at, ...load }) => load);
}
