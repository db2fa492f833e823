import { code, link, renderLines, row, safeMd, type Md } from '../report/markdown-text.js';
import { authenticatorText } from './compare.js';
import type { ClusterResult } from './run.js';
import { expectationCount, failedCount } from './run.js';

/**
 * A pull-request comment: the verdict first, the mismatches with their root cause and docs link,
 * then the full matrix folded away so a green run stays one line long. Cluster names, labels and
 * values come from the expectations file and the cluster: every line is an Md, so they stay text.
 */
export function renderVerifyMarkdown(results: readonly ClusterResult[]): string {
  const total = expectationCount(results);
  const failed = failedCount(results);
  const blank = safeMd``;
  const out: Md[] = [
    failed === 0
      ? safeMd`## ✅ eksauth verify: all ${total} expectations hold`
      : safeMd`## ❌ eksauth verify: ${failed} of ${total} expectations do not hold`,
    blank,
  ];
  const mismatching = results.flatMap((c) =>
    c.principals.filter((p) => p.results.some((r) => !r.pass)).map((p) => ({ cluster: c, p })),
  );
  if (mismatching.length > 0) {
    out.push(
      safeMd`| cluster | principal | expectation | expected | observed | root cause |`,
      safeMd`|---|---|---|---|---|---|`,
    );
    for (const { cluster, p } of mismatching) {
      const cause = p.rootCause ? link(code(p.rootCause.checkId), p.rootCause.docsUrl) : 'none found';
      for (const r of p.results.filter((x) => !x.pass))
        out.push(row([cluster.cluster, code(p.expectation.label), r.name, r.expected, r.observed, cause]));
    }
    out.push(blank);
    for (const { cluster, p } of mismatching)
      if (p.rootCause)
        out.push(safeMd`**${code(p.expectation.label)}** on ${cluster.cluster}: ${p.rootCause.message}`, blank);
  }
  for (const c of results) {
    if (c.environmentFailure)
      out.push(safeMd`> ⚠️ ${c.cluster}: the operator's credentials do not work: ${c.environmentFailure}`, blank);
    out.push(
      safeMd`<details>`,
      safeMd`<summary>${c.cluster} (${c.region}): ${c.principals.length} principals</summary>`,
      blank,
      safeMd`| principal | expectation | expected | observed | |`,
      safeMd`|---|---|---|---|---|`,
    );
    for (const p of c.principals) {
      for (const r of p.results)
        out.push(row([code(p.expectation.label), r.name, r.expected, r.observed, r.pass ? '✅' : '❌']));
      if (p.observation.authenticator)
        out.push(
          row([code(p.expectation.label), 'authenticator log', '', authenticatorText(p.observation.authenticator), '']),
        );
    }
    out.push(blank, safeMd`</details>`, blank);
  }
  return renderLines(out);
}
