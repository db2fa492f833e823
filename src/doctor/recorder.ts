import type { Evidence, EvidenceSource, SourceFailure } from '../model/evidence.js';
import { classifyFailure } from '../collect/failures.js';
import { SkipStep } from './step-runner.js';

/** Collects failures per source, so every unreadable source reads "could not check, because …". */
export class FailureRecorder {
  readonly failures: Partial<Record<EvidenceSource, SourceFailure>> = {};
  readonly unavailable: Partial<Record<EvidenceSource, string>> = {};

  record(source: EvidenceSource, failure: SourceFailure): void {
    this.failures[source] = failure;
    this.unavailable[source] = failure.message;
  }

  /** Runs a collector; a failure other than a skipped prerequisite is recorded against the source. */
  async guard<T>(
    source: EvidenceSource,
    action: string,
    who: () => string | undefined,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof SkipStep)) this.record(source, classifyFailure(error, action, who()));
      throw error;
    }
  }

  /** Notes a source as unavailable with a plain reason, unless a failure is already recorded. */
  skipped(source: EvidenceSource, reason: string): void {
    if (this.unavailable[source] === undefined) this.unavailable[source] = reason;
  }

  applyTo(evidence: Evidence): void {
    evidence.failures = { ...evidence.failures, ...this.failures };
    evidence.unavailable = { ...evidence.unavailable, ...this.unavailable };
  }
}
