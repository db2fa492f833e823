import type { Report } from '../core/report.js';
import type { Finding, FixPlan, RenderedStep } from '../core/types.js';
import type { TraceStep } from '../model/trace.js';
import { termsUsed } from './glossary.js';
import { makeStyle, type Style } from './style.js';
import { verdictOf } from '../core/verdict.js';
import { decisionText, gapLines } from './verdict.js';
import { renderLogsHuman } from './human-logs.js';

const DIALECTS: [keyof RenderedStep & ('kubectl' | 'eksctl' | 'aws' | 'terraform'), string][] = [
  ['kubectl', 'kubectl'],
  ['eksctl', 'eksctl'],
  ['aws', 'aws CLI'],
  ['terraform', 'Terraform'],
];

/** For people: the root cause first, then the fix, then what EKS did step by step. */
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
  // The glossary explains the words of the prose, not of the commands or of the step-by-step trace.
  const notProse = new Set<string>();
  if (root) {
    out.push(
      '',
      `${s.bold(s.red('Root cause'))}  ${s.bold(root.checkId)}  ${root.title}`,
      ...indent(wrapText(root.message), 2),
      `  ${s.dim(root.docsUrl)}`,
    );
    out.push('', ...renderFix(root, report.fix, s, notProse));
  }
  if (report.steps && report.steps.length > 0) {
    const trace = renderSteps(report.steps, s);
    trace.forEach((l) => notProse.add(l));
    out.push('', s.bold('What EKS did'), ...trace);
  }
  out.push(...renderLogsHuman(report, s, wrapText));
  const others = report.findings.filter((f) => f !== root);
  if (others.length > 0)
    out.push(
      '',
      s.bold(root ? 'Other findings' : 'Findings'),
      ...others.flatMap((f) => renderFinding(f, s, options.source)),
    );
  const terms = termsUsed(out.filter((l) => !notProse.has(l)).join('\n'));
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

/**
 * The fix: the root cause's remediation, then the steps that clear every finding blocking the
 * principal (the report's plan; the root cause's own steps without one), numbered when there are
 * several, each with its dialects and its marks (one-way, who must run it); then the risks.
 * Command lines are added to `commands` so the glossary can leave them out.
 */
function renderFix(root: Finding, plan: FixPlan | undefined, s: Style, commands: Set<string>): string[] {
  const steps = plan?.steps ?? root.fix?.steps ?? [];
  const risks = plan?.risks ?? root.fix?.risks ?? [];
  const lines = [s.bold('Fix'), ...indent(wrapText(root.remediation), 2)];
  const also = (plan?.findings ?? []).filter((id) => id !== root.checkId);
  if (also.length > 0) lines.push(...indent(wrapText(`These steps also clear ${also.join(', ')}.`), 2));
  const dialects = (step: RenderedStep, depth: number): string[] =>
    DIALECTS.flatMap(([key, label]) => {
      const text = step[key]?.text;
      if (text === undefined) return [];
      const body = text.split('\n').map((l) => `${' '.repeat(depth + 2)}${l}`);
      body.forEach((l) => commands.add(l));
      return ['', `${' '.repeat(depth)}${s.cyan(label)}`, ...body];
    });
  if (steps.length === 1 && steps[0]) {
    const [step] = steps;
    lines.push(...marks(step, 2, s), ...dialects(step, 2));
  } else
    steps.forEach((step, i) => {
      lines.push(
        '',
        ...wrapText(`${i + 1}. ${step.title}`, 96).map((l, j) => (j === 0 ? `  ${s.bold(l)}` : `     ${l}`)),
        ...marks(step, 5, s),
        ...dialects(step, 5),
      );
    });
  if (risks.length > 0)
    lines.push(
      '',
      `  ${s.yellow('Risks')}`,
      ...risks.flatMap((r) => indent(wrapText(r, 94), 4).map((l, i) => (i === 0 ? `  - ${l.trimStart()}` : l))),
    );
  return lines;
}

/** A step's one-way and who-runs-it notes. */
function marks(step: RenderedStep, depth: number, s: Style): string[] {
  const pad = ' '.repeat(depth);
  return [
    ...(step.oneWay ? wrapText(`ONE-WAY: ${step.oneWay}`, 96 - depth).map((l) => `${pad}${s.yellow(l)}`) : []),
    ...(step.identity ? wrapText(`Run as ${step.identity}.`, 96 - depth).map((l) => `${pad}${l}`) : []),
  ];
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
