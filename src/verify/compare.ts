import type { Report } from '../core/report.js';
import type { Evidence } from '../model/evidence.js';
import type { MappingSource } from '../model/trace.js';
import {
  matchesPattern,
  type AccessExpectation,
  type FilePosition,
  type PrincipalExpectation,
} from './expectations.js';

/** Where a value in the matrix comes from: the live cluster, or the model when the cluster could not be asked. */
export type Origin = 'observed' | 'predicted';

export interface AccessObservation {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
  /** null: not asked or no answer (the principal has no token, the API server is unreachable). */
  allowed: boolean | null;
  reason?: string;
}

/** What the cluster (or, failing that, the doctor's model) says about one principal. */
export interface Observation {
  authenticated: boolean | null;
  authenticatedFrom: Origin;
  /** Only the model knows which source won; the API server does not say. */
  source: MappingSource | null;
  username: string | null;
  groups: string[];
  identityFrom: Origin;
  access: AccessObservation[];
  /** HTTP status of the probe, or why there was none. */
  probe: string;
  /** The authenticator's latest logged decision for the principal, when its log type is on. */
  authenticator?: AuthenticatorObservation;
}

/** What the authenticator's own log said, beside what the expectation says. */
export interface AuthenticatorObservation {
  time: string;
  outcome: 'granted' | 'denied';
  username?: string;
  error?: string;
  /** The check the error text maps to (null: none does). */
  explainedBy?: string | null;
  /** How it compares with the model's prediction. */
  agreement?: string;
}

/** One line for the matrix: "12:04:00Z denied "identity is not mapped" (identity/principal-not-mapped)". */
export function authenticatorText(observation: AuthenticatorObservation): string {
  const said =
    observation.outcome === 'granted'
      ? `granted as "${observation.username ?? ''}"`
      : `denied "${observation.error ?? ''}"${observation.explainedBy ? ` (${observation.explainedBy})` : ''}`;
  return `${observation.time} ${said}${observation.agreement === 'disagree' ? '; DISAGREES with the model' : ''}`;
}

