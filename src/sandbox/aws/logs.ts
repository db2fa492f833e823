import { randomUUID } from 'node:crypto';
import type { ClusterRuntime, World } from '../world.js';
import { compileFilterPattern, FilterPatternError } from '../logs/filter-pattern.js';
import { MalformedQuery, parseInsightsQuery, runInsightsQuery, type QueryResult } from '../logs/insights-query.js';
import { AwsError, type AwsResponse } from './http.js';
import { paginate } from './pagination.js';
import { json11Protocol } from './protocols.js';
import type { AwsContext, AwsService } from './service.js';

/** botocore logs-2014-03-28 service-2.json: `targetPrefix` Logs_20140328, JSON 1.1, signing name `logs`. */
const TARGET_PREFIX = 'Logs_20140328.';
const OPERATIONS = ['FilterLogEvents', 'DescribeLogGroups', 'StartQuery', 'GetQueryResults'] as const;
type Operation = (typeof OPERATIONS)[number];

const invalidParameter = (message: string): AwsError => new AwsError(400, 'InvalidParameterException', message);
const noGroup = (): AwsError =>
  new AwsError(400, 'ResourceNotFoundException', 'The specified log group does not exist.');

const ok = (body: unknown): AwsResponse => ({
  status: 200,
  contentType: 'application/x-amz-json-1.1',
  body: JSON.stringify(body),
});

interface Query {
  accountId: string;
  result: QueryResult;
  /** GetQueryResults answers Running once before Complete, so clients must poll. */
  polls: number;
}

/** CloudWatch Logs for the clusters' control-plane log groups (only what eksauth reads). */
export function logsService(world: World): AwsService {
  const queries = new Map<string, Query>();
  return {
    name: 'logs',
    signingName: 'logs',
    protocol: json11Protocol(),
    action(req) {
      const target = req.headers['x-amz-target'] ?? '';
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      if ((OPERATIONS as readonly string[]).includes(operation)) return operation;
      throw new AwsError(
        400,
        'UnknownOperationException',
        `The sandbox does not serve ${target || 'requests without X-Amz-Target'}`,
      );
    },
    isWrite: () => false,
    resourceOf(req, region, accountId) {
      const group = (parse(req.body.toString('utf8')) as { logGroupName?: unknown }).logGroupName;
      if (typeof group !== 'string') return undefined;
      const arn = `arn:aws:logs:${region}:${accountId}:log-group:${group}`;
      return req.headers['x-amz-target'] === `${TARGET_PREFIX}FilterLogEvents` ? `${arn}:log-stream:` : `${arn}:*`;
    },
    handle(ctx) {
      const input = parse(ctx.req.body.toString('utf8'));
      switch (ctx.action as Operation) {
        case 'DescribeLogGroups':
          return describeLogGroups(world, ctx, input);
        case 'FilterLogEvents':
          return filterLogEvents(world, ctx, input);
        case 'StartQuery': {
          const queryId = randomUUID();
          queries.set(queryId, {
            accountId: ctx.caller.principal.accountId,
            result: startQuery(world, ctx, input),
            polls: 0,
          });
          return ok({ queryId });
        }
        case 'GetQueryResults': {
          const id = typeof input.queryId === 'string' ? input.queryId : '';
          const query = queries.get(id);
          if (!query || query.accountId !== ctx.caller.principal.accountId)
            throw new AwsError(400, 'ResourceNotFoundException', `Query ${id} does not exist.`);
          query.polls += 1;
          const done = query.polls > 1;
          const { result } = query;
          return ok({
            queryLanguage: 'CWLI',
            results: done ? result.rows : [],
            statistics: {
              recordsMatched: done ? result.recordsMatched : 0,
              recordsScanned: done ? result.recordsScanned : 0,
              bytesScanned: done ? result.bytesScanned : 0,
            },
            status: done ? 'Complete' : 'Running',
          });
        }
      }
    },
  };
}

function parse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AwsError(400, 'SerializationException', 'Start of structure or map found where not expected.');
}

/** The caller's account and the signed region see their own clusters' groups, as in AWS. */
function groups(world: World, ctx: AwsContext): ClusterRuntime[] {
  return world.clusters.filter(
    (c) => c.cluster.accountId === ctx.caller.principal.accountId && c.cluster.region === ctx.region && c.logs.exists,
  );
}

function groupNamed(world: World, ctx: AwsContext, input: Record<string, unknown>): ClusterRuntime {
  const identifier = input.logGroupName ?? input.logGroupIdentifier;
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined)
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  if (typeof identifier !== 'string' || identifier === '')
    throw invalidParameter('Either LogGroupName or LogGroupIdentifier must be specified.');
  // An identifier may be the group's ARN (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`).
  const name = identifier.startsWith('arn:')
    ? identifier.replace(/^arn:[^:]+:logs:[^:]*:\d*:log-group:/, '')
    : identifier;
  const found = groups(world, ctx).find((c) => c.logs.groupName === name);
  if (!found) throw noGroup();
  return found;
}

function integer(input: Record<string, unknown>, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw invalidParameter(
      `1 validation error detected: Value '${String(value)}' at '${key}' failed to satisfy constraint: Member must have value greater than or equal to 0`,
    );
  return value;
}

