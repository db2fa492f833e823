import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { listPackageFolder, readPackageFile } from '../../cli/package-files.js';
import { Node, ScenarioError } from './reader.js';
import { resolveScenario } from './resolve.js';
import { INPUT_LIMITS, InputRejected, readBoundedText } from '../../inputs/read-text.js';
import type { Scenario } from './types.js';

export { ScenarioError };

/** Parses and validates scenario YAML; throws ScenarioError with a one-line message. */
export function parseScenario(text: string, source: string, now: Date = new Date()): Scenario {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw new ScenarioError(`${source}: not valid YAML: ${first}`);
  }
  const root = new Node(raw, '', source, now);
  if (!root.present) root.fail('the file is empty');
  return { ...resolveScenario(root), source };
}

const SCENARIO_FOLDER = 'scenarios';

export function listShippedScenarios(): string[] {
  return listPackageFolder(SCENARIO_FOLDER)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/** A scenario file someone wrote: bounded and decoded like every other input (src/inputs/read-text.ts). */
function readScenarioFile(path: string, shownAs: string): string {
  try {
    return readBoundedText(path, INPUT_LIMITS.scenario);
  } catch (error) {
    const reason = error instanceof InputRejected ? error.message : `cannot be read: ${(error as Error).message}`;
    throw new ScenarioError(`scenario file '${shownAs}' ${reason}`);
  }
}

/**
 * `NAME` is a shipped scenario (with or without `.yaml`; `/` in check ids may be written `/` or
 * `__`); anything that exists as a file is read as one.
 */
export function loadScenario(nameOrFile: string, now: Date = new Date()): Scenario {
  const asFile = resolve(nameOrFile);
  if (existsSync(asFile) && (nameOrFile.includes('/') || nameOrFile.endsWith('.yaml') || nameOrFile.endsWith('.yml'))) {
    return parseScenario(readScenarioFile(asFile, nameOrFile), nameOrFile, now);
  }
  const candidates = [nameOrFile, nameOrFile.replaceAll('/', '--')].map((n) => (n.endsWith('.yaml') ? n : `${n}.yaml`));
  for (const candidate of candidates) {
    // A shipped name is one file name, never a path into or out of the folder.
    if (candidate.includes('/') || candidate.includes('\\')) continue;
    const text = readPackageFile(`${SCENARIO_FOLDER}/${candidate}`);
    if (text !== undefined) return parseScenario(text, candidate, now);
  }
  throw new ScenarioError(
    `no scenario '${nameOrFile}': not a file, and not one of the ${listShippedScenarios().length} shipped scenarios (eksauth sandbox --list names them)`,
  );
}
