import { describe, expect, test } from 'vitest';
import { diagnose } from '../../src/core/diagnose.js';
import { CHECKS } from '../../checks/index.js';
import { parseAwsAuth } from '../../src/model/aws-auth/parse.js';
import type { Evidence } from '../../src/model/evidence.js';
import { simulate } from '../../src/model/simulate.js';
import { ACCOUNT, awsAuthFrom, clusterIn, principal } from '../helpers/evidence.js';

const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-node-role`;
const OPS = `arn:aws:sts::${ACCOUNT}:assumed-role/ops/omar`;

/** aws-auth overwritten with the platform row only: the node row and ops's row are gone (two checks, one block). */
const REPLACED: Evidence = {
  principal: principal(OPS),
  cluster: clusterIn('CONFIG_MAP'),
  awsAuth: awsAuthFrom({
    mapRoles: `- rolearn: arn:aws:iam::${ACCOUNT}:role/platform\n  username: platform:{{SessionName}}\n  groups:\n    - system:masters\n`,
  }),
  nodegroups: [{ nodegroupName: 'main', nodeRole: NODE_ROLE, healthIssues: [] }],
};

const patchesOf = (evidence: Evidence) => {
  const plan = diagnose('explain', evidence, CHECKS).fix;
  return (plan?.steps ?? []).flatMap((step, index) =>
    (step.kubectl?.commands ?? [])
      .filter((c) => c.argv[1] === 'patch' && c.argv[3] === 'aws-auth')
      .map((c) => ({ index, body: JSON.parse(c.argv.at(-1) ?? '{}') as { data: Record<string, string> } })),
  );
};

describe('the fix plan sends one aws-auth patch, holding every step’s change', () => {
  test('two checks that each rewrite mapRoles: one patch, computed step after step, at the version read', () => {
    const patches = patchesOf(REPLACED);
    expect(patches).toHaveLength(1);
    const mapRoles = patches[0]?.body.data.mapRoles ?? '';
    expect(mapRoles).toContain('rolearn: arn:aws:iam::111122223333:role/platform');
    expect(mapRoles).toContain(`rolearn: ${NODE_ROLE}`);
    expect(mapRoles).toContain('rolearn: arn:aws:iam::111122223333:role/ops');
    // Applied, it maps the blocked principal (as the model reads it) and keeps the rest.
    const parsed = parseAwsAuth(JSON.stringify({ kind: 'ConfigMap', metadata: {}, data: patches[0]?.body.data }));
    if (!parsed.ok) throw new Error(parsed.error);
    const after: Evidence = { ...REPLACED, awsAuth: { state: 'present', configMap: parsed.value } };
    expect(simulate(principal(OPS), after).decision.authenticated).toBe(true);
  });

  test('the later step says where its kubectl change went, and runs nothing itself', () => {
    const plan = diagnose('explain', REPLACED, CHECKS).fix;
    const first = plan?.steps.findIndex((s) => (s.kubectl?.commands ?? []).some((c) => c.argv[1] === 'patch'));
    expect(first).toBeGreaterThanOrEqual(0);
    const pointers = plan?.steps.filter((s) => s.kubectl?.text.startsWith(`# in step ${(first ?? 0) + 1}'s`));
    expect(pointers?.length).toBeGreaterThan(0);
    for (const step of pointers ?? []) expect(step.kubectl?.commands).toEqual([]);
    expect(plan?.steps[first ?? 0]?.title).toMatch(/its kubectl patch also makes the aws-auth change of step/);
  });

  test('one patch in the plan is left as the check wrote it', () => {
    const single: Evidence = { ...REPLACED, nodegroups: [] };
    expect(patchesOf(single)).toHaveLength(1);
    expect(diagnose('explain', single, CHECKS).fix?.steps.some((s) => s.title.includes('also makes'))).toBe(false);
  });
});
