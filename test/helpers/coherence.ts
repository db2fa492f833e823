import { expect } from 'vitest';
import { exitCodeFor, type Report } from '../../src/core/report.js';
import { isEnvironmentFinding } from '../../src/core/verdict.js';
import { renderReport } from '../../src/report/index.js';
import { safeMd } from '../../src/report/markdown-text.js';
import { schemaErrors } from './schema.js';

/**
 * The invariants of one coherent verdict, checked on a finished report and its three renderings:
 * - exit 1 ⇔ the root cause is an error finding that blocks the principal (and not the caller's
 *   own environment, which is exit 3);
 * - exit 0 ⇒ the principal was observed (or, offline, predicted) to work and nothing deciding was unread;
 * - never "authenticated" beside an observed 401 or a principal that could not be assumed;
 * - "undetermined" names what is missing, why, and how to get it;
 * - every format prints the same verdict line, and none says "No problems found" unless exit 0.
 */
export function expectCoherent(report: Report, label: string): void {
  const verdict = report.verdict;
  expect(verdict, `${label}: a verdict is decided`).toBeDefined();
  if (!verdict) return;
  const exit = exitCodeFor(report);
  expect(exit, `${label}: exit code is the verdict's`).toBe(verdict.exitCode);
  // Several findings may share the root cause's check id: the one that blocks this principal is it.
  const root = report.findings.find(
    (f) => f.checkId === report.rootCause && f.severity === 'error' && (f.affectsPrincipal || !report.principal),
  );
  const blocking = root !== undefined && !isEnvironmentFinding(root);
  expect(exit === 1, `${label}: exit 1 ⇔ a blocking root cause (${report.rootCause ?? 'none'}): ${verdict.text}`).toBe(
    blocking,
  );
  if (root && isEnvironmentFinding(root)) expect(exit, `${label}: the environment is exit 3`).toBe(3);
  const status = report.observed?.status ?? null;
  const assumeFailed = report.steps?.some((s) => s.title === 'Assume the role' && s.status === 'fail') ?? false;
  if (exit === 0 && report.principal) {
    expect(report.determined, `${label}: exit 0 with nothing deciding unread`).not.toBe(false);
    expect(report.decision?.authenticated, `${label}: exit 0 only for a principal that works`).toBe(true);
    if (report.observed !== undefined)
      expect([200, 403], `${label}: exit 0 only when observed to work`).toContain(status);
  }
  if (status === 401 || assumeFailed) {
    expect(verdict.outcome, `${label}: ${verdict.text}`).not.toBe('ok');
    expect(verdict.text, label).not.toMatch(/^authenticated/);
  }
  if (verdict.outcome === 'undetermined') {
    expect(verdict.missing.length, `${label}: undetermined names what is missing`).toBeGreaterThan(0);
    for (const gap of verdict.missing) {
      expect(gap.what, label).not.toBe('');
      expect(gap.why, label).not.toBe('');
      expect(gap.how, label).not.toBe('');
    }
  }
  const json = JSON.parse(renderReport(report, 'json', { color: false })) as Report;
  expect(json.verdict, `${label}: json`).toEqual(verdict);
  expect(schemaErrors(json), `${label}: json matches schema/output-v1.json`).toBe('');
  const human = renderReport(report, 'human', { color: false });
  const markdown = renderReport(report, 'markdown', { color: false });
  if (report.principal || report.observed !== undefined) {
    expect(human, `${label}: human`).toContain(`Verdict    ${verdict.text}`);
    expect(markdown, `${label}: markdown`).toContain(safeMd`**Decision:** ${verdict.text}`.source);
    for (const gap of verdict.missing) {
      expect(human.replace(/\s+/g, ' '), `${label}: human names how`).toContain(gap.how.replace(/\s+/g, ' '));
      expect(markdown, `${label}: markdown names how`).toContain(safeMd`${gap.how}`.source);
      if (gap.command) {
        expect(human, `${label}: human prints the command whole`).toContain(gap.command);
        expect(markdown, `${label}: markdown prints the command whole`).toContain(gap.command);
      }
    }
  }
  if (exit !== 0) {
    expect(human, label).not.toContain('No problems found');
    expect(markdown, label).not.toContain('No problems found');
  }
}
