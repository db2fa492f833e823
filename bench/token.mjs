#!/usr/bin/env node
// Whole-process start-to-exit times of `eksauth token` against `aws eks get-token` and a bare
// `node -e 0`, with static credentials in the environment (what kubectl's exec plugin sees in CI).
// Usage: npm run build && node bench/token.mjs [runs]   (prints medians and the issue-3 targets)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin/eksauth.js');
const runs = Number(process.argv[2] ?? 21);
const home = mkdtempSync(join(tmpdir(), 'eksauth-bench-'));
const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CACHE_HOME: join(home, 'cache'),
  AWS_CONFIG_FILE: join(home, 'none'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
  AWS_DEFAULT_REGION: 'us-west-2',
  // AWS's documented example keys: minting is offline.
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** One start-to-exit run, in milliseconds. */
function once(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

const commands = {
  node: [process.execPath, ['-e', '0']],
  noCache: [process.execPath, [bin, 'token', '--cluster', 'bench', '--no-cache']],
  cacheHit: [process.execPath, [bin, 'token', '--cluster', 'bench']],
};
const awsVersion = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const awsRuns = Math.max(5, Math.round(runs / 3));
if (awsVersion.status === 0) commands.aws = ['aws', ['eks', 'get-token', '--cluster-name', 'bench']];
// The single executable (npm run build:sea), measured when it has been built.
const sea = join(root, 'dist/sea/eksauth');
if (existsSync(sea)) commands.sea = [sea, ['token', '--cluster', 'bench', '--no-cache']];

// Interleaved rounds, so a burst of load elsewhere on the machine hits every command alike; the
// first two rounds warm the file-system cache (and fill the token cache) and are not counted.
const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let round = 0; round < runs + 2; round++) {
  for (const [name, [command, args]] of Object.entries(commands)) {
    if (name === 'aws' && round >= awsRuns + 2) continue;
    const ms = once(command, args);
    if (round >= 2) samples[name].push(ms);
  }
}
rmSync(home, { recursive: true, force: true });
const node = median(samples.node);
const noCache = median(samples.noCache);
const cacheHit = median(samples.cacheHit);
const aws = samples.aws ? median(samples.aws) : undefined;
const seaMs = samples.sea ? median(samples.sea) : undefined;

const fmt = (ms) => `${ms.toFixed(1).padStart(7)} ms`;
const rows = [
  ['node -e 0', node],
  ['eksauth token --no-cache', noCache],
  ['eksauth token (cache hit)', cacheHit],
  ...(seaMs === undefined ? [] : [['single executable --no-cache', seaMs]]),
  ...(aws === undefined ? [] : [['aws eks get-token', aws]]),
];
console.log(
  `medians of ${runs} interleaved runs (aws: ${awsRuns}), node ${process.version}, load ${loadavg()[0].toFixed(1)}`,
);
for (const [name, ms] of rows) console.log(`  ${name.padEnd(28)}${fmt(ms)}   ${(ms / node).toFixed(2)}× node`);
const targets = [
  ['no-cache ≤ 1.5× node -e 0', noCache / node, 1.5],
  ['cache hit ≤ 1.3× node -e 0', cacheHit / node, 1.3],
  ...(aws === undefined ? [] : [['no-cache ≤ 0.2× aws eks get-token', noCache / aws, 0.2]]),
];
console.log('targets (issue 3):');
for (const [name, ratio, limit] of targets)
  console.log(`  ${ratio <= limit ? 'PASS' : 'FAIL'}  ${name}: ${ratio.toFixed(2)}`);
if (aws === undefined) console.log('  (aws CLI not found: its comparison was not run)');
if (seaMs === undefined)
  console.log('  (dist/sea/eksauth not built: npm run build:sea to measure the single executable)');
