import type { SourceLocation } from '../model/aws-auth/types.js';
import type { Evidence, EvidenceSource } from '../model/evidence.js';
import type { Simulation } from '../model/simulate.js';
import type { Stage } from '../model/trace.js';
import type { commandsOf, HclScript, Script, TemplateValue } from './command.js';

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

export const DIALECTS = ['kubectl', 'eksctl', 'aws', 'terraform'] as const;
export type Dialect = (typeof DIALECTS)[number];

/**
 * One thing to change, in the dialects an on-call engineer may use. Commands are data (see
 * src/core/command.ts); only that module turns them into text.
 */
export interface FixStep {
  /** What the step changes, as one imperative sentence. */
  title: string;
  /** Set when the step cannot be undone (an authentication-mode change): why. */
  oneWay?: string;
  /** Set when the step must be run by someone other than the principal (an admin): who. */
  identity?: string;
  /** What the step rewrites as a whole (`aws-auth:mapRoles`): of steps with one key, the first is kept. */
  key?: string;
  kubectl?: Script;
  eksctl?: Script;
  aws?: Script;
  terraform?: HclScript;
}

/**
 * What a check declares about its fix in its metadata: what applying it can break, and (for checks
 * whose fix is one step) the step as templates that src/core/command.ts fills word by word.
 */
export interface FixSpec {
  title?: string;
  kubectl?: string;
  eksctl?: string;
  aws?: string;
  terraform?: string;
  risks?: string[];
}

/** A rendered dialect of one step: the text to paste, and for shell dialects the commands it runs. */
export interface RenderedDialect {
  text: string;
  commands?: ReturnType<typeof commandsOf>;
}

export interface RenderedStep {
  title: string;
  key?: string;
  oneWay?: string;
  identity?: string;
  kubectl?: RenderedDialect;
  eksctl?: RenderedDialect;
  aws?: RenderedDialect;
  terraform?: RenderedDialect;
}

/** A finding's fix: each dialect's text over all steps (what people paste), the steps, and the risks. */
export interface Fix {
  kubectl?: string;
  eksctl?: string;
  aws?: string;
  terraform?: string;
  risks?: string[];
  steps: RenderedStep[];
}

/** A step of the report's fix plan: a finding's step, and every blocking finding it clears. */
export interface PlannedStep extends RenderedStep {
  findings: string[];
}

/** The report's one fix for everything that blocks the principal, steps in the order to apply them. */
export interface FixPlan {
  /** The blocking findings whose fix it holds, root cause first. */
  findings: string[];
  /** Blocking findings that have no fix steps (say what to change in prose only). */
  uncovered?: string[];
  kubectl?: string;
  eksctl?: string;
  aws?: string;
  terraform?: string;
  risks?: string[];
  steps: PlannedStep[];
}

export interface MessageSpec {
  /** States the fact with concrete names; `{placeholders}` are filled from the hit's data. */
  text: string;
  /** One imperative sentence. */
  remediation: string;
  /** Overrides the check's severity for this message. */
  severity?: Severity;
  fix?: FixSpec;
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
  /** Values for the message's `{placeholders}` and its fix templates' holes (lists are whole words). */
  data: Record<string, TemplateValue>;
  location?: SourceLocation;
  /** True when this problem is part of why the principal under diagnosis is refused. */
  affectsPrincipal?: boolean;
  /** The steps that remove this problem, in the order they must be applied. */
  fix?: FixStep[];
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
