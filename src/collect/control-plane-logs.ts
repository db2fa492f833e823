import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogEvent } from '../logs/authenticator.js';
import { clientConfig, type AwsContext } from './aws-context.js';
import { withinDeadline } from './deadline.js';

/** FilterLogEvents returns up to 10,000 events (1 MB) a page; a few pages bound the read. */
export const MAX_LOG_PAGES = 5;

/** The log group EKS writes every control-plane log type to. */
export const logGroupOf = (cluster: string): string => `/aws/eks/${cluster}/cluster`;

/** The stream prefix of each log type EKS writes (`authenticator-<hash>`, `kube-apiserver-audit-<hash>`). */
export const STREAM_PREFIX = { authenticator: 'authenticator-', audit: 'kube-apiserver-audit-' } as const;
export type LogType = keyof typeof STREAM_PREFIX;

/**
 * Audit logs hold every request; only writes to aws-auth and 401s are wanted. Plain "any of" terms
 * (the subset every CloudWatch Logs front end accepts, JSON patterns are not): the pattern only
 * narrows the read, the events are selected again after parsing, so what it lets through in
 * excess (a 401 inside some other number) costs nothing but bytes.
 */
const FILTER_PATTERN: Partial<Record<LogType, string>> = {
  audit: '?"aws-auth" ?401',
};

/** Only events that name aws-auth: the narrow read that reaches back before the window. */
export const AWS_AUTH_ONLY_PATTERN = '"aws-auth"';

/**
 * The authenticator's own lines about reloading aws-auth (pkg/mapper/configmap/configmap.go:83-97):
 * "Received aws-auth watch event", "There was an error parsing the config maps…", "Resetting
 * configmap on delete". Any of the terms; its decisions ("access granted") match none.
 */
export const AWS_AUTH_LOAD_PATTERN = '?"aws-auth watch event" ?"parsing the config maps" ?"Resetting configmap"';

/**
 * Writes to aws-auth are searched at least this far back, whatever the window: the edit that
 * locked someone out usually predates the first 401 anyone reads by more than the window (the
 * seed-1 story's did by minutes), and an on-call engineer reads the log before asking for more.
 */
export const AWS_AUTH_LOOKBACK_MS = 24 * 3_600_000;

export interface LogRead {
  logGroup: string;
  since: string;
  until: string;
  events: LogEvent[];
  /** True when the page limit stopped the read before the window's end. */
  truncated: boolean;
}

/** Reads one control-plane log type in [since, until], read-only (logs:FilterLogEvents), within the step deadline. */
export function readControlPlaneLog(
  context: AwsContext,
  cluster: string,
  type: LogType,
  window: { since: Date; until: Date },
  filterPattern: string | undefined = FILTER_PATTERN[type],
): Promise<LogRead> {
  return withinDeadline(context.timeoutMs, async (abortSignal) => {
    const client = new CloudWatchLogsClient(clientConfig(context, 'logs'));
    const logGroup = logGroupOf(cluster);
    const events: LogEvent[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new FilterLogEventsCommand({
          logGroupName: logGroup,
          logStreamNamePrefix: STREAM_PREFIX[type],
          startTime: window.since.getTime(),
          endTime: window.until.getTime(),
          ...(filterPattern ? { filterPattern } : {}),
          ...(nextToken ? { nextToken } : {}),
        }),
        { abortSignal },
      );
      for (const event of page.events ?? [])
        if (event.message !== undefined && event.timestamp !== undefined)
          events.push({
            timestamp: event.timestamp,
            message: event.message,
            ...(event.logStreamName ? { logStream: event.logStreamName } : {}),
          });
      nextToken = page.nextToken;
      pages++;
    } while (nextToken && pages < MAX_LOG_PAGES);
    return {
      logGroup,
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      events,
      truncated: nextToken !== undefined,
    };
  });
}
