import { renderScript, script } from '../core/command.js';
import type { LogSourceState, Report } from '../core/report.js';
import type { Gap } from '../core/verdict.js';
import { logGroupOf } from '../collect/control-plane-logs.js';
import { compareAwsAuthLoad, compareWithLog, type Agreement } from '../logs/compare.js';
import type { AuthenticatorDecision, AwsAuthLoad, Evidence } from '../model/evidence.js';
import type { Decision } from '../model/trace.js';

type LogsSection = NonNullable<Report['logs']>;
type TimelineEntry = NonNullable<Report['timeline']>[number];

const CONTROL_PLANE_TYPES = ['authenticator', 'audit'] as const;

const INGESTION_NOTE =
  'Control-plane logs are billed as CloudWatch Logs ingestion and storage; set a retention on the log group.';

/** `aws eks update-cluster-config … --logging …` for the types that are off, built by the one argv builder. */
export function enableLoggingCommand(evidence: Evidence, cluster: string, types: readonly string[]): string {
  const region = evidence.cluster?.region ?? evidence.clusterLookup?.region;
  const logging = JSON.stringify({ clusterLogging: [{ types, enabled: true }] });
  return renderScript(
    script({
      argv: [
        'aws',
        'eks',
        'update-cluster-config',
        ...(region ? ['--region', region] : []),
        '--name',
        cluster,
        '--logging',
        logging,
      ],
    }),
  );
}

/** Log types that DescribeCluster shows off (unknown when the cluster was not described). */
function typesOff(evidence: Evidence): string[] | undefined {
  const enabled = evidence.cluster?.enabledLogTypes;
  if (!enabled) return undefined;
  return CONTROL_PLANE_TYPES.filter((type) => !enabled.includes(type));
}

function unavailable(
  evidence: Evidence,
  cluster: string,
  source: 'authenticatorLog' | 'auditLog',
  type: string,
): LogSourceState {
  const reason = evidence.unavailable?.[source] ?? 'it was not read';
  const off = typesOff(evidence);
  if (off?.includes(type))
    return {
      state: 'unavailable',
      reason,
      how: `turn on the "${off.join('" and "')}" control-plane log type${off.length > 1 ? 's' : ''}, then run doctor again once the principal has tried`,
      command: enableLoggingCommand(evidence, cluster, off),
      note: INGESTION_NOTE,
    };
  const denied = evidence.failures?.[source]?.code === 'access-denied';
  return {
    state: 'unavailable',
    reason,
    how: denied
      ? `allow the operator logs:FilterLogEvents on log group ${logGroupOf(cluster)}, or run doctor with --profile of an identity that has it`
      : 'run doctor again once the cluster and its log group can be read',
  };
}

const AGREEMENT_WORDS: Record<Agreement['kind'], string> = {
  agree: 'agrees with the model',
  disagree: 'DISAGREES with the model',
  token: 'refused a token before mapping (says nothing about the mapping)',
  none: 'no decision for this principal in the window',
};

/**
 * Denied from the window's start with nothing before it that changed access: either the principal
 * never had access (a new role, as in the Terraform Cloud story) or what took it away is older
 * than everything read. Which of the two, only an older grant can tell.
 */
function olderCauseHint(evidence: Evidence): string {
  const lookback = evidence.auditLog?.awsAuthLookback;
  const searched =
    lookback && lookback.error === undefined
      ? `aws-auth was not written since ${lookback.since}`
      : 'nothing in the window changed access';
  return `the principal is denied throughout the window and was not granted in it, and ${searched}: it was probably never mapped (see the root cause); if it used to work, read further back with --logs-since (e.g. 7d) to find what changed`;
}

/** Denied throughout the window, with no change before the first denial: what changed it lies before the window. */
function deniedSinceWindowStart(evidence: Evidence): boolean {
  const decisions = evidence.authenticatorLog?.decisions ?? [];
  if (decisions.length === 0 || decisions.some((d) => d.outcome === 'granted')) return false;
  const first = decisions[decisions.length - 1]?.time ?? '';
  const changes = [
    ...(evidence.auditLog?.awsAuthChanges ?? []).map((c) => c.time),
    ...(evidence.accessChanges?.changes ?? []).map((c) => c.time),
  ];
  return !changes.some((time) => time <= first);
}

