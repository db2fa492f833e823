import type { LogEvent } from './cluster-logs.js';

/**
 * The subset of CloudWatch Logs Insights the sandbox runs: commands separated by `|`, each one of
 *   - `fields F1, F2, …`            the result columns (default `@timestamp, @message`)
 *   - `filter F like /regex/`       F matches the regex (`(?i)` at its start: ignore case)
 *   - `filter F like "text"`        F contains the text
 *   - `filter F not like …`, `filter F = "text"`, `filter F != "text"`
 *   - `sort F asc|desc`
 *   - `limit N`
 * F is `@timestamp`, `@message`, `@logStream`, `@log`, `@ingestionTime`, or a field of a JSON
 * message (`verb`, `objectRef.name`, `user.username`), as Insights discovers them in audit events.
 * Several `filter` commands must all hold. Anything else is a MalformedQueryException.
 */

export class MalformedQuery extends Error {}

type Condition =
  { field: string; op: 'like' | 'not like'; regex: RegExp } | { field: string; op: '=' | '!='; value: string };

export interface InsightsQuery {
  fields: string[];
  filters: Condition[];
  sort?: { field: string; descending: boolean };
  limit?: number;
}

const FIELD = /^@?[A-Za-z_][A-Za-z0-9_.]*$|^`[^`]+`$/;

export function parseInsightsQuery(text: string): InsightsQuery {
  const query: InsightsQuery = { fields: [], filters: [] };
  for (const raw of splitCommands(text)) {
    const command = raw.trim();
    if (command === '') continue;
    const [keyword = '', ...rest] = command.split(/\s+/);
    const body = command.slice(keyword.length).trim();
    switch (keyword) {
      case 'fields': {
        const fields = body.split(',').map((f) => field(f.trim()));
        query.fields.push(...fields);
        break;
      }
      case 'filter':
        query.filters.push(condition(body));
        break;
      case 'sort': {
        const [name = '', order = 'desc', extra] = rest;
        if (extra !== undefined || !['asc', 'desc'].includes(order))
          throw new MalformedQuery(`unexpected sort clause: ${command}`);
        query.sort = { field: field(name), descending: order === 'desc' };
        break;
      }
      case 'limit': {
        const n = Number(body);
        if (!Number.isInteger(n) || n < 1 || n > 10_000)
          throw new MalformedQuery(`limit must be an integer from 1 to 10000 (got ${body})`);
        query.limit = n;
        break;
      }
      default:
        throw new MalformedQuery(`the sandbox does not support the command '${keyword}'`);
    }
  }
  return query;
}

/** `|` separates commands except inside a /regex/ or a "string". */
function splitCommands(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quote) {
      current += ch;
      if (ch === '\\') {
        current += text[i + 1] ?? '';
        i += 1;
      } else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '/' || ch === '"' || ch === "'") quote = ch;
    if (ch === '|') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (quote) throw new MalformedQuery(`unterminated ${quote === '/' ? 'regex' : 'string'}`);
  parts.push(current);
  return parts;
}

function field(name: string): string {
  if (!FIELD.test(name)) throw new MalformedQuery(`not a field name: '${name}'`);
  return name.replace(/^`|`$/g, '');
}

function condition(body: string): Condition {
  const match = /^(\S+)\s+(not\s+like|like|=|!=)\s+(.+)$/s.exec(body);
  if (!match)
    throw new MalformedQuery(
      `the sandbox supports 'filter FIELD like /regex/' and 'FIELD = "text"' only (got: ${body})`,
    );
  const name = field(match[1] ?? '');
  const op = (match[2] ?? '').replace(/\s+/, ' ') as Condition['op'];
  const operand = (match[3] ?? '').trim();
  const literal = /^"((?:[^"\\]|\\.)*)"$|^'((?:[^'\\]|\\.)*)'$/.exec(operand);
  const text = literal ? (literal[1] ?? literal[2] ?? '').replace(/\\(.)/g, '$1') : undefined;
  if (op === '=' || op === '!=') {
    if (text === undefined) throw new MalformedQuery(`${op} needs a quoted string (got: ${operand})`);
    return { field: name, op, value: text };
  }
  if (text !== undefined) return { field: name, op, regex: new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) };
  const regex = /^\/((?:[^/\\]|\\.)*)\/$/.exec(operand);
  if (!regex) throw new MalformedQuery(`${op} needs /regex/ or a quoted string (got: ${operand})`);
  let source = regex[1] ?? '';
  let flags = '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  try {
    return { field: name, op, regex: new RegExp(source, flags) };
  } catch (error) {
    throw new MalformedQuery(`invalid regex /${source}/: ${(error as Error).message}`);
  }
}

export interface QueryContext {
  /** `ACCOUNT:GROUP`, Insights' `@log`. */
  log: string;
}

/** Insights shows times as `2024-03-14 15:31:44.123` (UTC, no zone). */
export const insightsTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

function valueOf(event: LogEvent, name: string, ctx: QueryContext): string | undefined {
  switch (name) {
    case '@timestamp':
      return insightsTime(event.timestamp);
    case '@ingestionTime':
      return insightsTime(event.ingestionTime);
    case '@message':
      return event.message;
    case '@logStream':
      return event.logStreamName;
    case '@log':
      return ctx.log;
    default:
      return jsonField(event.message, name);
  }
}

function jsonField(message: string, path: string): string | undefined {
  if (!message.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function holds(c: Condition, event: LogEvent, ctx: QueryContext): boolean {
  const value = valueOf(event, c.field, ctx);
  if (!('regex' in c)) return c.op === '=' ? value === c.value : value !== undefined && value !== c.value;
  const found = value !== undefined && c.regex.test(value);
  return c.op === 'like' ? found : value !== undefined && !found;
}

export interface QueryResult {
  rows: { field: string; value: string }[][];
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

export function runInsightsQuery(
  query: InsightsQuery,
  events: LogEvent[],
  ctx: QueryContext,
  limit: number | undefined,
): QueryResult {
  const matched = events.filter((e) => query.filters.every((c) => holds(c, e, ctx)));
  const sort = query.sort ?? { field: '@timestamp', descending: true };
  const sorted = [...matched].sort((a, b) => {
    const x = valueOf(a, sort.field, ctx) ?? '';
    const y = valueOf(b, sort.field, ctx) ?? '';
    // Ties (one request's lines share a millisecond) keep write order, reversed for desc.
    const order = x < y ? -1 : x > y ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
    return sort.descending ? -order : order;
  });
  const fields = query.fields.length > 0 ? query.fields : ['@timestamp', '@message'];
  const rows = sorted.slice(0, Math.min(query.limit ?? 10_000, limit ?? 10_000)).map((event) => [
    ...fields.flatMap((name) => {
      const value = valueOf(event, name, ctx);
      return value === undefined ? [] : [{ field: name, value }];
    }),
    { field: '@ptr', value: Buffer.from(`${ctx.log}:${event.logStreamName}:${event.eventId}`).toString('base64') },
  ]);
  return {
    rows,
    recordsMatched: matched.length,
    recordsScanned: events.length,
    bytesScanned: events.reduce((sum, e) => sum + Buffer.byteLength(e.message), 0),
  };
}
