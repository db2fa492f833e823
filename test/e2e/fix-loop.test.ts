import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import { renderReport } from '../../src/report/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { listShippedScenarios, loadScenario } from '../../src/sandbox/scenario/load.js';
import type { Scenario } from '../../src/sandbox/scenario/types.js';
import { BIN } from '../helpers/cli.js';
import { hasTool, kube, tokenFor, type Run } from '../sandbox/helpers.js';

/**
 * The fix loop (issue 12, item 3): for every shipped scenario whose principal is blocked, start its
 * sandbox, run `eksauth doctor --output json` as that principal, run the kubectl and aws CLI commands
 * of the root cause's fix (their argv from `fix.steps[]`, never re-parsed text) with the real
 * kubectl and aws CLI as an identity that may write, then run doctor again. The principal must now
 * be served (`--can` flips to allowed), the root cause must be gone, and no new error may appear.
 * Scenarios that cannot be proven so are listed with the reason, and the test checks the reason
 * still holds, so the list cannot go stale.
 */

const TOOLS = hasTool('aws') && hasTool('kubectl', ['version', '--client']);

interface FixCommand {
  argv: string[];
  stdin?: string;
  stdoutFile?: string;
  withheld?: string;
}
interface RenderedDialect {
  text: string;
  commands?: FixCommand[];
}
interface Step {
  title: string;
  identity?: string;
  kubectl?: RenderedDialect;
  aws?: RenderedDialect;
}
interface Finding {
  checkId: string;
  severity: string;
  stage?: string;
  fix?: { steps?: Step[] };
}
interface Report {
  rootCause: string | null;
  observed?: { status?: number };
  access?: { request: string; allowed: boolean | null }[];
  findings: Finding[];
  logs?: { authenticator: { state: string; awsAuthLoad?: { outcome: string; agreement: string } } };
}

type Before = { report: Report; root: Finding | undefined; steps: Step[] };

/** Why a blocked scenario's fix cannot be proven by running kubectl and aws here; `holds` says whether it still is so. */
interface Unprovable {
  reason: string;
  /** undefined when the reason still holds, else what changed (the entry must then go). */
  holds: (before: Before) => string | undefined;
}

const runnable = (d: RenderedDialect | undefined): FixCommand[] => d?.commands ?? [];
/** Whether a command changes AWS or the cluster (a read such as `aws eks describe-cluster` proves nothing). */
const writes = ({ argv: [program, sub = '', verb = ''] }: FixCommand): boolean =>
  program === 'kubectl'
    ? /^(create|apply|replace|patch|edit|delete|set|label|annotate)$/.test(sub)
    : program === 'aws' &&
      verb !== 'update-kubeconfig' &&
      /^(create|update|associate|delete|disassociate|put|attach|tag)-/.test(verb);
/** `kubectl edit` opens an editor: a person can run it, this loop cannot. */
const interactive = ({ argv }: FixCommand): boolean => argv[0] === 'kubectl' && argv[1] === 'edit';
const writesOf = (b: Before): FixCommand[] =>
  b.steps.flatMap((s) => [...runnable(s.kubectl), ...runnable(s.aws)]).filter(writes);
const noRunnableFix = (b: Before): string | undefined =>
  writesOf(b).length > 0
    ? `the fix of ${b.report.rootCause ?? '(none)'} now changes something with kubectl or aws: prove it instead of listing it`
    : undefined;
/** Writes the sandbox does not serve (IAM, endpoint access): `match` says which ones are expected. */
const unservedWrites =
  (match: RegExp) =>
  (b: Before): string | undefined => {
    const writesNow = writesOf(b);
    if (writesNow.length === 0) return `the fix of ${b.report.rootCause ?? '(none)'} no longer writes anything`;
    const other = writesNow.find((c) => !match.test(c.argv.join(' ')));
    return other ? `the fix now also runs \`${other.argv.join(' ')}\`: prove it instead of listing it` : undefined;
  };
/** A fetch–edit–replace: the file `kubectl replace` sends is the one fetched, edited by a person in between. */
const handEdit = (b: Before): string | undefined =>
  b.steps.some((s) => {
    const kubectl = runnable(s.kubectl);
    const fetched = kubectl.find((c) => c.stdoutFile !== undefined)?.stdoutFile;
    return fetched !== undefined && kubectl.some((c) => c.argv[1] === 'replace' && c.argv.includes(fetched));
  })
    ? undefined
    : `the fix of ${b.report.rootCause ?? '(none)'} no longer asks for a hand edit: prove it instead of listing it`;