/** The logs section of a doctor report: the authenticator's latest decision and the audit log's state. */
export function logsSection(evidence: Evidence, decision: Decision | undefined, cluster: string): LogsSection {
  const log = evidence.authenticatorLog;
  let authenticator: LogSourceState;
  if (log) {
    const agreement = decision ? compareWithLog(log.decisions, decision) : ({ kind: 'none' } as const);
    const latest = log.decisions[0];
    const load = compareAwsAuthLoad(evidence);
    authenticator = {
      state: 'read',
      logGroup: log.logGroup,
      since: log.since,
      until: log.until,
      eventsRead: log.eventsRead,
      truncated: log.truncated,
      decisions: log.decisions.length,
      agreement: agreement.kind,
      summary: AGREEMENT_WORDS[agreement.kind],
      ...(deniedSinceWindowStart(evidence) ? { hint: olderCauseHint(evidence) } : {}),
      ...(latest ? { latest: latestOf(latest, agreement) } : {}),
      ...(load ? { awsAuthLoad: { ...load.load, agreement: load.kind } } : {}),
      ...(log.awsAuthLookback ? { awsAuthLookback: log.awsAuthLookback } : {}),
    };
  } else authenticator = unavailable(evidence, cluster, 'authenticatorLog', 'authenticator');
  const audit: LogSourceState = evidence.auditLog
    ? {
        state: 'read',
        logGroup: evidence.auditLog.logGroup,
        since: evidence.auditLog.since,
        until: evidence.auditLog.until,
        eventsRead: evidence.auditLog.eventsRead,
        truncated: evidence.auditLog.truncated,
        ...(evidence.auditLog.awsAuthLookback ? { awsAuthLookback: evidence.auditLog.awsAuthLookback } : {}),
      }
    : unavailable(evidence, cluster, 'auditLog', 'audit');
  return { authenticator, audit };
}

function latestOf(
  latest: AuthenticatorDecision,
  agreement: Agreement,
): NonNullable<Extract<LogSourceState, { state: 'read' }>['latest']> {
  const row = agreement.kind === 'none' ? undefined : agreement.row;
  return {
    time: latest.time,
    outcome: latest.outcome,
    ...(latest.username !== undefined ? { username: latest.username } : {}),
    ...(latest.uid ? { uid: latest.uid } : {}),
    ...(latest.groups ? { groups: latest.groups } : {}),
    ...(latest.error !== undefined ? { error: latest.error } : {}),
    ...(row ? { explainedBy: row.checkId, meaning: row.meaning } : {}),
    ...(latest.matchedBy ? { matchedBy: latest.matchedBy } : {}),
  };
}

const PAST: Readonly<Record<string, string>> = {
  create: 'created',
  update: 'updated',
  patch: 'patched',
  delete: 'deleted',
};

const shortArn = (arn: string): string => arn.replace(/^arn:[^:]+:[^:]+::\d{12}:/, '');

/**
 * What changed and what followed, oldest first: writes to aws-auth (audit log), access-entry and
 * mode changes (CloudTrail), and each turn of the principal's fate in the authenticator's log
 * (the first grant, the first denial after a grant, …), so a change and the first 401 after it
 * stand next to each other.
 */
