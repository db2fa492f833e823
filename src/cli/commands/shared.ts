import type { Report } from '../../core/report.js';
import { exitCodeFor } from '../../core/report.js';
import { verdictOf } from '../../core/verdict.js';
import { renderReport } from '../../report/index.js';
import { writeError, writeOutput } from '../io.js';
import { shouldUseColor, type OutputFormat } from '../output-options.js';

export interface CommonArgs {
  output: OutputFormat;
  color?: boolean | undefined;
}

/** Prints a report in the chosen format and sets the exit code from it. */
export function emitReport(report: Report, args: CommonArgs, source?: string): void {
  writeOutput(renderReport(report, args.output, { color: shouldUseColor(args.color), ...(source ? { source } : {}) }));
  setExitCode(report);
}

/**
 * Sets the exit code from the verdict; exit 3 (could not complete) is also said in one line on
 * stderr, built only from eksauth's own words (check ids, source names), never from input.
 */
export function setExitCode(report: Report): void {
  const code = exitCodeFor(report);
  process.exitCode = code;
  if (code !== 3) return;
  const verdict = verdictOf(report);
  const line =
    verdict.outcome === 'environment'
      ? `not diagnosed: ${report.rootCause ?? 'the environment'} (the caller's own credentials or clock); fix that and run again`
      : `undetermined: missing ${verdict.missing.map((gap) => gap.what).join('; ') || 'a source the verdict depends on'} (the report says how to get it)`;
  writeError(`eksauth: ${line}`);
}
