import type { SourceLocation } from '../model/aws-auth/types.js';
import type { Evidence, EvidenceSource } from '../model/evidence.js';
import type { Simulation } from '../model/simulate.js';
import type { Stage } from '../model/trace.js';

export type Severity = 'error' | 'warning' | 'info';

export type Fallback = 'broad' | 'last-resort';

/** What a finding is about. */
export interface Subject {
  kind:
    | 'principal'
    | 'cluster'
    | 'access-entry'
    | 'aws-auth'
    | 'nodegroup'
    | 'fargate-profile'
    | 'rbac'
    | 'token'
    | 'kubeconfig'
    | 'credentials';
  name: string;
}

/** A fix in the four dialects an on-call engineer may use, with what it can break. */
export interface Fix {
  kubectl?: string;
  eksctl?: string;
  aws?: string;
  terraform?: string;
  risks?: string[];
}

export interface MessageSpec {
  /** States the fact with concrete names; `{placeholders}` are filled from the hit's data. */
  text: string;
  /** One imperative sentence. */
  remediation: string;
  /** Overrides the check's severity for this message. */
  severity?: Severity;
  fix?: Fix;
}

export interface CheckMeta<M extends string = string> {
  /** `area/name`, stable forever; = checks/<area>/<name>.ts = docs/checks/<area>/<name>.md. */
  id: string;
  title: string;
  severity: Severity;
  stage: Stage;
  /** Failure-mode number in peers-and-failure-modes.md, e.g. `C15`. */
  ref?: string;
  /** Evidence the check reads; the engine skips the check (with a reason) when any is missing. */
  needs: readonly EvidenceSource[];
  /** Also needs the simulated decision for a principal. */
  needsSimulation?: boolean;
  /**
   * A catch-all that is the root cause only when nothing more specific of the same stage explains
   * the outcome: `broad` (aws-auth is gone, the request is forbidden) yields to a specific check,
   * `last-resort` ("not mapped") yields to anything.
   */
  fallback?: Fallback;
  messages: Record<M, MessageSpec>;
}

/** What a check returns; the engine renders it into a Finding. */
export interface Hit<M extends string = string> {
  messageId: M;
  subject: Subject;
  data: Record<string, string | number>;
  location?: SourceLocation;
  /** True when this problem is part of why the principal under diagnosis is refused. */
  affectsPrincipal?: boolean;
}

export interface CheckContext {
  evidence: Evidence;
  /** Present when a principal was given (explain, doctor). */
  simulation?: Simulation;
}

export interface Check<M extends string = string> {
  meta: CheckMeta<M>;
  /** Pure: no I/O, no clock, no environment. */
  run(context: CheckContext): Hit<M>[];
}

export const defineCheck = <M extends string>(check: Check<M>): Check<M> => check;

/** A rendered finding: the JSON contract (output.schema.json `$defs.finding`) plus what reporters need. */
export interface Finding {
  checkId: string;
  messageId: string;
  severity: Severity;
  stage: Stage;
  title: string;
  message: string;
  remediation: string;
  docsUrl: string;
  subject: Subject;
  location?: SourceLocation;
  affectsPrincipal: boolean;
  /** Copied from the check: a catch-all that yields to a more specific explanation. */
  fallback?: Fallback;
  fix?: Fix;
}
