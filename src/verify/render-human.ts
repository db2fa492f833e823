import { makeStyle } from '../report/style.js';
import type { ClusterResult } from './run.js';
import { expectationCount, failedCount } from './run.js';
import { authenticatorText } from './compare.js';

/**
 * The matrix for people: per cluster, per principal, one line per expectation with ✓ or ✗ and the
 * observed value; a principal with a mismatch ends with the doctor's root cause and its docs link.
 */
export function renderVerifyHuman(results: readonly ClusterResult[], options: { color: boolean }): string {
  const s = makeStyle(options.color);
  const out: string[] = [];
  for (const cluster of results) {
    const failures = cluster.principals.filter((p) => p.results.some((r) => !r.pass)).length;
    out.push(
      s.bold(`Cluster ${cluster.cluster} (${cluster.region})`) +
        s.dim(`  ${cluster.principals.length} principals, ${failures} with a mismatch, ${cluster.ms} ms`),
    );
    if (cluster.environmentFailure)
      out.push(s.red(`  the operator's credentials do not work: ${cluster.environmentFailure}`));
    const width = Math.max(14, ...cluster.principals.flatMap((p) => p.results.map((r) => r.name.length)));
    for (const p of cluster.principals) {
      const ok = p.results.every((r) => r.pass);
      out.push(
        '',
        `  ${ok ? s.green('✓') : s.red('✗')} ${s.bold(p.expectation.label)}${p.expectation.sessionName ? s.dim(` (session ${p.expectation.sessionName})`) : ''}`,
      );
      if (p.observation.authenticator)
        out.push(`      ${s.dim('authenticator log')}  ${authenticatorText(p.observation.authenticator)}`);
      for (const r of p.results) {
        const cell = r.name.padEnd(width);
        out.push(
          r.pass
            ? `      ${s.green('✓')} ${cell}  ${r.observed}`
            : `      ${s.red('✗')} ${cell}  expected ${r.expected}, observed ${s.red(r.observed)}`,
        );
      }
      if (!ok) {
        const cause = p.rootCause;
        out.push(
          cause
            ? `      ${s.bold('root cause')} ${s.bold(cause.checkId)}: ${cause.title}\n        ${cause.message}\n        ${s.dim(cause.docsUrl)}`
            : `      ${s.bold('root cause')} none: the doctor finds nothing blocking this principal (${p.observation.probe})`,
        );
      }
    }
    out.push('');
  }
  const total = expectationCount(results);
  const failed = failedCount(results);
  out.push(
    failed === 0
      ? s.green(`All ${total} expectations hold.`)
      : s.red(`${failed} of ${total} expectations do not hold.`),
  );
  return `${out.join('\n')}\n`;
}
