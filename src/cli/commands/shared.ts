import type { Report } from '../../core/report.js';
import { exitCodeFor } from '../../core/report.js';
import { renderReport } from '../../report/index.js';
import { writeOutput } from '../io.js';
import { shouldUseColor, type OutputFormat } from '../output-options.js';

export interface CommonArgs {
  output: OutputFormat;
  color?: boolean | undefined;
}

/** Prints a report in the chosen format and sets the exit code from it. */
export function emitReport(report: Report, args: CommonArgs, source?: string): void {
  writeOutput(renderReport(report, args.output, { color: shouldUseColor(args.color), ...(source ? { source } : {}) }));
  process.exitCode = exitCodeFor(report);
}
