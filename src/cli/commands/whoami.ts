import type { Report } from '../../core/report.js';
import { verdictOf } from '../../core/verdict.js';
import { makeStyle } from '../../report/style.js';
import { writeOutput } from '../io.js';
import { shouldUseColor } from '../output-options.js';
import { runDoctor, type DoctorArgs } from './doctor.js';
import { emitReport, setExitCode } from './shared.js';

/**
 * `eksauth whoami`: who the cluster thinks the principal is, like `kubectl auth whoami`, plus the
 * mapping that produced it; when the cluster does not know the principal, why not.
 */
export async function runWhoami(args: DoctorArgs): Promise<void> {
  await runDoctor({ ...args, progress: false }, (report) => {
    report.command = 'whoami';
    if (args.output !== 'human') return emitReport(report, args);
    writeOutput(renderWhoami(report, shouldUseColor(args.color)));
    setExitCode(report);
  });
}

export function renderWhoami(report: Report, color: boolean): string {
  const s = makeStyle(color);
  const review = report.selfSubjectReview;
  const rows: [string, string][] = [];
  if (report.principal) rows.push(['Principal', report.principal.input]);
  if (review) {
    rows.push(['Username', review.username]);
    if (review.uid) rows.push(['UID', review.uid]);
    rows.push(['Groups', `[${review.groups.join(' ')}]`]);
    for (const [key, values] of Object.entries(review.extra ?? {}))
      rows.push([`Extra: ${key}`, `[${values.join(' ')}]`]);
  } else if (report.decision?.authenticated) {
    rows.push([
      'Username',
      `${report.decision.username ?? ''} (predicted: the cluster did not answer a SelfSubjectReview)`,
    ]);
    rows.push(['Groups', `[${report.decision.groups.join(' ')}]`]);
  }
  if (report.decision?.source) rows.push(['Mapped by', mappedBy(report)]);
  // What kubectl would answer with the kubeconfig (or why it would not run), beside the principal's.
  const kubeconfig = report.steps?.find((step) => step.stage === 'client' && step.title === 'Kubeconfig');
  if (kubeconfig) rows.push(['Kubeconfig', kubeconfig.detail]);
  const width = Math.max(...rows.map(([name]) => name.length), 'ATTRIBUTE'.length);
  const lines =
    rows.length > 0
      ? [
          s.bold(`${'ATTRIBUTE'.padEnd(width)}   VALUE`),
          ...rows.map(([name, value]) => `${name.padEnd(width)}   ${value}`),
        ]
      : [];
  const status = report.observed?.status ?? null;
  if (status === 401 || (status === null && report.decision && !report.decision.authenticated)) {
    const root = report.findings.find((f) => f.checkId === report.rootCause);
    lines.push(
      '',
      s.red(
        status === 401
          ? 'The cluster does not know this principal: 401 Unauthorized.'
          : 'This principal would not be authenticated.',
      ),
    );
    if (root) lines.push(`Why: ${s.bold(root.checkId)}: ${root.message}`, s.dim(root.docsUrl));
    lines.push(s.dim('Run `eksauth doctor` with the same options for every step and the fix.'));
  } else if (verdictOf(report).outcome === 'environment' || verdictOf(report).outcome === 'undetermined') {
    // Say what stopped it (the caller's credentials, an unread source), never a guess at the cluster.
    const verdict = verdictOf(report);
    const root = report.findings.find((f) => f.checkId === report.rootCause);
    lines.push('', s.yellow(`Cannot tell who the cluster sees: ${verdict.text}`));
    if (root)
      lines.push(`Why: ${s.bold(root.checkId)}: ${root.message}`, `Fix: ${root.remediation}`, s.dim(root.docsUrl));
    for (const gap of verdict.missing)
      lines.push(`Missing: ${gap.what}: ${gap.why}. To get it: ${gap.how}${gap.command ? `:\n  ${gap.command}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function mappedBy(report: Report): string {
  switch (report.decision?.source) {
    case 'access-entry':
      return 'an access entry';
    case 'aws-auth':
      return 'the aws-auth ConfigMap';
    case 'cluster-creator':
      return 'the cluster-creator grant (visible nowhere in the cluster)';
    default:
      return '';
  }
}
