import type { Report } from '../core/report.js';
import { codeBlock, row, safeMd, type Md } from './markdown-text.js';
import { logsText } from './logs-text.js';

/** "What EKS logged" for tickets: the authenticator's verdict, the audit log, and the timeline table. */
export function renderLogsMarkdown(report: Report): Md[] {
  const text = logsText(report);
  if (!text) return [];
  const blank = safeMd``;
  const out: Md[] = [safeMd`### What EKS logged`, blank];
  for (const line of text.lines) {
    out.push(safeMd`- **${line.label}:** ${line.text}`);
    if (line.command) out.push(blank, codeBlock('sh', line.command), blank);
    if (line.note) out.push(safeMd`  ${line.note}`);
  }
  out.push(blank);
  if (text.timeline.length > 0) {
    out.push(safeMd`| time (UTC) | what |`, safeMd`|---|---|`);
    for (const entry of text.timeline) out.push(row([entry.when, entry.text]));
    out.push(blank);
  }
  return out;
}
