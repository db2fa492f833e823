import type { ClusterResult } from './run.js';
import { expectationCount, failedCount } from './run.js';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ').replaceAll('`', "'");

/**
 * A pull-request comment: the verdict first, the mismatches with their root cause and docs link,
 * then the full matrix folded away so a green run stays one line long.
 */
export function renderVerifyMarkdown(results: readonly ClusterResult[]): string {
  const total = expectationCount(results);
  const failed = failedCount(results);
  const out = [
    failed === 0
      ? `## ✅ eksauth verify: all ${total} expectations hold`
      : `## ❌ eksauth verify: ${failed} of ${total} expectations do not hold`,
    '',
  ];
  const mismatching = results.flatMap((c) =>
    c.principals.filter((p) => p.results.some((r) => !r.pass)).map((p) => ({ cluster: c, p })),
  );
  if (mismatching.length > 0) {
    out.push('| cluster | principal | expectation | expected | observed | root cause |', '|---|---|---|---|---|---|');
    for (const { cluster, p } of mismatching)
      for (const r of p.results.filter((x) => !x.pass))
        out.push(
          `| ${cell(cluster.cluster)} | \`${cell(p.expectation.label)}\` | ${cell(r.name)} | ${cell(r.expected)} | ${cell(r.observed)} | ${p.rootCause ? `[\`${p.rootCause.checkId}\`](${p.rootCause.docsUrl})` : 'none found'} |`,
        );
    out.push('');
    for (const { cluster, p } of mismatching)
      if (p.rootCause)
        out.push(`**\`${cell(p.expectation.label)}\`** on ${cell(cluster.cluster)}: ${cell(p.rootCause.message)}`, '');
  }
  for (const c of results) {
    if (c.environmentFailure)
      out.push(`> ⚠️ ${cell(c.cluster)}: the operator's credentials do not work: ${cell(c.environmentFailure)}`, '');
    out.push(
      '<details>',
      `<summary>${cell(c.cluster)} (${cell(c.region)}): ${c.principals.length} principals</summary>`,
      '',
      '| principal | expectation | expected | observed | |',
      '|---|---|---|---|---|',
    );
    for (const p of c.principals)
      for (const r of p.results)
        out.push(
          `| \`${cell(p.expectation.label)}\` | ${cell(r.name)} | ${cell(r.expected)} | ${cell(r.observed)} | ${r.pass ? '✅' : '❌'} |`,
        );
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
