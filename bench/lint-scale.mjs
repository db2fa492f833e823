#!/usr/bin/env node
// Whole-process timings of `eksauth lint` and `eksauth explain` on generated aws-auth ConfigMaps of
// 1,000, 10,000 and 50,000 mapRoles rows. A script, not a test: it prints numbers and ratios.
// Targets (issue 2): 50k/10k ratio <= 6 (linear, no quadratic duplicate search); 10k rows < 1 s.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../bin/eksauth.js', import.meta.url).pathname;
const SIZES = [1_000, 10_000, 50_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'eksauth-bench-'));

function configMap(rows) {
  const lines = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: aws-auth',
    '  namespace: kube-system',
    'data:',
    '  mapRoles: |',
  ];
  for (let i = 0; i < rows; i++) {
    // A duplicate every 97 rows and a path every 101 keep the checks busy without dominating.
    const name = i % 97 === 0 && i > 0 ? `role-${i - 1}` : `role-${i}`;
    const path = i % 101 === 0 ? 'team/' : '';
    lines.push(
      `    - rolearn: arn:aws:iam::111122223333:role/${path}${name}`,
      `      username: user-${i}:{{SessionName}}`,
      '      groups:',
      '        - developers',
    );
  }
  return `${lines.join('\n')}\n`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(args) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [BIN, ...args, '--output', 'json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0 && result.status !== 1)
      throw new Error(`eksauth ${args[0]} exited ${result.status}: ${result.stderr}`);
  }
  return median(samples);
}

const baseline = median(
  Array.from({ length: RUNS }, () => {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    return Number(process.hrtime.bigint() - started) / 1e6;
  }),
);

const results = {};
try {
  for (const rows of SIZES) {
    const file = join(dir, `aws-auth-${rows}.yaml`);
    writeFileSync(file, configMap(rows));
    results[rows] = {
      lint: time(['lint', file]),
      explain: time([
        'explain',
        '--principal',
        'arn:aws:sts::111122223333:assumed-role/role-4242/s',
        '--aws-auth',
        file,
      ]),
    };
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`node -e 0: ${baseline.toFixed(0)} ms (median of ${RUNS})`);
console.log('rows      lint ms   explain ms');
for (const rows of SIZES)
  console.log(
    `${String(rows).padEnd(8)}  ${results[rows].lint.toFixed(0).padStart(7)}   ${results[rows].explain.toFixed(0).padStart(10)}`,
  );
for (const command of ['lint', 'explain']) {
  const ratio = results[50_000][command] / results[10_000][command];
  console.log(
    `${command}: 50k/10k = ${ratio.toFixed(2)} (target <= 6), 10k = ${results[10_000][command].toFixed(0)} ms (target < 1000)`,
  );
}
