import type { Report } from '../core/report.js';
import type { Finding } from '../core/types.js';
import { decisionText } from './verdict.js';

/** For incident tickets and pull-request comments: headings, a table of steps, fenced commands. */
export function renderMarkdown(report: Report): string {
  const out: string[] = [`## eksauth ${report.command}`, ''];
  if (report.principal)
    out.push(
      `**Principal:** \`${report.principal.input}\` (canonical \`${report.principal.canonicalArn ?? 'n/a'}\`)`,
      '',
    );
  for (const [name, value] of Object.entries(report.facts ?? {})) out.push(`**${name}:** ${value}`, '');
  const decision = decisionText(report);
  if (decision) out.push(`**Decision:** ${decision}`, '');
  if (report.observed)
    out.push(
      `**Observed:** ${report.observed.status ?? 'no HTTP status'}${report.observed.error ? ` — ${report.observed.error}` : ''}`,
      '',
    );
  const root = report.findings.find((f) => f.checkId === report.rootCause);
  if (root) out.push(`### Root cause: [\`${root.checkId}\`](${root.docsUrl})`, '', root.message, '');
  if (report.steps && report.steps.length > 0) {
    out.push('### What EKS did', '', '| # | stage | step | result | detail |', '|---|---|---|---|---|');
    report.steps.forEach((step, i) =>
      out.push(`| ${i + 1} | ${step.stage} | ${step.title} | ${step.status} | ${cell(step.detail)} |`),
    );
    out.push('');
  }
  if (root) out.push(...renderFix(root));
  const others = report.findings.filter((f) => f !== root);
  if (others.length > 0) {
    out.push('### Findings', '', '| severity | check | where | message |', '|---|---|---|---|');
    for (const f of others)
      out.push(
        `| ${f.severity} | [\`${f.checkId}\`](${f.docsUrl}) | ${f.location ? `line ${f.location.line}:${f.location.column}` : ''} | ${cell(f.message)} |`,
      );
    out.push('');
  }
  if (report.findings.length === 0 && !report.decision) out.push('No problems found.', '');
  return `${out.join('\n')}`;
}

function renderFix(finding: Finding): string[] {
  const out = ['### Fix', '', finding.remediation, ''];
  const dialects: [string, string | undefined, string][] = [
    ['kubectl', finding.fix?.kubectl, 'sh'],
    ['eksctl', finding.fix?.eksctl, 'sh'],
    ['aws CLI', finding.fix?.aws, 'sh'],
    ['Terraform', finding.fix?.terraform, 'hcl'],
  ];
  for (const [label, command, lang] of dialects)
    if (command) out.push(`**${label}**`, '', `\`\`\`${lang}`, command, '```', '');
  const risks = finding.fix?.risks ?? [];
  if (risks.length > 0) out.push('**Risks**', '', ...risks.map((r) => `- ${r}`), '');
  return out;
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