export function buildTimeline(evidence: Evidence, principalArn: string | undefined): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const change of evidence.auditLog?.awsAuthChanges ?? []) {
    const refused = change.status !== undefined && (change.status < 200 || change.status >= 300);
    const keys = change.changedKeys?.length ? ` (${change.changedKeys.join(', ')})` : '';
    const rows = [
      ...(change.blocksDropped ?? []).map((key) => `${key} no longer parses (EKS drops it whole)`),
      ...(change.rowsRemoved ?? []).map((arn) => `removed ${shortArn(arn)}`),
      ...(change.rowsAdded ?? []).map((arn) => `added ${shortArn(arn)}`),
    ];
    const by = !change.userArn
      ? change.user
      : change.userArnFrom === 'creator'
        ? `${change.user} (the cluster creator's username: ${change.userArn})`
        : `${change.userArn} (as ${change.user})`;
    entries.push({
      time: change.time,
      kind: 'aws-auth-change',
      actor: change.userArn ?? change.user,
      ...(change.sourceIps[0] ? { sourceIp: change.sourceIps[0] } : {}),
      text: `aws-auth ${refused ? `${change.verb} refused (HTTP ${change.status ?? ''})` : (PAST[change.verb] ?? change.verb)} by ${by}${keys}${rows.length ? `: ${rows.join(', ')}` : ''}`,
    });
  }
  let lastLoad: AwsAuthLoad['outcome'] | undefined;
  for (const load of evidence.authenticatorLog?.awsAuthLoads ?? []) {
    // A clean reload is news only after a failed one; a failed one always is.
    if (load.outcome === 'parsed' && lastLoad !== 'parse-error') {
      lastLoad = load.outcome;
      continue;
    }
    lastLoad = load.outcome;
    entries.push({
      time: load.time,
      kind: 'aws-auth-load',
      text:
        load.outcome === 'parse-error'
          ? `the authenticator could not parse aws-auth and kept only the rows that parsed: ${load.error ?? ''}`
          : load.outcome === 'reset'
            ? 'the authenticator dropped every aws-auth mapping: the ConfigMap was deleted'
            : 'the authenticator parsed aws-auth without error again',
    });
  }
  for (const change of evidence.accessChanges?.changes ?? [])
    entries.push({
      time: change.time,
      kind: 'access-change',
      actor: change.actor,
      text: `${change.eventName}${change.target ? ` ${change.target}` : ''} by ${change.actor}${change.errorCode ? ` (failed: ${change.errorCode})` : ''}`,
    });
  const who = principalArn ?? 'the principal';
  let previous: AuthenticatorDecision['outcome'] | undefined;
  for (const decision of [...(evidence.authenticatorLog?.decisions ?? [])].reverse()) {
    if (decision.outcome === previous) continue;
    previous = decision.outcome;
    entries.push({
      time: decision.time,
      kind: decision.outcome === 'granted' ? 'granted' : 'first-denial',
      text:
        decision.outcome === 'granted'
          ? `authenticator granted ${who} as "${decision.username ?? ''}"`
          : `first 401 for ${who}: ${decision.error ?? 'access denied'}`,
    });
  }
  // Not tied to a principal (the audit log does not name who a refused token belonged to): only
  // the first 401 after each aws-auth or access change, as a sign the change locked someone out.
  const changeTimes = entries
    .filter((e) => e.kind === 'aws-auth-change' || e.kind === 'access-change')
    .map((e) => e.time);
  const unauthorized = evidence.auditLog?.unauthorized ?? [];
  for (const time of changeTimes) {
    const first = unauthorized.find((u) => u.time >= time);
    if (first && !entries.some((e) => e.kind === 'unauthorized' && e.time === first.time))
      entries.push({
        time: first.time,
        kind: 'unauthorized',
        ...(first.sourceIps[0] ? { sourceIp: first.sourceIps[0] } : {}),
        text: `first 401 at the API server after it${first.sourceIps[0] ? ` (from ${first.sourceIps[0]})` : ''}`,
      });
  }
  return entries.sort((a, b) => a.time.localeCompare(b.time));
}

/**
 * The gap to add when the cluster answered 401 and no check explains it: what the authenticator
 * logged, or how to turn its log on. Undefined when the logs add nothing.
 */
export function authenticatorGap(logs: LogsSection): Gap | undefined {
  const section = logs.authenticator;
  if (section.state === 'unavailable')
    return section.command
      ? {
          what: "the authenticator's own reason for the 401",
          why: section.reason,
          how: section.how,
          command: section.command,
        }
      : undefined;
  const latest = section.latest;
  if (latest?.outcome !== 'denied') return undefined;
  return {
    what: 'why the cluster refuses the principal',
    why: `the authenticator logged "access denied" at ${latest.time}: "${latest.error ?? ''}"${latest.explainedBy ? ` (${latest.explainedBy}: ${latest.meaning ?? ''})` : ''}, but eksauth's reading of the cluster does not reproduce it`,
    how: 'compare what the cluster serves with what eksauth read (see logs/authenticator-disagrees and the timeline); save the evidence (--save-evidence) and report it if nothing explains it',
  };
}
