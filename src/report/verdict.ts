import type { Report } from '../core/report.js';

/** What the simulation decided, in the words every reporter uses; undefined without a principal. */
export function decisionText(report: Report): string | undefined {
  const d = report.decision;
  if (!d) return undefined;
  if (d.authenticated) return `authenticated as "${d.username}", groups [${d.groups.join(', ')}], via ${d.source}`;
  return report.determined === false
    ? 'undetermined: EKS would consult evidence that was not given'
    : '401 Unauthorized: EKS does not map this principal';
}
