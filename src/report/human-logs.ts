import type { Report } from '../core/report.js';
import { logsText } from './logs-text.js';
import type { Style } from './style.js';

/** "What EKS logged": the authenticator's verdict, the audit log, and the timeline (UTC). */
export function renderLogsHuman(report: Report, s: Style, wrap: (text: string, width: number) => string[]): string[] {
  const text = logsText(report);
  if (!text) return [];
  const out = ['', s.bold('What EKS logged')];
  for (const line of text.lines) {
    out.push(...wrap(`${line.label}: ${line.text}`, 96).map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)));
    // Commands stay on one line, whole, so they can be pasted.
    if (line.command) out.push(`      ${line.command}`);
    if (line.note) out.push(...wrap(line.note, 92).map((l) => `    ${s.dim(l)}`));
  }
  if (text.timeline.length > 0) {
    out.push('', s.bold('Timeline (UTC)'));
    for (const entry of text.timeline)
      out.push(
        ...wrap(entry.text, 84).map((l, i) =>
          i === 0 ? `  ${entry.when}  ${l}` : `  ${' '.repeat(entry.when.length)}  ${l}`,
        ),
      );
  }
  return out;
}
