import type { Decision, TraceStep } from '../model/trace.js';
import type { TokenSummary } from '../token/summary.js';
import type { SkippedCheck } from './run-checks.js';
import type { Finding, FixPlan } from './types.js';
import { verdictOf, type Verdict } from './verdict.js';

export const SCHEMA_VERSION = 1;

/** Everything a reporter may print. Its JSON form is the versioned contract (docs/output-schema.md). */
export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  command: string;
  rootCause: string | null;
  findings: Finding[];
  /** Since 1.2: one fix for every error finding that blocks the principal, steps in the order to apply them. */
  fix?: FixPlan;
  skipped: SkippedCheck[];
  principal?: { input: string; canonicalArn: string | null };
  decision?: Decision;
  steps?: TraceStep[];
  /** explain/doctor: false when evidence was missing and the outcome is open. */
  determined?: boolean;
  /** doctor, whoami: who the cluster says the principal is (SelfSubjectReview), access key ids redacted. */
  selfSubjectReview?: { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> };
  /** doctor: the live probe. */
  observed?: { status: number | null; error: string | null };
  /** doctor --can: each request asked about, the answer, and the rule (or missing rule) behind it. */
  access?: { request: string; allowed: boolean; rule: string }[];
  /** decode-token: what the token holds, redacted. */
  token?: TokenSummary;
  /** The verdict line, its outcome, exit code and what could not be read (src/core/verdict.ts). */
  verdict?: Verdict;
  /** doctor: what EKS's control-plane logs say (since 1.2). */
  logs?: { authenticator: LogSourceState; audit: LogSourceState };
  /** doctor: aws-auth writes, access changes and the principal's first grant / 401 after them, oldest first (since 1.2). */
  timeline?: TimelineEntry[];
  /** Command-specific details (token facts, cluster facts) shown in a "facts" block. */
  facts?: Record<string, string>;
}

/** One control-plane log type as doctor read it, or why it could not. */
export type LogSourceState =
  | {
      state: 'read';
      logGroup: string;
      since: string;
      until: string;
      eventsRead: number;
      /** The page limit stopped the read before the window's end. */
      truncated: boolean;
      /** authenticator: how many decisions for the principal, the latest, and how it compares. */
      decisions?: number;
      agreement?: 'agree' | 'disagree' | 'token' | 'none';
      summary?: string;
      /** What to do when the window is too short to show the cause. */
      hint?: string;
      /** authenticator (since 1.3): its latest reload of aws-auth in the window, and how it compares with eksauth's reading. */
      awsAuthLoad?: {
        time: string;
        outcome: 'parsed' | 'parse-error' | 'reset';
        error?: string;
        agreement: 'agree' | 'disagree' | 'unknown';
      };
      /** audit (since 1.3): writes to aws-auth searched further back than the window, or why they could not be. */
      awsAuthLookback?: { since: string; eventsRead?: number; truncated?: boolean; error?: string };
      latest?: {
        time: string;
        outcome: 'granted' | 'denied';
        username?: string;
        uid?: string;
        groups?: string[];
        error?: string;
        /** The check that explains the error text (null: none does, e.g. STS throttling). */
        explainedBy?: string | null;
        meaning?: string;
        matchedBy?: 'arn' | 'access-key-id' | 'client';
      };
    }
  | {
      state: 'unavailable';
      /** "could not check, because …" */
      reason: string;
      how: string;
      /** The exact command that turns the log type on. */
      command?: string;
      /** What it costs. */
      note?: string;
    };

export interface TimelineEntry {
  time: string;
  kind: 'aws-auth-change' | 'aws-auth-load' | 'access-change' | 'granted' | 'first-denial' | 'unauthorized';
  text: string;
  actor?: string;
  sourceIp?: string;
}

/** Exit codes (README "Exit codes"); the CLI is the only place that sets them. */
export const EXIT = { ok: 0, blocked: 1, usage: 2, environment: 3 } as const;

/** The verdict's exit code: decided with the verdict line, so the two cannot disagree. */
export const exitCodeFor = (report: Report): number => verdictOf(report).exitCode;
