import type { Report } from '../core/report.js';
import type { Finding, FixPlan } from '../core/types.js';
import { code, codeBlock, link, renderLines, row, safeMd, type Md } from './markdown-text.js';
import { decisionText, gapLines } from './verdict.js';
import { renderLogsMarkdown } from './markdown-logs.js';

/**
 * For incident tickets and pull-request comments: headings, a table of steps, fenced commands.
 * Every line is an Md, so each value from outside is escaped for where it stands (markdown-text.ts).
 */
export function renderMarkdown(report: Report): string {
  const blank = safeMd``;
  const out: Md[] = [safeMd`## eksauth ${report.command}`, blank];
  if (report.principal)
    out.push(
      safeMd`**Principal:** ${code(report.principal.input)} (canonical ${code(report.principal.canonicalArn ?? 'n/a')})`,
      blank,
    );
  for (const [name, value] of Object.entries(report.facts ?? {})) out.push(safeMd`**${name}:** ${value}`, blank);
  const decision = decisionText(report);
  if (decision) out.push(safeMd`**Decision:** ${decision}`, blank);
  const gaps = gapLines(report);
  if (gaps.length > 0)
    out.push(
      safeMd`**Could not read:**`,
      blank,
      ...gaps.flatMap((g) => [safeMd`- ${g.text}`, ...(g.command ? [codeBlock('sh', g.command)] : [])]),
      blank,
    );
  if (report.observed) {
    const { status, error } = report.observed;
    out.push(safeMd`**Observed:** ${String(status ?? 'no HTTP status')}${error ? safeMd` — ${error}` : blank}`, blank);
  }
  if (report.access && report.access.length > 0) {
    out.push(
      safeMd`### You asked (${code('--can')})`,
      blank,
      safeMd`| request | answer | rule |`,
      safeMd`|---|---|---|`,
    );
    for (const a of report.access) out.push(row([a.request, a.allowed ? 'allowed' : 'denied', a.rule]));
    out.push(blank);
  }
  const root = report.findings.find((f) => f.checkId === report.rootCause);
  if (root) out.push(safeMd`### Root cause: ${checkLink(root)}`, blank, safeMd`${root.message}`, blank);
  if (report.steps && report.steps.length > 0) {
    out.push(
      safeMd`### What EKS did`,
      blank,
      safeMd`| # | stage | step | result | detail |`,
      safeMd`|---|---|---|---|---|`,
    );
    report.steps.forEach((step, i) => out.push(row([i + 1, step.stage, step.title, step.status, step.detail])));
    out.push(blank);
  }
  out.push(...renderLogsMarkdown(report));
  if (root) out.push(...renderFix(root, report.fix));
  const others = report.findings.filter((f) => f !== root);
  if (others.length > 0) {
    out.push(safeMd`### Findings`, blank, safeMd`| severity | check | where | message |`, safeMd`|---|---|---|---|`);
    for (const f of others) {
      const where = f.location ? `line ${f.location.line}:${f.location.column}` : '';
      out.push(row([f.severity, checkLink(f), where, f.message]));
    }
    out.push(blank);
  }
  if (decision === undefined && report.findings.length === 0) out.push(safeMd`No problems found.`, blank);
  return renderLines(out);
}

const checkLink = (finding: Finding): Md => link(code(finding.checkId), finding.docsUrl);

/** The fix: every step that clears a finding blocking the principal, numbered when several, each with its dialects. */
function renderFix(root: Finding, plan: FixPlan | undefined): Md[] {
  const blank = safeMd``;
  const steps = plan?.steps ?? root.fix?.steps ?? [];
  const out = [safeMd`### Fix`, blank, safeMd`${root.remediation}`, blank];
  const also = (plan?.findings ?? []).filter((id) => id !== root.checkId);
  if (also.length > 0) out.push(safeMd`These steps also clear ${also.join(', ')}.`, blank);
  steps.forEach((step, i) => {
    if (steps.length > 1) out.push(safeMd`#### Step ${String(i + 1)}: ${step.title}`, blank);
    if (step.oneWay) out.push(safeMd`**One-way:** ${step.oneWay}`, blank);
    if (step.identity) out.push(safeMd`**Run as** ${step.identity}.`, blank);
    const dialects: [string, string | undefined, string][] = [
      ['kubectl', step.kubectl?.text, 'sh'],
      ['eksctl', step.eksctl?.text, 'sh'],
      ['aws CLI', step.aws?.text, 'sh'],
      ['Terraform', step.terraform?.text, 'hcl'],
    ];
    for (const [label, command, language] of dialects)
      if (command) out.push(safeMd`**${label}**`, blank, codeBlock(language, command), blank);
  });
  const risks = plan?.risks ?? root.fix?.risks ?? [];
  if (risks.length > 0) out.push(safeMd`**Risks**`, blank, ...risks.map((r) => safeMd`- ${r}`), blank);
  return out;
}