/** What can be known is restored by an exact change; what only the owners know stays a hand edit. */
const exactThenHandEdit = (b: Before): string | undefined => {
  const exact = b.steps.some((s) => {
    const kubectl = runnable(s.kubectl);
    return kubectl.some(writes) && !kubectl.some((c) => c.stdoutFile !== undefined || interactive(c));
  });
  if (!exact) return `the fix of ${b.report.rootCause ?? '(none)'} no longer restores anything exactly`;
  return handEdit(b);
};

/** Client-side or network stories: the cure is on the caller's machine or network, not in AWS or the cluster. */
const clientSide = (what: string): Unprovable => ({
  reason: `${what}: nothing kubectl or the aws CLI can change`,
  holds: noRunnableFix,
});

export const UNPROVABLE: Record<string, Unprovable> = {
  'cluster--not-found': clientSide('the cluster is in another region; the fix is the caller’s --region'),
  'cluster--not-active': clientSide('the cluster is not ACTIVE; only time (or AWS) fixes it'),
  'network--tls-untrusted': clientSide('the caller does not trust the served certificate'),
  'identity--credentials-expired': clientSide('the caller’s credentials expired; they log in again'),
  'token--clock-skew': clientSide('the caller’s clock is wrong'),
  'network--endpoint-unreachable': {
    reason:
      'the fix opens the public endpoint (UpdateClusterConfig resourcesVpcConfig): the sandbox serves loopback only',
    holds: unservedWrites(/^aws eks update-cluster-config .*--resources-vpc-config/),
  },
  'identity--assume-role-denied': {
    reason: 'the fix edits an IAM trust policy from a file the reader writes; the sandbox IAM is read-only',
    holds: unservedWrites(/^aws iam update-assume-role-policy /),
  },
  'aws-auth--missing-or-replaced': {
    reason:
      'the node rows come back by an exact patch (from the node groups’ roles), but the refused principal’s own row was lost with the rest and no evidence holds its username and groups: that step is a merge from the last good copy, by hand',
    holds: exactThenHandEdit,
  },
};

/**
 * Scenarios whose fix is proven to let the principal in, while what it may do once in only its
 * owners know: the loop runs in full and the principal must be served, and the new errors after the
 * fix must be exactly these (so the entry goes the moment they no longer appear).
 */
export const AUTHENTICATES_ONLY: Record<string, { reason: string; newErrors: string[] }> = {
  'aws-auth--human-role-as-node': {
    reason:
      'the CI role’s row gets its own username and loses the node groups, so it authenticates; no evidence says which groups it needs, so RBAC denies it everything until its owners bind one',
    newErrors: ['rbac/forbidden'],
  },
  'aws-auth--map-accounts-shape': {
    reason:
      'the exact patch restores mapAccounts, which authenticates the account’s principals with no groups, so the partner gets in and then 403 Forbidden: what it may do is an RBAC binding for its ARN username that only the cluster owner can choose',
    newErrors: ['rbac/forbidden'],
  },
};

/**
 * Scenarios whose fix is known to be wrong (the loop fails) and whose owner is fixing it: run with
 * `test.fails`, so the entry must go the moment the fix works.
 */
export const KNOWN_WRONG: Record<string, string> = {};

function isBlocked(scenario: Scenario): boolean {
  const { whoami, probe, rootCause } = scenario.expect;
  if (whoami === 401 || whoami === 403) return true;
  if (probe && (probe.status === 401 || probe.status === 403)) return true;
  return rootCause !== undefined && whoami === undefined;
}

const scenarios = listShippedScenarios()
  .map((name) => loadScenario(name))
  .filter(isBlocked);

const home = mkdtempSync(join(tmpdir(), 'eksauth-fix-loop-'));
const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  rmSync(home, { recursive: true, force: true });
});

