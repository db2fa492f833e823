import type { LogEvent } from '../../src/logs/authenticator.js';

/**
 * Authenticator lines as logrus's text formatter writes them for pkg/server/server.go
 * authenticateEndpoint (fixed keys time, level, msg first, then the fields sorted; values Go-quoted
 * with %q unless they hold only [A-Za-z0-9-._/@^+]). Written by hand from that source, not by
 * the sandbox's writer.
 */
export const ACCOUNT = '111122223333';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/tfc-agent-role`;
export const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/tfc-agent-role/tfc-run`;
export const KEY = 'ASIAEXAMPLEKEY123456';
export const CLIENT = '127.0.0.1:52314';

/** Go's %q for the characters these fixtures use. */
export const goQuote = (value: string): string =>
  /^[A-Za-z0-9\-._/@^+]+$/.test(value)
    ? value
    : `"${value
        .replace(/\\/g, '\\\\')
        .replace(/"/g, '\\"')
        .replace(/\n/g, '\\n')
        .replace(/\t/g, '\\t')
        .replaceAll('\x1b', '\\x1b')}"`;

export function logrusLine(time: string, level: string, msg: string, fields: Record<string, string>): string {
  const rest = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${goQuote(fields[key] ?? '')}`);
  return [`time=${goQuote(time)}`, `level=${level}`, `msg=${goQuote(msg)}`, ...rest].join(' ');
}

const at = (iso: string, message: string): LogEvent => ({
  timestamp: Date.parse(iso),
  message,
  logStream: 'authenticator-0a1b2c',
});
const base = (client: string) => ({ client, method: 'POST', path: '/authenticate' });

export function stsResponse(iso: string, options: { key?: string; arn?: string; client?: string } = {}): LogEvent {
  return at(
    iso,
    logrusLine(iso, 'info', 'STS response', {
      ...base(options.client ?? CLIENT),
      accesskeyid: options.key ?? KEY,
      accountid: ACCOUNT,
      arn: options.arn ?? SESSION,
      session: 'tfc-run',
      stsendpoint: 'sts.eu-west-1.amazonaws.com',
      userid: 'AROAEXAMPLEROLEID1234',
    }),
  );
}

export function granted(
  iso: string,
  options: { arn?: string; username?: string; groups?: string; uid?: string; client?: string } = {},
): LogEvent {
  return at(
    iso,
    logrusLine(iso, 'info', 'access granted', {
      ...base(options.client ?? CLIENT),
      arn: options.arn ?? ROLE,
      groups: options.groups ?? '[system:masters]',
      stsendpoint: 'sts.eu-west-1.amazonaws.com',
      uid: options.uid ?? `aws-iam-authenticator:${ACCOUNT}:AROAEXAMPLEROLEID1234`,
      username: options.username ?? 'tfc-agent',
    }),
  );
}

export function denied(iso: string, error: string, options: { arn?: string | null; client?: string } = {}): LogEvent {
  const arn: Record<string, string> = options.arn === null ? {} : { arn: options.arn ?? ROLE };
  return at(iso, logrusLine(iso, 'warning', 'access denied', { ...base(options.client ?? CLIENT), ...arn, error }));
}
