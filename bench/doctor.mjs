#!/usr/bin/env node
// doctor against the sandbox with 100 ms added to every request of every service, concurrent and
// forced serial. A script, not a test: it prints numbers and ratios (issue 5 target: <= 1.5x the
// longest chain of dependent requests x 100 ms). Run `npm run build` first.
import { buildDoctorReport } from '../dist/src/doctor/build-report.js';
import { collectLive } from '../dist/src/doctor/collect-live.js';
import { sandboxRequest, sandboxTarget } from '../dist/src/doctor/sandbox-run.js';
import { startSandbox } from '../dist/src/sandbox/sandbox.js';
import { loadScenario } from '../dist/src/sandbox/scenario/load.js';
import { SERVICES } from '../dist/src/sandbox/scenario/types.js';

const LATENCY_MS = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SCENARIO = process.env.BENCH_SCENARIO ?? 'seed-debug-eks-unauthenticated';
// The longest chain of requests that each wait for the one before, in doctor's plan:
//   AssumeRole → GET /version → (SelfSubjectReview ‖ SelfSubjectAccessReviews)
//   DescribeCluster → ListAccessEntries → (DescribeAccessEntry ‖ ListAssociatedAccessPolicies)
//   DescribeCluster → ListNodegroups → DescribeNodegroup
//   DescribeCluster → FilterLogEvents (authenticator ‖ audit; one page each in the scenarios)
// Three round trips; everything else (CloudTrail's LookupEvents among them) overlaps with these.
const LONGEST_CHAIN = 3;

const scenario = loadScenario(SCENARIO);
// Every emulated service, CloudWatch Logs included where the sandbox has it.
const faults = SERVICES.map((service) => ({
  service,
  kind: 'latency',
  ms: LATENCY_MS,
}));
const sandbox = await startSandbox({ scenario, faults });
const target = sandboxTarget(scenario, {});
if (typeof target === 'string') throw new Error(target);

async function once(serial) {
  sandbox.requestLog.clear();
  const request = { ...sandboxRequest(sandbox, target, { timeoutMs: 10_000, now: () => new Date() }), serial };
  const started = performance.now();
  const collected = await collectLive(request);
  const ms = performance.now() - started;
  const report = buildDoctorReport(collected.evidence, request.cluster);
  const logs = collected.events.filter((e) => e.name === 'authenticator log' || e.name === 'audit log');
  return {
    ms,
    requests: sandbox.requestLog.clientCalls().length,
    logSteps: logs.map((e) => `${e.name} ${e.status}${e.detail ? ` (${e.detail})` : ''}`).join(', '),
    authenticator: report.logs?.authenticator.state ?? 'none',
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
try {
  // @kubernetes/client-node is imported lazily, once per process, before doctor's first step
  // (src/collect/kube-client.ts loadKubeLibrary): its cost is paid by every CLI run, not by these
  // warm runs, so it is reported apart, as a ratio to a warm run.
  const loadStarted = performance.now();
  await import('@kubernetes/client-node');
  const libraryMs = performance.now() - loadStarted;
  await once(false); // warm-up: module loading and TLS session set-up are not what we measure
  const concurrent = [];
  const serial = [];
  for (let i = 0; i < RUNS; i++) {
    concurrent.push(await once(false));
    serial.push(await once(true));
  }
  const floor = LONGEST_CHAIN * LATENCY_MS;
  const c = median(concurrent.map((r) => r.ms));
  const s = median(serial.map((r) => r.ms));
  console.log(
    `scenario ${SCENARIO}, ${LATENCY_MS} ms added to every request (${SERVICES.join(', ')}), median of ${RUNS}`,
  );
  console.log(`log steps: ${concurrent[0].logSteps || 'none'}; authenticator log ${concurrent[0].authenticator}`);
  console.log(
    `concurrent: ${c.toFixed(0)} ms, ${concurrent[0].requests} requests; ratio to the longest chain (${LONGEST_CHAIN} x ${LATENCY_MS} ms = ${floor} ms): ${(c / floor).toFixed(2)} (target <= 1.5)`,
  );
  console.log(
    `@kubernetes/client-node load (once per process, before the first step): ${libraryMs.toFixed(0)} ms; ratio to a warm concurrent run: ${(libraryMs / c).toFixed(2)}`,
  );
  console.log(
    `serial:     ${s.toFixed(0)} ms, ${serial[0].requests} requests; ratio: ${(s / floor).toFixed(2)}; concurrency gains ${(s / c).toFixed(1)}x`,
  );
} finally {
  await sandbox.close();
}