/** At most three sandboxes with their kubectl and aws processes at once: two cores are shared. */
const POOL = 3;
let active = 0;
const waiting: (() => void)[] = [];
async function pooled<T>(work: () => Promise<T>): Promise<T> {
  if (active >= POOL) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await work();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

function isolatedEnv(sandbox: Sandbox, principal: string, dir: string): Record<string, string> {
  return {
    ...sandbox.envFor(principal),
    HOME: dir,
    KUBECONFIG: join(dir, 'no-kubeconfig'),
    NO_COLOR: '1',
    // `kubectl edit` would wait for an editor forever; `false` makes it fail at once.
    EDITOR: 'false',
    KUBE_EDITOR: 'false',
  };
}

/** `eksauth doctor --sandbox` against this (already running, possibly already fixed) sandbox, as JSON. */
async function doctor(sandbox: Sandbox, scenario: Scenario): Promise<Report> {
  const target = sandboxTarget(scenario, {});
  if (typeof target === 'string') throw new Error(target);
  const request = sandboxRequest(sandbox, target, { timeoutMs: 10_000, now: () => new Date() });
  const collected = await collectLive(request);
  const report = buildDoctorReport(collected.evidence, request.cluster);
  return JSON.parse(renderReport(report, 'json', { color: false })) as Report;
}

/** The first other principal the cluster lets do anything: the admin (usually the creator) who applies fixes. */
async function writerOf(sandbox: Sandbox, scenario: Scenario): Promise<string | undefined> {
  for (const p of scenario.principals) {
    if (p.id === scenario.expect.principal) continue;
    const review = await kube(sandbox, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      token: tokenFor(sandbox, p.id),
      body: {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: { resourceAttributes: { verb: '*', group: '*', resource: '*' } },
      },
    });
    if (review.status === 201 && (review.json().status as { allowed?: boolean } | undefined)?.allowed) return p.id;
  }
  return undefined;
}

/** Runs one fix command with the real client; kubectl gets a kubeconfig with the writer's token. */
async function execute(sandbox: Sandbox, command: FixCommand, writer: string, dir: string): Promise<Run> {
  const [program = '', ...args] = command.argv;
  if (command.withheld) return { code: 1, stdout: '', stderr: `withheld: ${command.withheld}` };
  const env = isolatedEnv(sandbox, writer, dir);
  let argv = args;
  let executable = program;
  if (program === 'kubectl') {
    const file = join(dir, 'writer.kubeconfig');
    writeFileSync(
      file,
      sandbox.kubeconfig({ principal: writer, auth: { kind: 'token', token: tokenFor(sandbox, writer) } }),
    );
    env.KUBECONFIG = file;
  } else if (program === 'eksauth') {
    executable = process.execPath;
    argv = [BIN, ...args];
  } else if (program !== 'aws') {
    return { code: 1, stdout: '', stderr: `the loop runs kubectl, aws and eksauth only, not ${program}` };
  }
  const res = await runWithInput(executable, argv, env, command.stdin, dir);
  if (command.stdoutFile !== undefined) writeFileSync(join(dir, command.stdoutFile), res.stdout);
  return res;
}

