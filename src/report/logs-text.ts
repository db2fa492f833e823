import type { LogSourceState, Report } from '../core/report.js';

/**
 * The words of the control-plane logs section, shared by the human and Markdown reporters so
 * the two say the same thing; each reporter only lays them out (and escapes them for its medium).
 */
export interface LogsText {
  /** "Authenticator: …" and "Audit log: …" lines. */
  lines: { label: string; text: string; command?: string; note?: string }[];
  /** "12:03  aws-auth updated by …". */
  timeline: { when: string; text: string }[];
}

/** `12:03:10` in UTC, with the date when the window spans more than one day. */
function clock(iso: string, withDate: boolean): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const text = at.toISOString();
  return withDate ? `${text.slice(0, 10)} ${text.slice(11, 19)}` : text.slice(11, 19);
}

const LOAD_AGREEMENT: Record<string, string> = {
  agree: "agrees with eksauth's reading",
  disagree: "DISAGREES with eksauth's reading of aws-auth",
  unknown: 'eksauth could not read aws-auth to compare',
};

/** The authenticator's latest reload of aws-auth, and whether eksauth's reading agrees. */
function loadText(load: NonNullable<Extract<LogSourceState, { state: 'read' }>['awsAuthLoad']>): string {
  const what =
    load.outcome === 'parse-error'
      ? `could not parse it ("${load.error ?? ''}"), kept only the rows that parsed`
      : load.outcome === 'reset'
        ? 'dropped every mapping (ConfigMap deleted)'
        : 'parsed it without error';
  return `at ${load.time} the authenticator ${what}; ${LOAD_AGREEMENT[load.agreement] ?? load.agreement}`;
}

/** "; writes to aws-auth since …" when the audit read reached back further for them. */
function lookbackText(state: Extract<LogSourceState, { state: 'read' }>, what: string): string {
  const lookback = state.awsAuthLookback;
  if (!lookback) return '';
  const about = what === 'authenticator' ? 'its reloads of aws-auth' : 'writes to aws-auth';
  if (lookback.error !== undefined) return `; ${about} before ${state.since} could not be read: ${lookback.error}`;
  return `; ${about} since ${lookback.since}: ${lookback.eventsRead ?? 0} events${lookback.truncated ? ', page limit reached' : ''}`;
}

function sourceText(state: LogSourceState, what: string): { text: string; command?: string; note?: string } {
  if (state.state === 'unavailable')
    return {
      text: `could not check, because ${state.reason.replace(/\.$/, '')}: ${state.how}`,
      ...(state.command ? { command: state.command } : {}),
      ...(state.note ? { note: state.note } : {}),
    };
  const window = `${state.eventsRead} events since ${state.since}${state.truncated ? ', page limit reached (narrow --logs-since)' : ''}`;
  const authenticatorWindow = `${window}${lookbackText(state, what)}`;
  const latest = state.latest;
  if (what !== 'authenticator' || state.decisions === undefined)
    return { text: `read (${window}${lookbackText(state, what)})` };
  if (!latest) return { text: `no decision for this principal (${authenticatorWindow})` };
  const said =
    latest.outcome === 'granted'
      ? `access granted as "${latest.username ?? ''}" [${(latest.groups ?? []).join(', ')}]${latest.uid ? ` uid ${latest.uid}` : ''}`
      : `access denied: "${latest.error ?? ''}"${latest.explainedBy ? ` → ${latest.explainedBy}` : latest.explainedBy === null ? ' (no eksauth check: transient)' : ''}`;
  return {
    text: `${latest.time} ${said}; ${state.summary ?? ''} (${state.decisions} decision${state.decisions === 1 ? '' : 's'} matched by ${latest.matchedBy ?? 'arn'}; ${authenticatorWindow})`,
    ...(state.hint ? { note: state.hint } : {}),
  };
}

export function logsText(report: Report): LogsText | undefined {
  const logs = report.logs;
  if (!logs) return undefined;
  const entries = report.timeline ?? [];
  const times = entries.map((e) => e.time.slice(0, 10));
  const withDate = new Set(times).size > 1;
  const authenticator = sourceText(logs.authenticator, 'authenticator');
  const audit = sourceText(logs.audit, 'audit');
  // One command turns both types on: print it (and its cost) once.
  if (audit.command !== undefined && audit.command === authenticator.command) {
    delete audit.command;
    delete audit.note;
  }
  const load = logs.authenticator.state === 'read' ? logs.authenticator.awsAuthLoad : undefined;
  return {
    lines: [
      { label: 'Authenticator', ...authenticator },
      ...(load ? [{ label: 'aws-auth as loaded', text: loadText(load) }] : []),
      { label: 'Audit log', ...audit },
    ],
    timeline: entries.map((e) => ({ when: clock(e.time, withDate), text: e.text })),
  };
}
