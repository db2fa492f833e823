import type { Evidence } from '../model/evidence.js';
import { simulate, type Simulation } from '../model/simulate.js';
import { planFix } from './fix-plan.js';
import { combineAwsAuthPatches } from './fix-plan-aws-auth.js';
import { pickRootCause, runChecks } from './run-checks.js';
import { SCHEMA_VERSION, type Report } from './report.js';
import type { Check, Finding } from './types.js';
import { decideVerdict, type Gap } from './verdict.js';

/** How to supply, offline, a source the simulation needed (explain's flags). */
const OFFLINE_HOW: Record<Simulation['unread'][number], { what: string; how: string }> = {
  cluster: {
    what: 'the authentication mode',
    how: 'pass --mode, or --cluster-info with the output of `aws eks describe-cluster --name CLUSTER`',
  },
  accessEntries: {
    what: 'the access entries',
    how: 'pass --access-entries with the output of `aws eks list-access-entries` / `describe-access-entry`',
  },
  awsAuth: {
    what: 'the aws-auth ConfigMap',
    how: 'pass --aws-auth with the output of `kubectl get configmap aws-auth -n kube-system -o yaml`',
  },
};

/** What the simulation could not read, why, and how to supply it; `how` overrides the offline advice. */
export function simulationGaps(
  evidence: Evidence,
  simulation: Simulation | undefined,
  how: Partial<Record<Simulation['unread'][number], string>> = {},
): Gap[] {
  return (simulation?.unread ?? []).map((source) => ({
    what: OFFLINE_HOW[source].what,
    why: evidence.unavailable?.[source] ?? 'not given',
    how: how[source] ?? OFFLINE_HOW[source].how,
  }));
}

/** Evidence in, report and simulation out: the shared core of `lint`, `explain` and `doctor`. Pure. */
export function diagnoseWithSimulation(
  command: string,
  evidence: Evidence,
  checks: readonly Check[],
): { report: Report; simulation: Simulation | undefined } {
  const simulation = evidence.principal ? simulate(evidence.principal, evidence) : undefined;
  const { findings, skipped } = runChecks(checks, { evidence, ...(simulation ? { simulation } : {}) });
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    command,
    rootCause: pickRootCause(findings, simulation !== undefined),
    findings,
    skipped,
  };
  if (simulation) {
    report.principal = { input: simulation.principal.input, canonicalArn: simulation.principal.canonicalArn };
    report.decision = simulation.decision;
    report.steps = simulation.steps;
    report.determined = simulation.determined;
  }
  const fix = planFix(findings, report.rootCause, simulation !== undefined);
  if (fix) report.fix = combineAwsAuthPatches(fix, evidence, rediagnosis(checks));
  report.verdict = decideVerdict(report, simulationGaps(evidence, simulation));
  return { report, simulation };
}

/** The findings the checks give for other evidence (the plan's aws-auth patches applied). */
export const rediagnosis =
  (checks: readonly Check[]) =>
  (evidence: Evidence): Finding[] => {
    const simulation = evidence.principal ? simulate(evidence.principal, evidence) : undefined;
    return runChecks(checks, { evidence, ...(simulation ? { simulation } : {}) }).findings;
  };

/** Evidence in, report out, its verdict decided. Pure. */
export const diagnose = (command: string, evidence: Evidence, checks: readonly Check[]): Report =>
  diagnoseWithSimulation(command, evidence, checks).report;
