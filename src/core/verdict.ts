import type { Report } from './report.js';
import type { Finding } from './types.js';

/**
 * ok: the principal works (observed, or offline predicted) and nothing deciding was unread.
 * blocked: an error finding that blocks the principal is the root cause.
 * environment: the caller's own credentials or clock stopped the diagnosis.
 * undetermined: eksauth cannot tell; `missing` says what and how to get it.
 */
export type VerdictOutcome = 'ok' | 'blocked' | 'environment' | 'undetermined';

/** Something the verdict depends on that could not be read, and how to get it. */
export interface Gap {
  what: string;
  why: string;
  how: string;
  /** The exact command that gets it, its arguments shell-quoted, when there is one. */
  command?: string;
}

export interface Verdict {
  outcome: VerdictOutcome;
  /** The one line every format prints as the verdict. */
  text: string;
  /** README "Exit codes": 0 ok, 1 blocked, 3 environment or undetermined. */
  exitCode: 0 | 1 | 3;
  missing: Gap[];
}

/**
 * Findings that are the caller's environment (its own credentials or clock), not the cluster: by
 * check id and message id, so a check's other messages (an exec plugin's expired SSO session, say)
 * stay ordinary findings.
 */
export const ENVIRONMENT_MESSAGES: Readonly<Record<string, readonly string[]>> = {
  'identity/credentials-missing': ['noCredentials'],
  'identity/credentials-expired': ['ssoExpired', 'tokenExpired'],
  'identity/credentials-invalid': ['wrongSecret', 'unknownKey'],
  'token/clock-skew': ['awsRefusedDate'],
};

export const isEnvironmentFinding = (finding: Finding): boolean =>
  ENVIRONMENT_MESSAGES[finding.checkId]?.includes(finding.messageId) === true;

const STAGE_WORDS: Record<Finding['stage'], string> = {
  client: 'blocked before the request reaches EKS',
  token: '401 Unauthorized (the token is refused before any mapping is read)',
  reachability: 'the API server cannot be reached',
  authentication: '401 Unauthorized',
  authorization: '403 Forbidden',
};

/**
 * The one place verdict line, outcome and exit code come from. Every reporter prints `text`, the
 * CLI exits with `exitCode`; the root cause and findings it reads are the report's own, so none of
 * them can disagree.
 */
export function decideVerdict(report: Report, gaps: readonly Gap[] = []): Verdict {
  const hasPrincipal = report.principal !== undefined;
  const live = report.observed !== undefined;
  const root = report.findings.find(
    (f) => f.checkId === report.rootCause && f.severity === 'error' && (f.affectsPrincipal || !hasPrincipal),
  );
  const missing = [...gaps];
  if (!hasPrincipal && !live) return lintVerdict(report);
  if (root && isEnvironmentFinding(root))
    return {
      outcome: 'environment',
      exitCode: 3,
      text: `not diagnosed: ${root.title} (${root.checkId}); fix that and run again`,
      // Everything else is unread because of this one failure: listing it would only hide it.
      missing: [],
    };
  const decision = report.decision;
  const status = report.observed?.status ?? null;
  const observedNote = status !== null ? ` (observed: HTTP ${status})` : '';
  const mapped =
    decision?.authenticated === true
      ? `authenticated as "${decision.username ?? ''}", groups [${decision.groups.join(', ')}], via ${decision.source ?? ''}`
      : undefined;

  if (root) {
    const servedToday = status === 200 || status === 403;
    let text: string;
    if (root.stage === 'authorization')
      text = `${mapped ?? 'authenticated'}, but ${STAGE_WORDS.authorization}: ${root.title}`;
    else if (root.stage === 'authentication' && servedToday)
      // Served today (observed), yet this error blocks what the principal is for.
      text = `${mapped ?? 'authenticated'}, but: ${root.title}`;
    else if (root.stage === 'authentication' && status === null && decision?.authenticated)
      // Predicted only: the mapping matches, and something the mapping does not show refuses it.
      text = `blocked: ${root.title}; the mapping alone would authenticate it as "${decision.username ?? ''}" via ${decision.source ?? ''}`;
    else if (root.stage === 'authentication') text = `${STAGE_WORDS.authentication}: ${root.title}`;
    else
      text = `${STAGE_WORDS[root.stage]}: ${root.title}${decision?.authenticated ? `; the mapping itself would authenticate it as "${decision.username ?? ''}" via ${decision.source ?? ''}` : ''}`;
    return { outcome: 'blocked', exitCode: 1, text: `${text}${observedNote}`, missing };
  }

  if (!hasPrincipal)
    return undetermined(
      missing,
      'who the principal is',
      'its identity could not be read',
      'fix the credentials and run again',
      observedNote,
    );
  if (report.determined === false)
    return undetermined(missing, 'a source EKS consults', 'it could not be read', 'see the steps above', observedNote);
  if (status === 401)
    return undetermined(
      missing,
      'why the cluster refuses the principal',
      'the cluster answered 401 Unauthorized, but nothing eksauth could read explains it',
      "read the authenticator log (CloudWatch Logs group /aws/eks/CLUSTER/cluster, streams authenticator-*): its 'access denied' line names the reason",
      observedNote,
    );
  if (live && status !== 200 && status !== 403)
    return undetermined(
      missing,
      "the API server's answer to the principal's token",
      report.observed?.error ?? (status === null ? 'no answer' : `HTTP ${status}`),
      'run doctor from a network that reaches the cluster endpoint',
      observedNote,
    );
  if (!mapped)
    return undetermined(
      missing,
      'a check that explains the predicted 401',
      'the model refuses the principal, but no check names a cause',
      'save the evidence (--save-evidence) and report it: this is an eksauth gap',
      observedNote,
    );
  const forbidden = report.findings.some(
    (f) => f.affectsPrincipal && f.stage === 'authorization' && f.severity !== 'info',
  );
  return {
    outcome: 'ok',
    exitCode: 0,
    text: `${mapped}${forbidden ? ', but some requests are likely 403 Forbidden' : ''}${observedNote}`,
    missing,
  };
}

function undetermined(missing: Gap[], what: string, why: string, how: string, observedNote: string): Verdict {
  const gaps = missing.length > 0 ? missing : [{ what, why, how }];
  return {
    outcome: 'undetermined',
    exitCode: 3,
    text: `undetermined: missing ${gaps.map((g) => g.what).join('; ')}${observedNote}`,
    missing: gaps,
  };
}

/** Without a principal (lint, decode-token): the findings alone. */
function lintVerdict(report: Report): Verdict {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const text =
    errors + warnings === 0
      ? 'No problems found.'
      : [errors > 0 ? count(errors, 'error') : '', warnings > 0 ? count(warnings, 'warning') : '']
          .filter(Boolean)
          .join(', ');
  return { outcome: errors > 0 ? 'blocked' : 'ok', exitCode: errors > 0 ? 1 : 0, text, missing: [] };
}

/** The report's verdict, decided once when the report was built (or now, for a report built elsewhere). */
export const verdictOf = (report: Report): Verdict => report.verdict ?? decideVerdict(report);
