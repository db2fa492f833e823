import type { Evidence } from '../model/evidence.js';
import { script } from './command.js';
import { joinSteps, renderStep } from './fix.js';
import { awsAuthAfterPatch, awsAuthPatch, awsAuthPatchData } from './fix-target.js';
import type { Finding, FixPlan, PlannedStep, RenderedDialect } from './types.js';

type Data = Record<string, string | null>;

/** The step's aws-auth merge patches' data, merged, or undefined when it patches none. */
function stepPatch(step: { kubectl?: RenderedDialect }): Data | undefined {
  const patches = (step.kubectl?.commands ?? []).flatMap((c) => {
    const data = awsAuthPatchData(c.argv);
    return data ? [data] : [];
  });
  return patches.length > 0 ? Object.assign({}, ...patches) : undefined;
}

/** The evidence as it would be once the patch is applied, or undefined when it cannot be read back. */
function patched(evidence: Evidence, patch: Data): Evidence | undefined {
  const configMap = awsAuthAfterPatch(evidence, patch);
  return configMap ? { ...evidence, awsAuth: { state: 'present', configMap } } : undefined;
}

/**
 * Each check computes its aws-auth patch from the text EKS holds, so a second patch of the plan
 * was computed without the first's edits, and its resourceVersion (rightly) makes the API server
 * refuse it after the first. The plan's patches become one: the first patch, then each later
 * step's patch recomputed by its own check from the text as the earlier ones leave it, all sent
 * as one merge patch at the version read. Later steps keep their other dialects; their kubectl
 * says the change is in the combined patch. When any recomputation fails, the plan is returned
 * as it was (each patch still refuses to overwrite a change it did not see).
 */
export function combineAwsAuthPatches(
  plan: FixPlan,
  evidence: Evidence,
  rediagnose: (evidence: Evidence) => readonly Finding[],
): FixPlan {
  const patching = plan.steps.map((step, index) => ({ step, index, data: stepPatch(step) })).filter((s) => s.data);
  const [first, ...later] = patching;
  if (!first?.data || later.length === 0) return plan;
  // A later step whose kubectl does more than patch aws-auth keeps its commands as they are.
  const onlyPatches = later.every(({ step }) =>
    (step.kubectl?.commands ?? []).every((c) => awsAuthPatchData(c.argv) !== undefined),
  );
  if (!onlyPatches) return plan;
  let combined: Data = { ...first.data };
  let current = patched(evidence, first.data);
  for (const { step } of later) {
    if (!current) return plan;
    const findings = rediagnose(current).filter((f) => step.findings.includes(f.checkId));
    // Gone once the earlier patches are applied: nothing left for this step's kubectl to do.
    const data = findings
      .flatMap((f) => f.fix?.steps ?? [])
      .map(stepPatch)
      .find((d) => d !== undefined);
    if (findings.length > 0 && data === undefined) return plan;
    if (data) {
      combined = { ...combined, ...data };
      current = patched(current, data);
    }
  }
  const merged = renderStep({ title: first.step.title, kubectl: script(awsAuthPatch(evidence, combined)) }).kubectl;
  if (!merged) return plan;
  const steps: PlannedStep[] = plan.steps.map((step, index) => {
    if (index === first.index)
      return {
        ...step,
        title: `${step.title} (its kubectl patch also makes the aws-auth change of step${later.length > 1 ? 's' : ''} ${later.map((l) => l.index + 1).join(', ')})`,
        kubectl: merged,
        findings: [...new Set([...step.findings, ...later.flatMap((l) => l.step.findings)])],
      };
    if (!later.some((l) => l.index === index)) return step;
    return { ...step, kubectl: { text: `# in step ${first.index + 1}'s kubectl patch of aws-auth`, commands: [] } };
  });
  return { ...plan, ...joinSteps(steps), steps };
}
