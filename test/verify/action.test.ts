import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { BIN, ROOT, example } from '../helpers/cli.js';
import { parseJunit } from '../helpers/junit.js';

interface Step {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps: Step[] };
}

const actionText = readFileSync(join(ROOT, '.github/actions/verify/action.yml'), 'utf8');
const action = parse(actionText) as Action;
const verifyStep = action.runs.steps.find((s) => s.id === 'verify');
const dir = mkdtempSync(join(tmpdir(), 'eksauth-action-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the action's own Verify script with bash, as the runner would, inputs passed as its env. */
function runVerifyStep(inputs: Record<string, string>): { code: string; junit: string; stderr: string } {
  const outputFile = join(dir, `output-${Object.values(inputs).join('-').replace(/\W/g, '_')}`);
  const junitFile = join(dir, `${Object.values(inputs).join('-').replace(/\W/g, '_')}.xml`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    EKSAUTH_BIN: BIN,
    GITHUB_OUTPUT: outputFile,
    INPUT_CLUSTER: '',
    INPUT_REGION: '',
    INPUT_CONCURRENCY: '8',
    INPUT_SANDBOX: '',
    INPUT_JUNIT_FILE: junitFile,
    NO_COLOR: '1',
    ...inputs,
  };
  const result = spawnSync('bash', ['-e', '-c', verifyStep?.run ?? 'exit 99'], { cwd: ROOT, env, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  const code = /exit-code=(\d+)/.exec(readFileSync(outputFile, 'utf8'))?.[1] ?? '';
  return { code, junit: readFileSync(junitFile, 'utf8'), stderr: result.stdout + result.stderr };
}

describe('composite GitHub Action .github/actions/verify', () => {
  test('is a composite action whose expressions only name declared inputs and steps', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs.expect?.required).toBe(true);
    for (const [, name] of actionText.matchAll(/inputs\.([\w-]+)/g))
      expect(action.inputs, name).toHaveProperty(name ?? '');
    for (const [, id] of actionText.matchAll(/steps\.([\w-]+)\./g))
      expect(action.runs.steps.map((s) => s.id)).toContain(id);
    expect(action.runs.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    // Inputs reach scripts through env only (no `${{ inputs.x }}` inside a run block: script injection).
    for (const step of action.runs.steps) expect(step.run ?? '').not.toContain('${{');
  });

  test('its Verify script reports a mismatch as exit-code 1 with a readable JUnit file, and a pass as 0', () => {
    const before = runVerifyStep({
      INPUT_EXPECT: example('verify', 'tfc-agent.yaml'),
      INPUT_SANDBOX: 'seed-debug-eks-unauthenticated',
      INPUT_CLUSTER: 'my-cluster',
    });
    expect(before.code).toBe('1');
    expect(before.stderr).toContain('::error title=eksauth verify::some expectations do not hold');
    expect(parseJunit(before.junit).failures).toBe(6);
    const after = runVerifyStep({
      INPUT_EXPECT: example('verify', 'tfc-agent.yaml'),
      INPUT_SANDBOX: 'seed-debug-eks-unauthenticated--fixed',
    });
    expect(after.code).toBe('0');
    expect(parseJunit(after.junit).failures).toBe(0);
  });
});
