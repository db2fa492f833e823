/**
 * logrus's TextFormatter as aws-iam-authenticator configures it (`&logrus.TextFormatter{FullTimestamp: true}`,
 * cmd/aws-iam-authenticator/root.go), writing to a pipe (no colours): `time`, `level`, `msg`, then
 * the fields sorted by key; a value is bare when it only has [A-Za-z0-9-._/@^+], else Go-%q-quoted.
 * Written from logrus's text_formatter.go on purpose apart from eksauth's own log reader, so the
 * reader is tested against an independent writer.
 */
import { goQuote } from '../../model/go-strconv.js';

export type LogrusLevel = 'info' | 'warning' | 'error';
export type LogrusValue = string | readonly string[];

const BARE = /^[A-Za-z0-9\-._/@^+]*$/;

/** `time.RFC3339` of a UTC time: seconds, no fraction, `Z`. */
export const rfc3339 = (time: Date): string => time.toISOString().replace(/\.\d+Z$/, 'Z');

/** Go's `fmt.Sprint` of a `[]string`: `[a b c]`. */
const goSprint = (value: LogrusValue): string => (typeof value === 'string' ? value : `[${value.join(' ')}]`);

const renderValue = (value: LogrusValue): string => {
  const text = goSprint(value);
  return BARE.test(text) ? text : goQuote(text);
};

/** One log line (no trailing newline: CloudWatch stores each line as one event). */
export function logrusTextLine(
  time: Date,
  level: LogrusLevel,
  msg: string,
  fields: Readonly<Record<string, LogrusValue>>,
): string {
  const pairs: [string, LogrusValue][] = [
    ['time', rfc3339(time)],
    ['level', level],
    ...(msg !== '' ? ([['msg', msg]] as [string, LogrusValue][]) : []),
    ...Object.keys(fields)
      .sort()
      .map((key): [string, LogrusValue] => [key, fields[key] ?? '']),
  ];
  return pairs.map(([key, value]) => `${key}=${renderValue(value)}`).join(' ');
}
