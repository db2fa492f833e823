import type { ClusterResult } from './run.js';

/**
 * XML text and attribute values: the five markup characters escaped, and the characters XML 1.0
 * cannot carry at all (C0 controls other than tab and newlines, lone surrogates) replaced, since a
 * message from a server may hold anything and one bad byte makes the whole report unreadable.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * `--output junit`: one testsuite per cluster, one testcase per principal × expectation. A failure
 * carries the expected and observed values and the doctor's root cause with its docs link, which
 * is what CI systems (GitHub, GitLab, Jenkins) show next to the red test.
 */
export function renderVerifyJunit(results: readonly ClusterResult[], expectFile: string, timestamp: Date): string {
  const attrs = (pairs: Record<string, string | number>): string =>
    Object.entries(pairs)
      .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
      .join('');
  const total = results.reduce((n, c) => n + c.principals.reduce((m, p) => m + p.results.length, 0), 0);
  const failed = results.reduce(
    (n, c) => n + c.principals.reduce((m, p) => m + p.results.filter((r) => !r.pass).length, 0),
    0,
  );
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'eksauth verify', tests: total, failures: failed, errors: 0, time: seconds(results.reduce((n, c) => n + c.ms, 0)) })}>`,
  ];
  for (const cluster of results) {
    const tests = cluster.principals.reduce((m, p) => m + p.results.length, 0);
    const failures = cluster.principals.reduce((m, p) => m + p.results.filter((r) => !r.pass).length, 0);
    out.push(
      `  <testsuite${attrs({ name: `eksauth verify ${cluster.cluster}`, tests, failures, errors: 0, skipped: 0, time: seconds(cluster.ms), timestamp: timestamp.toISOString().replace(/\.\d+Z$/, '') })}>`,
      '    <properties>',
      `      <property${attrs({ name: 'cluster', value: cluster.cluster })}/>`,
      `      <property${attrs({ name: 'region', value: cluster.region })}/>`,
      `      <property${attrs({ name: 'expectations', value: expectFile })}/>`,
      '    </properties>',
    );
    for (const p of cluster.principals) {
      for (const r of p.results) {
        const head = `    <testcase${attrs({ classname: `${cluster.cluster}.${p.expectation.label}`, name: r.name, file: expectFile, line: r.position.line, time: '0' })}`;
        if (r.pass) {
          out.push(`${head}/>`);
          continue;
        }
        const cause = p.rootCause;
        const body = [
          `principal: ${p.expectation.label}${p.expectation.sessionName ? ` (session ${p.expectation.sessionName})` : ''}`,
          `cluster:   ${cluster.cluster} (${cluster.region})`,
          `expected:  ${r.name} = ${r.expected}`,
          `observed:  ${r.name} = ${r.observed}`,
          cause
            ? `root cause: ${cause.checkId}: ${cause.title}\n${cause.message}\ndocs: ${cause.docsUrl}`
            : `root cause: none: the doctor finds nothing blocking this principal (observed ${p.observation.probe}; source ${p.observation.source ?? 'none'})`,
        ].join('\n');
        out.push(
          `${head}>`,
          `      <failure${attrs({ message: `expected ${r.expected}, observed ${r.observed}${cause ? ` — root cause ${cause.checkId}` : ''}`, type: cause?.checkId ?? 'verify/mismatch' })}>${escapeXml(body)}</failure>`,
          '    </testcase>',
        );
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