function runWithInput(
  program: string,
  args: string[],
  env: Record<string, string>,
  stdin: string | undefined,
  cwd: string,
): Promise<Run> {
  return new Promise<Run>((resolve) => {
    const child = spawn(program, args, { env: { PATH: process.env.PATH ?? '', ...env }, cwd });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (error) => (stderr += error.message));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

const errorsOf = (report: Report): string[] =>
  report.findings.filter((f) => f.severity === 'error').map((f) => f.checkId);

/**
 * A step runs the dialect that changes something: kubectl when both do (they are alternatives), the
 * aws CLI when kubectl only reads or needs an editor.
 */
function commandsOfStep(step: Step): FixCommand[] {
  const kubectl = runnable(step.kubectl);
  const usable = kubectl.some(writes) && !kubectl.some(interactive);
  return usable || !runnable(step.aws).some(writes) ? kubectl : runnable(step.aws);
}

async function loop(scenario: Scenario): Promise<void> {
  const dir = mkdtempSync(join(home, `${scenario.name}-`));
  const sandbox = await startSandbox({ scenario });
  opened.push(sandbox);
  const report = await doctor(sandbox, scenario);
  const root = report.findings.find((f) => f.checkId === report.rootCause);
  const before: Before = { report, root, steps: root?.fix?.steps ?? [] };
  const listed = UNPROVABLE[scenario.name];
  if (listed) {
    expect(listed.holds(before), `${scenario.name} is listed as unprovable (${listed.reason})`).toBeUndefined();
    return;
  }
  expect(report.rootCause, `${scenario.name}: doctor names the story's root cause`).toBe(
    scenario.expect.rootCause ?? null,
  );
  expect(before.steps.length, `${scenario.name}: the root cause has a fix`).toBeGreaterThan(0);
  const writer = (await writerOf(sandbox, scenario)) ?? scenario.expect.principal ?? '';
  const transcript: string[] = [];
  for (const step of before.steps) {
    for (const command of commandsOfStep(step)) {
      const res = await execute(sandbox, command, writer, dir);
      transcript.push(`$ ${command.argv.join(' ')}\n${res.stdout}${res.stderr}`);
      expect(res.code, `${scenario.name}: step "${step.title}" as ${writer}\n${transcript.join('\n')}`).toBe(0);
    }
  }
  const after = await doctor(sandbox, scenario);
  const context = `${scenario.name} after the fix:\n${transcript.join('\n')}\nfindings: ${after.findings.map((f) => `${f.checkId}(${f.severity})`).join(', ')}`;
  expect(after.observed?.status, context).toBe(200);
  for (const access of after.access ?? []) expect(access, context).toMatchObject({ allowed: true });
  if (before.report.access?.length) expect(before.report.access[0]?.allowed, context).toBe(false);
  expect(after.rootCause, context).not.toBe(report.rootCause);
  const newErrors = errorsOf(after).filter((id) => !errorsOf(report).includes(id));
  expect(newErrors, context).toEqual(AUTHENTICATES_ONLY[scenario.name]?.newErrors ?? []);
  // Where the story's authenticator failed to parse aws-auth, the fix's write makes it reload
  // cleanly, and doctor reads that in EKS's own log.
  if (scenario.expect.logs?.awsAuthLoad === 'parse-error') {
    expect(after.logs?.authenticator.awsAuthLoad, context).toMatchObject({
      outcome: 'parsed',
      agreement: 'agree',
    });
  }
  const probe = scenario.expect.probe;
  if (probe?.method === 'GET') {
    const res = await kube(sandbox, 'GET', probe.path, { token: tokenFor(sandbox, scenario.expect.principal ?? '') });
    expect(res.status, `${context}\nGET ${probe.path}: ${res.body}`).toBe(200);
  }
}

describe.skipIf(!TOOLS)(
  `the fix loop: doctor's fix, run with the real kubectl and aws CLI, unblocks the principal${TOOLS ? '' : ' (skipped: kubectl or the aws CLI is not installed)'}`,
  () => {
    test('every listed scenario is a shipped, blocked scenario', () => {
      const names = new Set(scenarios.map((s) => s.name));
      expect(Object.keys(UNPROVABLE).filter((n) => !names.has(n))).toEqual([]);
    });

    test('every authenticates-only scenario is a shipped, blocked scenario that is not also listed elsewhere', () => {
      const names = new Set(scenarios.map((s) => s.name));
      expect(
        Object.keys(AUTHENTICATES_ONLY).filter((n) => !names.has(n) || n in UNPROVABLE || n in KNOWN_WRONG),
      ).toEqual([]);
    });

    test('every known-wrong scenario is a shipped, blocked scenario that is not also listed as unprovable', () => {
      const names = new Set(scenarios.map((s) => s.name));
      expect(Object.keys(KNOWN_WRONG).filter((n) => !names.has(n) || n in UNPROVABLE)).toEqual([]);
    });

    const proven = scenarios.filter((s) => !(s.name in KNOWN_WRONG));
    test.concurrent.each(proven.map((s) => [s.name, s] as const))(
      '%s',
      async (_name, scenario) => {
        await pooled(() => loop(scenario));
      },
      600_000,
    );

    const wrong = scenarios.filter((s) => s.name in KNOWN_WRONG);
    test.fails.each(wrong.map((s) => [s.name, KNOWN_WRONG[s.name] ?? ''] as const))(
      '%s still fails the loop (known wrong fix: %s)',
      async (name) => {
        await pooled(() => loop(loadScenario(name)));
      },
      600_000,
    );
  },
);