function authenticatorObservation(report: Report): AuthenticatorObservation | undefined {
  const section = report.logs?.authenticator;
  if (section?.state !== 'read' || !section.latest) return undefined;
  const { time, outcome, username, error, explainedBy } = section.latest;
  return {
    time,
    outcome,
    ...(username !== undefined ? { username } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(explainedBy !== undefined ? { explainedBy } : {}),
    ...(section.agreement ? { agreement: section.agreement } : {}),
  };
}

/** The group every authenticated request carries; leaving it out of expectations keeps files short. */
const IMPLICIT_GROUPS = new Set(['system:authenticated']);

export function observe(report: Report, evidence: Evidence): Observation {
  const probe = evidence.probe;
  const decision = report.decision;
  const status = probe?.status ?? null;
  const authenticatedObserved = status !== null ? status !== 401 : null;
  const review = probe?.selfSubjectReview;
  // A prediction made without the evidence it needs is an open question, not a "no".
  const predicted = report.determined === false ? null : (decision?.authenticated ?? null);
  const authenticator = authenticatorObservation(report);
  return {
    authenticated: authenticatedObserved ?? predicted,
    authenticatedFrom: authenticatedObserved !== null ? 'observed' : 'predicted',
    source: decision?.authenticated ? decision.source : null,
    username: review ? review.username : decision?.authenticated ? decision.username : null,
    groups: (review ? review.groups : decision?.authenticated ? decision.groups : []).filter(
      (g) => !IMPLICIT_GROUPS.has(g),
    ),
    // A 401 from the API server is itself the observation: no identity at all.
    identityFrom: review || authenticatedObserved === false ? 'observed' : 'predicted',
    access: (probe?.accessReviews ?? []).map((r) => ({
      verb: r.verb,
      resource: r.resource,
      ...(r.group ? { group: r.group } : {}),
      ...(r.namespace ? { namespace: r.namespace } : {}),
      allowed: r.allowed,
      ...(r.reason ? { reason: r.reason } : {}),
    })),
    probe:
      status !== null
        ? `HTTP ${status}`
        : `no probe: ${report.observed?.error ?? evidence.unavailable?.probe ?? 'the API server was not asked'}`,
    ...(authenticator ? { authenticator } : {}),
  };
}

export interface RootCause {
  checkId: string;
  title: string;
  message: string;
  docsUrl: string;
}

/** One cell of the matrix: one expectation of one principal. */
export interface ExpectationResult {
  /** `authenticated`, `source`, `username`, `groups`, or `can VERB RESOURCE [-n NS]`. */
  name: string;
  expected: string;
  observed: string;
  /** false for a mismatch; an expectation that could not be checked is a mismatch too. */
  pass: boolean;
  position: FilePosition;
}

export const describeAccess = (a: Pick<AccessExpectation, 'verb' | 'resource' | 'group' | 'namespace'>): string =>
  `can ${a.verb} ${a.group ? `${a.resource}.${a.group}` : a.resource}${a.namespace ? ` -n ${a.namespace}` : ''}`;

const show = (value: string | null): string => (value === null ? 'none' : `"${value}"`);
const showGroups = (groups: readonly string[]): string => `[${groups.join(', ')}]`;

/** Compares every stated expectation with the observation; an unstated one is not checked. */
export function compare(expectation: PrincipalExpectation, observation: Observation): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  const position = expectation.position;
  // A predicted value says why the cluster itself could not answer.
  const from = (origin: Origin): string =>
    origin === 'predicted'
      ? ` (predicted by the model; ${observation.probe.replace(/^no probe: /, 'no probe: ')})`
      : '';
  if (expectation.authenticated !== undefined) {
    results.push({
      name: 'authenticated',
      expected: String(expectation.authenticated),
      observed:
        observation.authenticated === null
          ? `unknown (${observation.probe})`
          : `${observation.authenticated}${from(observation.authenticatedFrom)}${observation.authenticatedFrom === 'observed' ? ` (${observation.probe})` : ''}`,
      pass: observation.authenticated === expectation.authenticated,
      position,
    });
  }
  if (expectation.source !== undefined) {
    results.push({
      name: 'source',
      expected: expectation.source,
      observed:
        observation.source ??
        (observation.authenticated ? 'unknown (the model predicts no mapping)' : 'none (not authenticated)'),
      pass: observation.source === expectation.source,
      position,
    });
  }
  if (expectation.username !== undefined) {
    results.push({
      name: 'username',
      expected: `"${expectation.username}"`,
      observed: `${show(observation.username)}${from(observation.identityFrom)}`,
      pass: observation.username !== null && matchesPattern(expectation.username, observation.username),
      position,
    });
  }
  if (expectation.groups !== undefined) {
    const expected = expectation.groups.filter((g) => !IMPLICIT_GROUPS.has(g));
    const observed = observation.groups;
    // Set equality where expected items may be patterns: each side must be covered by the other.
    const pass =
      observation.authenticated === true &&
      expected.every((p) => observed.some((g) => matchesPattern(p, g))) &&
      observed.every((g) => expected.some((p) => matchesPattern(p, g)));
    results.push({
      name: 'groups',
      expected: showGroups(expected),
      observed: `${observation.authenticated === true ? showGroups(observed) : 'none (not authenticated)'}${from(observation.identityFrom)}`,
      pass,
      position,
    });
  }
  for (const can of expectation.can) {
    const answer = observation.access.find(
      (a) =>
        a.verb === can.verb &&
        a.resource === can.resource &&
        (a.group ?? '') === (can.group ?? '') &&
        (a.namespace ?? '') === (can.namespace ?? ''),
    );
    // A principal the API server refuses (401) can do nothing: that is an answer, not a gap.
    const allowed =
      answer?.allowed ??
      (observation.authenticated === false && observation.authenticatedFrom === 'observed' ? false : null);
    results.push({
      name: describeAccess(can),
      expected: can.allowed ? 'allowed' : 'denied',
      observed:
        allowed === null
          ? `unknown (${observation.probe})`
          : `${allowed ? 'allowed' : 'denied'}${answer?.reason ? ` (${answer.reason})` : !answer ? ' (401 Unauthorized)' : ''}`,
      pass: allowed === can.allowed,
      position: can.position,
    });
  }
  return results;
}

/** The doctor's root cause for this principal, with its docs link; null when nothing blocks it. */
export function rootCauseOf(report: Report): RootCause | null {
  const finding =
    report.findings.find((f) => f.checkId === report.rootCause && f.affectsPrincipal) ??
    report.findings.find((f) => f.checkId === report.rootCause);
  return finding
    ? { checkId: finding.checkId, title: finding.title, message: finding.message, docsUrl: finding.docsUrl }
    : null;
}
