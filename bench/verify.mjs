#!/usr/bin/env node
// Wall time of `verify` with 50 principals on one cluster against one principal's doctor run,
// both against the sandbox with 100 ms added to every request of every service (STS, EKS, IAM,
// CloudTrail and the Kubernetes API, token replays included). Target (issue 6): ≤ 3×.
// Usage: npm run build && node bench/verify.mjs [principals=50] [concurrency=16] [rounds=3]
import { performance } from 'node:perf_hooks';
import { dropSdkNodeVersionWarning } from '../dist/src/cli/quiet-warnings.js';
import { collectLive } from '../dist/src/doctor/collect-live.js';
import { awsContextFor } from '../dist/src/doctor/live-context.js';
import { sandboxEnv, sandboxRequest } from '../dist/src/doctor/sandbox-run.js';
import { parseFaultFlag } from '../dist/src/sandbox/fault-flags.js';
import { startSandbox } from '../dist/src/sandbox/sandbox.js';
import { parseScenario } from '../dist/src/sandbox/scenario/load.js';
import { verifyCluster } from '../dist/src/verify/run.js';
import { sandboxResolver } from '../dist/src/verify/targets.js';

dropSdkNodeVersionWarning();
const count = Number(process.argv[2] ?? 50);
const concurrency = Number(process.argv[3] ?? 16);
const rounds = Number(process.argv[4] ?? 3);
const LATENCY_MS = 100;

// Half the roles come from access entries, half from aws-auth rows: both paths are exercised.
const roles = Array.from({ length: count }, (_, i) => `team-${String(i).padStart(2, '0')}`);
const scenarioText = `
name: bench-verify
accounts: [{ id: "111122223333" }]
principals:
  - { id: admin, type: role, name: platform-admin, sessionName: alice }
${roles.map((r) => `  - { id: ${r}, type: role, name: ${r}, sessionName: ci, trust: ["111122223333"] }`).join('\n')}
clusters:
  - name: bench
    region: us-east-1
    authenticationMode: API_AND_CONFIG_MAP
    bootstrapClusterCreatorAdminPermissions: true
    creator: { principal: admin }
    awsAuth:
      mapRoles: |
${roles
  .filter((_, i) => i % 2 === 1)
  .map(
    (r) =>
      `        - rolearn: arn:aws:iam::111122223333:role/${r}\n          username: ${r}:{{SessionName}}\n          groups: [view-all]`,
  )
  .join('\n')}
    accessEntries:
${roles
  .filter((_, i) => i % 2 === 0)
  .map((r) => `      - { principal: ${r}, kubernetesGroups: [view-all] }`)
  .join('\n')}
`;
const scenario = parseScenario(scenarioText, 'bench-verify.yaml');
const faults = ['sts', 'eks', 'iam', 'cloudtrail', 'kube'].map((s) =>
  parseFaultFlag(`${s}:latency=${LATENCY_MS}`, scenario),
);

const expectations = roles.map((r, i) => ({
  arn: `arn:aws:iam::111122223333:role/${r}`,
  label: `arn:aws:iam::111122223333:role/${r}`,
  authenticated: true,
  source: i % 2 === 0 ? 'access-entry' : 'aws-auth',
  groups: ['view-all'],
  can: [{ verb: 'get', resource: 'pods', namespace: 'default', allowed: false, position: { line: 1, column: 1 } }],
  position: { line: 1, column: 1 },
}));

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const doctorMs = [];
const verifyMs = [];
let failed = 0;
for (let round = 0; round < rounds; round++) {
  // A fresh sandbox per measurement, so neither run profits from the other's warm sockets.
  {
    const sandbox = await startSandbox({ scenario, faults });
    const request = sandboxRequest(
      sandbox,
      { cluster: 'bench', region: 'us-east-1', operator: 'admin', roleArn: expectations[0].arn, sessionName: 'ci' },
      { timeoutMs: 10_000, now: () => new Date() },
    );
    const { ms, value } = await timed(() => collectLive(request));
    if (value.evidence.probe?.status !== 200)
      throw new Error(`doctor baseline did not authenticate: ${JSON.stringify(value.evidence.probe)}`);
    doctorMs.push(ms);
    await sandbox.close();
  }
  {
    const sandbox = await startSandbox({ scenario, faults });
    const context = await awsContextFor({ env: sandboxEnv(sandbox, 'admin'), region: 'us-east-1', timeoutMs: 10_000 });
    const { ms, value } = await timed(() =>
      verifyCluster({
        context,
        cluster: 'bench',
        principals: expectations,
        resolve: sandboxResolver(sandbox, 'admin'),
        concurrency,
        now: () => new Date(),
      }),
    );
    failed = value.principals.reduce((n, p) => n + p.results.filter((r) => !r.pass).length, 0);
    verifyMs.push(ms);
    await sandbox.close();
  }
}
const doctor = median(doctorMs);
const verify = median(verifyMs);
const ratio = verify / doctor;
console.log(
  `latency added: ${LATENCY_MS} ms on every request; ${count} principals, concurrency ${concurrency}, ${rounds} rounds (median)`,
);
console.log(`doctor, 1 principal:   ${doctor.toFixed(0)} ms   (runs: ${doctorMs.map((m) => m.toFixed(0)).join(', ')})`);
console.log(
  `verify, ${count} principals: ${verify.toFixed(0)} ms   (runs: ${verifyMs.map((m) => m.toFixed(0)).join(', ')})`,
);
console.log(
  `ratio: ${ratio.toFixed(2)}× (target ≤ 3×) ${ratio <= 3 ? 'OK' : 'OVER TARGET'}; mismatches in the last run: ${failed}`,
);
process.exitCode = ratio <= 3 && failed === 0 ? 0 : 1;
