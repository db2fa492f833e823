import type { Report } from '../core/report.js';
import { verdictOf, type Gap } from '../core/verdict.js';

/**
 * The verdict line every reporter prints: decided once (src/core/verdict.ts) with the exit code,
 * so formats cannot disagree with each other or with the exit code. Undefined for a report about
 * no principal and no live run (lint, decode-token), whose summary is its findings.
 */
export function decisionText(report: Report): string | undefined {
  if (!report.principal && report.observed === undefined) return undefined;
  return verdictOf(report).text;
}

/** "what: why. To get it: how" for what the verdict could not read, with its command (never wrapped). */
export const gapLines = (report: Report): { text: string; command?: string }[] =>
  verdictOf(report).missing.map((gap: Gap) => ({
    text: `${gap.what}: ${gap.why.replace(/\.$/, '')}. To get it: ${gap.how}${gap.command ? ':' : ''}`,
    ...(gap.command ? { command: gap.command } : {}),
  }));
