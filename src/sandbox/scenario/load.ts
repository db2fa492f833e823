import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { Node, ScenarioError } from './reader.js';
import { resolveScenario } from './resolve.js';
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

/** The directory of scenarios shipped with the package (found from this module, in src or dist). */
export function shippedScenarioDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'scenarios')) && existsSync(join(dir, 'package.json'))) return join(dir, 'scenarios');
    dir = dirname(dir);
  }
  throw new ScenarioError('cannot find the shipped scenarios directory');
}

export function listShippedScenarios(): string[] {
  return readdirSync(shippedScenarioDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/**
 * `NAME` is a shipped scenario (with or without `.yaml`; `/` in check ids may be written `/` or
 * `__`); anything that exists as a file is read as one.
 */
export function loadScenario(nameOrFile: string, now: Date = new Date()): Scenario {
  const asFile = resolve(nameOrFile);
  if (existsSync(asFile) && (nameOrFile.includes('/') || nameOrFile.endsWith('.yaml') || nameOrFile.endsWith('.yml'))) {
    return parseScenario(readFileSync(asFile, 'utf8'), nameOrFile, now);
  }
  const dir = shippedScenarioDir();
  const candidates = [nameOrFile, nameOrFile.replaceAll('/', '--')].map((n) =>
    join(dir, n.endsWith('.yaml') ? n : `${n}.yaml`),
  );
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new ScenarioError(
      `no scenario '${nameOrFile}': not a file, and not one of the ${listShippedScenarios().length} shipped scenarios (eksauth sandbox --list names them)`,
    );
  }
  return parseScenario(readFileSync(found, 'utf8'), basename(found), now);
}
