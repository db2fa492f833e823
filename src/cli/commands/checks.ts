import { CHECKS } from '../../../checks/index.js';
import { renderChecksIndex } from '../../core/check-docs.js';
import { checkDocsPath } from '../../core/docs-url.js';
import { readPackageFile } from '../package-files.js';
import { UsageError } from '../errors.js';
import { writeOutput } from '../io.js';
import type { OutputFormat } from '../output-options.js';

export interface ChecksArgs {
  id?: string | undefined;
  output: OutputFormat;
}

/** `eksauth checks [ID]`: the catalog, or one check's page, offline (docs ship in the package). */
export function runChecksCommand(args: ChecksArgs): void {
  if (args.id === undefined) {
    if (args.output === 'json') {
      writeOutput(
        JSON.stringify(
          CHECKS.map(({ meta }) => ({
            id: meta.id,
            title: meta.title,
            severity: meta.severity,
            stage: meta.stage,
            ref: meta.ref ?? null,
          })),
          null,
          2,
        ),
      );
    } else if (args.output === 'markdown') {
      writeOutput(renderChecksIndex(CHECKS).trimEnd());
    } else {
      const width = Math.max(...CHECKS.map((c) => c.meta.id.length));
      writeOutput(
        CHECKS.map(({ meta }) => `${meta.id.padEnd(width)}  ${meta.severity.padEnd(7)}  ${meta.title}`).join('\n'),
      );
    }
    return;
  }
  const check = CHECKS.find((c) => c.meta.id === args.id);
  if (!check) throw new UsageError(`unknown check id '${args.id}' (eksauth checks lists them)`);
  const page = readPackageFile(checkDocsPath(check.meta.id));
  if (page === undefined) throw new UsageError(`check '${args.id}' has no docs page in this installation`);
  writeOutput(page);
}
