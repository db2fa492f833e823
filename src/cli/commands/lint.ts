import { CHECKS } from '../../../checks/index.js';
import { diagnose } from '../../core/diagnose.js';
import { parseAwsAuth } from '../../model/aws-auth/parse.js';
import { UsageError } from '../errors.js';
import { INPUT_LIMITS, readInput } from '../io.js';
import { emitReport, type CommonArgs } from './shared.js';

export interface LintArgs extends CommonArgs {
  file: string;
}

/** `eksauth lint [FILE|-]`: every offline check that needs only the aws-auth ConfigMap. */
export function runLint(args: LintArgs): void {
  const text = readInput(args.file, 'the aws-auth ConfigMap', INPUT_LIMITS.configMap);
  const parsed = parseAwsAuth(text);
  if (!parsed.ok) throw new UsageError(`${args.file === '-' ? 'standard input' : args.file}: ${parsed.error}`);
  const report = diagnose('lint', { awsAuth: { state: 'present', configMap: parsed.value } }, CHECKS);
  // Checks that need a principal or a cluster are not "skipped" for lint: they are not lint's job.
  report.skipped = [];
  emitReport(report, args, args.file === '-' ? 'stdin' : args.file);
}