function describeLogGroups(world: World, ctx: AwsContext, input: Record<string, unknown>): AwsResponse {
  const prefix = typeof input.logGroupNamePrefix === 'string' ? input.logGroupNamePrefix : '';
  const pattern = typeof input.logGroupNamePattern === 'string' ? input.logGroupNamePattern : '';
  if (prefix && pattern)
    throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  const listed = groups(world, ctx)
    .filter(
      (c) => c.logs.groupName.startsWith(prefix) && c.logs.groupName.toLowerCase().includes(pattern.toLowerCase()),
    )
    .sort((a, b) => (a.logs.groupName < b.logs.groupName ? -1 : 1))
    .map((c) => {
      const arn = `arn:${c.cluster.partition}:logs:${c.cluster.region}:${c.cluster.accountId}:log-group:${c.logs.groupName}`;
      return {
        logGroupName: c.logs.groupName,
        creationTime: c.logs.creationTime.getTime(),
        metricFilterCount: 0,
        arn: `${arn}:*`,
        storedBytes: c.logs.storedBytes(),
        logGroupClass: 'STANDARD',
        logGroupArn: arn,
        deletionProtectionEnabled: false,
      };
    });
  const { page, nextToken } = paginate(
    listed,
    (input.limit as number | undefined) ?? null,
    (input.nextToken as string | undefined) ?? null,
    `groups:${prefix}:${pattern}`,
    { max: 50, fallback: 50 },
    invalidParameter,
  );
  return ok({ logGroups: page, ...(nextToken ? { nextToken } : {}) });
}

function filterLogEvents(world: World, ctx: AwsContext, input: Record<string, unknown>): AwsResponse {
  const runtime = groupNamed(world, ctx, input);
  const names = input.logStreamNames;
  const prefix = input.logStreamNamePrefix;
  if (names !== undefined && prefix !== undefined)
    throw invalidParameter('Cannot specify both logStreamNames and logStreamNamePrefix');
  if (names !== undefined && (!Array.isArray(names) || names.length < 1 || names.length > 100))
    throw invalidParameter('logStreamNames must list 1 to 100 stream names');
  const start = integer(input, 'startTime') ?? 0;
  const end = integer(input, 'endTime') ?? Number.MAX_SAFE_INTEGER;
  if (start > end) throw invalidParameter('endTime must not be before startTime');
  const pattern = typeof input.filterPattern === 'string' ? input.filterPattern : '';
  // botocore: FilterPattern max 1024, QueryString max 10000.
  if (pattern.length > 1024) throw invalidParameter('filterPattern must be at most 1024 characters');
  let matcher;
  try {
    matcher = compileFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter(error.message);
    throw error;
  }
  const streams = runtime.logs.streams.filter((s) =>
    Array.isArray(names)
      ? (names as unknown[]).includes(s.logStreamName)
      : typeof prefix === 'string'
        ? s.logStreamName.startsWith(prefix)
        : true,
  );
  const events = runtime.logs
    .all()
    .filter((e) => streams.some((s) => s.logStreamName === e.logStreamName))
    // endTime is exclusive, startTime inclusive (events at or after startTime, before endTime).
    .filter((e) => e.timestamp >= start && e.timestamp < end)
    .filter((e) => matcher(e.message));
  const { page, nextToken } = paginate(
    events,
    (input.limit as number | undefined) ?? null,
    (input.nextToken as string | undefined) ?? null,
    `events:${runtime.logs.groupName}:${JSON.stringify([names, prefix, start, end, input.filterPattern])}`,
    { max: 10_000, fallback: 10_000 },
    invalidParameter,
  );
  return ok({
    events: page,
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.logStreamName, searchedCompletely: true })),
    ...(nextToken ? { nextToken } : {}),
  });
}

function startQuery(world: World, ctx: AwsContext, input: Record<string, unknown>): QueryResult {
  const names = [
    ...(typeof input.logGroupName === 'string' ? [input.logGroupName] : []),
    ...(Array.isArray(input.logGroupNames) ? input.logGroupNames : []),
    ...(Array.isArray(input.logGroupIdentifiers) ? input.logGroupIdentifiers : []),
  ].filter((n): n is string => typeof n === 'string');
  if (names.length === 0)
    throw invalidParameter('Either logGroupName, logGroupNames or logGroupIdentifiers must be specified.');
  const start = integer(input, 'startTime');
  const end = integer(input, 'endTime');
  if (start === undefined || end === undefined) throw invalidParameter('startTime and endTime are required.');
  if (end < start) throw invalidParameter('End time should not be before the start time');
  if (typeof input.queryString !== 'string') throw invalidParameter('queryString is required.');
  if (input.queryString.length > 10_000) throw invalidParameter('queryString must be at most 10000 characters');
  let query;
  try {
    query = parseInsightsQuery(input.queryString);
  } catch (error) {
    if (error instanceof MalformedQuery) throw new AwsError(400, 'MalformedQueryException', error.message);
    throw error;
  }
  const results = names.map((name) => groupNamed(world, ctx, { logGroupName: name }));
  const limit = integer(input, 'limit');
  // StartQuery's times are epoch seconds, both ends inclusive.
  const inWindow = results.flatMap((r) =>
    r.logs.all().filter((e) => e.timestamp >= start * 1000 && e.timestamp < (end + 1) * 1000),
  );
  const first = results[0];
  return runInsightsQuery(
    query,
    inWindow,
    { log: `${first?.cluster.accountId ?? ''}:${first?.logs.groupName ?? ''}` },
    limit,
  );
}
