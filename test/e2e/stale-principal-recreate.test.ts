import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import { renderReport } from '../../src/report/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { parseScenario } from '../../src/sandbox/scenario/load.js';
import type { Scenario } from '../../src/sandbox/scenario/types.js';
import { hasTool, run, whoami } from '../sandbox/helpers.js';

/**
 * access-entry/stale-principal recreates the entry of a re-created principal: its aws CLI fix, run
 * with the real aws CLI against the sandbox's EKS, must give back the entry EKS held, with the
 * same type (never STANDARD for a node type), username, groups and every access-policy
 * association in its exact scope (a namespace scope stays one). The scenario the fix loop runs
 * (access-entry--stale-principal) has one cluster-wide policy only; these cover the rest.
 */

const TOOLS = hasTool('aws');

const ACCOUNT = '111122223333';
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const EDIT = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy';

const scenarioFor = (principal: string, entry: string): Scenario =>
  parseScenario(
    `name: stale-principal-recreate
description: A re-created principal whose access entry must come back as it was.
expect:
  rootCause: access-entry/stale-principal
  principal: ${principal}
  whoami: 401
accounts:
  - id: "${ACCOUNT}"
principals:
  - { id: admin, type: role, name: platform-admin, sessionName: alice }
  - { id: ${principal}, type: role, name: ${principal}, sessionName: run-1, createDate: -2d }
clusters:
  - name: orders
    createdAt: -40d
    authenticationMode: API
    bootstrapClusterCreatorAdminPermissions: true
    creator: { principal: admin }
    accessEntries:
      - principal: ${principal}
        createdAt: -30d
        principalUniqueId: AROAOLDROLEIDOLDROLEI
${entry}
`,
    'stale-principal-recreate.test.ts',
  );

const CASES: [string, string, string][] = [
  [
    'a STANDARD entry with a username, groups, a cluster-wide and a namespaced policy',
    'deployer',
    `        username: deployer
        kubernetesGroups: [deployers]
        policies:
          - { policy: AmazonEKSViewPolicy }
          - { policy: AmazonEKSEditPolicy, namespaces: [apps, jobs] }`,
  ],
  ['a HYBRID_LINUX node entry', 'hybrid-node', '        type: HYBRID_LINUX'],
  ['a HYPERPOD_LINUX node entry', 'hyperpod-node', '        type: HYPERPOD_LINUX'],
];

interface FixCommand {
  argv: string[];
}
interface Finding {
  checkId: string;
  fix?: { steps?: { aws?: { commands?: FixCommand[] } }[] };
}

const home = mkdtempSync(join(tmpdir(), 'eksauth-stale-recreate-'));
const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  rmSync(home, { recursive: true, force: true });
});

async function doctor(sandbox: Sandbox, scenario: Scenario): Promise<Finding[]> {
  const target = sandboxTarget(scenario, {});
  if (typeof target === 'string') throw new Error(target);
  const request = sandboxRequest(sandbox, target, { timeoutMs: 10_000, now: () => new Date() });
  const collected = await collectLive(request);
  const report = buildDoctorReport(collected.evidence, request.cluster);
  return (JSON.parse(renderReport(report, 'json', { color: false })) as { findings: Finding[] }).findings;
}

/** The entry and its associations as EKS describes them, through the real aws CLI. */
async function described(sandbox: Sandbox, env: Record<string, string>, principalArn: string) {
  const target = ['--cluster-name', 'orders', '--principal-arn', principalArn, '--output', 'json'];
  const entry = await run('aws', ['eks', 'describe-access-entry', ...target], env, 120_000);
  const policies = await run('aws', ['eks', 'list-associated-access-policies', ...target], env, 120_000);
  expect(entry.code, entry.stderr).toBe(0);
  expect(policies.code, policies.stderr).toBe(0);
  const e = (JSON.parse(entry.stdout) as { accessEntry: Record<string, unknown> }).accessEntry;
  const p = JSON.parse(policies.stdout) as {
    associatedAccessPolicies: { policyArn: string; accessScope: { type: string; namespaces?: string[] } }[];
  };
  return {
    type: e.type,
    username: e.username,
    kubernetesGroups: e.kubernetesGroups,
    policies: p.associatedAccessPolicies
      .map((a) => ({ policyArn: a.policyArn, type: a.accessScope.type, namespaces: a.accessScope.namespaces ?? [] }))
      .sort((a, b) => a.policyArn.localeCompare(b.policyArn)),
  };
}

describe.skipIf(!TOOLS)(
  `access-entry/stale-principal: the printed aws CLI fix recreates the entry as it was${TOOLS ? '' : ' (skipped: the aws CLI is not installed)'}`,
  () => {
    test.concurrent.each(CASES)(
      '%s',
      async (_name, principal, entry) => {
        const scenario = scenarioFor(principal, entry);
        const sandbox = await startSandbox({ scenario });
        opened.push(sandbox);
        const arn = `arn:aws:iam::${ACCOUNT}:role/${principal}`;
        const dir = mkdtempSync(join(home, `${principal}-`));
        const env = { ...sandbox.envFor('admin'), HOME: dir, AWS_CONFIG_FILE: join(dir, 'none'), NO_COLOR: '1' };
        const before = await described(sandbox, env, arn);
        if (principal === 'deployer') {
          expect(before.policies).toEqual([
            { policyArn: EDIT, type: 'namespace', namespaces: ['apps', 'jobs'] },
            { policyArn: VIEW, type: 'cluster', namespaces: [] },
          ]);
          expect((await whoami(sandbox, principal)).status).toBe(401);
        }
        const findings = await doctor(sandbox, scenario);
        const stale = findings.find((f) => f.checkId === 'access-entry/stale-principal');
        const commands = (stale?.fix?.steps ?? []).flatMap((s) => s.aws?.commands ?? []);
        expect(commands.map((c) => c.argv.slice(0, 3).join(' '))).toEqual([
          'aws eks delete-access-entry',
          'aws eks create-access-entry',
          ...before.policies.map(() => 'aws eks associate-access-policy'),
        ]);
        const transcript: string[] = [];
        for (const { argv } of commands) {
          const res = await run('aws', argv.slice(1), env, 120_000);
          transcript.push(`$ ${argv.join(' ')}\n${res.stdout}${res.stderr}`);
          expect(res.code, transcript.join('\n')).toBe(0);
        }
        const after = await described(sandbox, env, arn);
        expect(after, transcript.join('\n')).toEqual(before);
        if (principal === 'deployer') expect((await whoami(sandbox, principal)).status).toBe(201);
      },
      600_000,
    );
  },
);
