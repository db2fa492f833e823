import type { Report } from '../core/report.js';
import type { Finding } from '../core/types.js';

/** The contract of output.schema.json: `schemaVersion` first, findings in stage order. */
export function renderJson(report: Report): string {
  const { schemaVersion, command, rootCause, findings, skipped, ...rest } = report;
  return `${JSON.stringify({ schemaVersion, command, rootCause, ...rest, findings: findings.map(toContractFinding), skipped }, null, 2)}\n`;
}

function toContractFinding(finding: Finding): Record<string, unknown> {
  const { checkId, severity, message, remediation, docsUrl, subject, location, ...extra } = finding;
  return { checkId, severity, message, remediation, docsUrl, subject, ...(location ? { location } : {}), ...extra };
}
