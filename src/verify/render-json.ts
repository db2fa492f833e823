import type { Finding } from '../core/types.js';
import type { ClusterResult } from './run.js';
import { expectationCount, failedCount } from './run.js';

/**
 * `--output json`: the shared contract (schemaVersion, rootCause, findings) plus `matrix`. The
 * findings are the doctor's root-cause findings of the principals that mismatch, once each, so a
 * script reading any eksauth JSON sees why; `matrix` holds every expectation with both values.
 */
export function renderVerifyJson(results: readonly ClusterResult[]): string {
  const findings = new Map<string, Finding>();
  for (const cluster of results)
    for (const p of cluster.principals) {
      if (p.results.every((r) => r.pass)) continue;
      const finding = p.report.findings.find((f) => f.checkId === p.rootCause?.checkId);
      if (finding) findings.set(`${finding.checkId} ${finding.message}`, finding);
    }
  const firstMismatch = results.flatMap((c) => c.principals).find((p) => p.results.some((r) => !r.pass));
  const total = expectationCount(results);
  const failed = failedCount(results);
  const out = {
    schemaVersion: 1,
    command: 'verify',
    rootCause: firstMismatch?.rootCause?.checkId ?? null,
    summary: {
      expectations: total,
      passed: total - failed,
      failed,
      principals: results.reduce((n, c) => n + c.principals.length, 0),
    },
    matrix: results.map((c) => ({
      cluster: c.cluster,
      region: c.region,
      ms: c.ms,
      ...(c.environmentFailure ? { environmentFailure: c.environmentFailure } : {}),
      principals: c.principals.map((p) => ({
        principal: p.expectation.label,
        ...(p.expectation.sessionName ? { sessionName: p.expectation.sessionName } : {}),
        pass: p.results.every((r) => r.pass),
        observed: p.observation,
        decision: p.report.decision ?? null,
        rootCause: p.rootCause,
        expectations: p.results.map((r) => ({
          name: r.name,
          expected: r.expected,
          observed: r.observed,
          pass: r.pass,
          line: r.position.line,
        })),
      })),
    })),
    findings: [...findings.values()].map((f) => ({
      checkId: f.checkId,
      severity: f.severity,
      message: f.message,
      remediation: f.remediation,
      docsUrl: f.docsUrl,
      subject: f.subject,
      ...(f.location ? { location: f.location } : {}),
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
