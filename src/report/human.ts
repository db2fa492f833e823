import type { Report } from '../core/report.js';
import type { Finding, Fix } from '../core/types.js';
import type { TraceStep } from '../model/trace.js';
import { termsUsed } from './glossary.js';
import { makeStyle, type Style } from './style.js';
import { verdictOf } from '../core/verdict.js';
import { decisionText, gapLines } from './verdict.js';
import { renderLogsHuman } from './human-logs.js';

const DIALECTS: [keyof Fix, string][] = [
  ['kubectl', 'kubectl'],
  ['eksctl', 'eksctl'],
  ['aws', 'aws CLI'],
  ['terraform', 'Terraform'],
];

/** For people: the root cause first, then what EKS did step by step, then the fix. */
export function renderHuman(report: Report, options: { color: boolean; source?: string }): string {
  const s = makeStyle(options.color);
  const out: string[] = [];
  const root =
    report.findings.find((f) => f.checkId === report.rootCause && (f.affectsPrincipal || !report.principal)) ??
    report.findings.find((f) => f.checkId === report.rootCause);
  if (report.principal) out.push(`${s.bold('Principal')}  ${report.principal.input}`);
  for (const [name, value] of Object.entries(report.facts ?? {})) out.push(`${s.bold(name)}  ${value}`);
  out.push(verdictLine(report, s));
  const gaps = gapLines(report);
  if (gaps.length > 0)
    out.push(
      '',
      s.bold(s.yellow('Could not read')),
      ...gaps.flatMap((g) => [
        ...wrapText(g.text, 94).map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)),
        ...(g.command ? [`      ${g.command}`] : []),
      ]),
    );
  if (report.access && report.access.length > 0)
    out.push(
      '',
      s.bold('You asked (--can)'),
      ...report.access.flatMap((a) =>
        wrapText(`${a.allowed ? s.green('✓ allowed') : s.red('✗ denied ')}  ${a.request}: ${a.rule}`, 96).map((l, i) =>
          i === 0 ? `  ${l}` : `              ${l}`,
        ),
      ),
    );
  if (root) {
    out.push(
      '',
      `${s.bold(s.red('Root cause'))}  ${s.bold(root.checkId)}  ${root.title}`,
      ...indent(wrapText(root.message), 2),
      `  ${s.dim(root.docsUrl)}`,
    );
  }
  if (report.steps && report.steps.length > 0) out.push('', s.bold('What EKS did'), ...renderSteps(report.steps, s));
  out.push(...renderLogsHuman(report, s, wrapText));
  if (root) out.push('', ...renderFix(root, s));
  const others = report.findings.filter((f) => f !== root);
  if (others.length > 0)
    out.push(
      '',
      s.bold(root ? 'Other findings' : 'Findings'),
      ...others.flatMap((f) => renderFinding(f, s, options.source)),
    );
  const terms = termsUsed(out.join('\n'));
  if (terms.length > 0) out.push('', s.dim('Terms:'), ...terms.map((t) => s.dim(`  ${t.term}: ${t.url}`)));
  return `${out.join('\n')}\n`;
}

function verdictLine(report: Report, s: Style): string {
  const verdict = verdictOf(report);
  const text = decisionText(report) ?? verdict.text;
  const line = report.principal || report.observed !== undefined ? `Verdict    ${text}` : text;
  if (verdict.outcome === 'blocked') return s.red(line);
  if (verdict.outcome === 'ok')
    return verdict.text === 'No problems found.' || !/403/.test(text) ? s.green(line) : s.yellow(line);
  return s.yellow(line);
}

const MARKS: Record<TraceStep['status'], string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

function renderSteps(steps: readonly TraceStep[], s: Style): string[] {
  const width = Math.max(...steps.map((step) => step.title.length));
  const colour = { pass: s.green, fail: s.red, warn: s.yellow, skip: s.dim };
  const lines: string[] = [];
  let stage = '';
  steps.forEach((step, i) => {
    if (step.stage !== stage) {
      stage = step.stage;
      lines.push(`  ${s.dim(stage)}`);
    }
    const head = `  ${String(i + 1).padStart(2)}. ${colour[step.status](MARKS[step.status])} ${step.title.padEnd(width)}  `;
    const [first = '', ...rest] = wrapText(step.detail, 100 - head.length);
    lines.push(`${head}${first}`, ...rest.map((line) => `${' '.repeat(head.length)}${line}`));
  });
  return lines;
}

function renderFix(finding: Finding, s: Style): string[] {
  const lines = [s.bold('Fix'), ...indent(wrapText(finding.remediation), 2)];
  for (const [key, label] of DIALECTS) {
    const command = finding.fix?.[key];
    if (typeof command === 'string')
      lines.push('', `  ${s.cyan(label)}`, ...command.split('\n').map((l) => `    ${l}`));
  }
  const risks = finding.fix?.risks ?? [];
  if (risks.length > 0)
    lines.push(
      '',
      `  ${s.yellow('Risks')}`,
      ...risks.flatMap((r) => indent(wrapText(r, 94), 4).map((l, i) => (i === 0 ? `  - ${l.trimStart()}` : l))),
    );
  return lines;
}

function renderFinding(finding: Finding, s: Style, source: string | undefined): string[] {
  const severity = { error: s.red('error  '), warning: s.yellow('warning'), info: s.dim('info   ') }[finding.severity];
  const where = finding.location
    ? `${source ? `${source}:` : 'line '}${finding.location.line}:${finding.location.column}  `
    : '';
  return [
    `  ${severity} ${s.bold(finding.checkId)}  ${where}`,
    ...indent(wrapText(finding.message, 96), 10),
    ...indent(wrapText(`→ ${finding.remediation}`, 96), 10),
    `          ${s.dim(finding.docsUrl)}`,
  ];
}

const indent = (lines: string[], by: number): string[] => lines.map((l) => `${' '.repeat(by)}${l}`);

/** Short lines for narrow terminals; never breaks inside a word (ARNs stay whole). */
export function wrapText(text: string, width = 98): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines;
}
