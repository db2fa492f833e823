import { renderHit } from '../../../src/core/run-checks.js';
import type { Check, Hit } from '../../../src/core/types.js';
import type { Evidence } from '../../../src/model/evidence.js';

/** The kubectl commands of a hit's first fix step, rendered as doctor prints them. */
export function kubectlOf(check: Check, hit: Hit | undefined, evidence: Evidence): { argv: string[] }[] {
  if (!hit) throw new Error('no hit');
  return renderHit(check, hit, evidence).fix?.steps[0]?.kubectl?.commands ?? [];
}

/** The merge patch body of the hit's exact fix, or undefined when the fix is a hand edit. */
export function patchOf(
  check: Check,
  hit: Hit | undefined,
  evidence: Evidence,
): { metadata?: { resourceVersion?: string }; data: Record<string, string | null> } | undefined {
  const commands = kubectlOf(check, hit, evidence);
  const patch = commands.find((c) => c.argv[1] === 'patch');
  if (!patch) return undefined;
  if (commands.length !== 1) throw new Error(`an exact fix is one patch, got ${commands.length} commands`);
  const argv = patch.argv;
  const prefix = ['kubectl', 'patch', 'configmap', 'aws-auth', '-n', 'kube-system', '--type', 'merge', '-p'];
  if (argv.slice(0, prefix.length).join(' ') !== prefix.join(' ') || argv.length !== prefix.length + 1)
    throw new Error(`not an aws-auth merge patch: ${argv.join(' ')}`);
  return JSON.parse(argv.at(-1) ?? '{}') as { data: Record<string, string | null> };
}

/** Whether the hit's kubectl fix is the fetch, hand edit, lint, replace fallback. */
export const isHandEdit = (check: Check, hit: Hit | undefined, evidence: Evidence): boolean =>
  kubectlOf(check, hit, evidence).some((c) => c.argv[1] === 'replace');
