import type { Evidence } from '../model/evidence.js';
import { simulate } from '../model/simulate.js';
import { pickRootCause, runChecks } from './run-checks.js';
import { SCHEMA_VERSION, type Report } from './report.js';
import type { Check } from './types.js';

/** Evidence in, report out: the shared core of `lint`, `explain` and `doctor`. Pure. */
export function diagnose(command: string, evidence: Evidence, checks: readonly Check[]): Report {
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
  return report;
}
