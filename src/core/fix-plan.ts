import { joinSteps } from './fix.js';
import type { Finding, FixPlan, PlannedStep, RenderedStep } from './types.js';

/** The findings the plan must clear: every error that blocks the principal (every error, without one). */
export function blockingFindings(findings: readonly Finding[], hasPrincipal: boolean): Finding[] {
  return findings.filter((f) => f.severity === 'error' && (f.affectsPrincipal || !hasPrincipal));
}

/** Two steps make the same change when every dialect prints the same text. */
const sameChange = (a: RenderedStep, b: RenderedStep): boolean =>
  (['kubectl', 'eksctl', 'aws', 'terraform'] as const).every((d) => a[d]?.text === b[d]?.text);

/**
 * One fix for everything that blocks the principal: the steps of each blocking finding, the root
 * cause's first, then the others in the order EKS meets them (credentials before mapping before
 * RBAC), one step per change. A step with the key of an earlier one (`aws-auth:mapRoles`: the first
 * rewrite of a block already carries every row's correction; `cluster:authentication-mode`) or the
 * same commands is the earlier one, which then lists both findings. A finding's own steps keep
 * their order, so a one-way mode change stays before the access entries that need it.
 */
export function planFix(
  findings: readonly Finding[],
  rootCause: string | null,
  hasPrincipal: boolean,
): FixPlan | undefined {
  const blocking = blockingFindings(findings, hasPrincipal);
  const root = blocking.find((f) => f.checkId === rootCause);
  const ordered = root ? [root, ...blocking.filter((f) => f !== root)] : blocking;
  const steps: PlannedStep[] = [];
  const risks: string[] = [];
  for (const finding of ordered) {
    for (const step of finding.fix?.steps ?? []) {
      const earlier = steps.find((s) => (step.key !== undefined && s.key === step.key) || sameChange(s, step));
      if (earlier) {
        if (!earlier.findings.includes(finding.checkId)) earlier.findings.push(finding.checkId);
        continue;
      }
      steps.push({ ...step, findings: [finding.checkId] });
    }
    for (const risk of finding.fix?.risks ?? []) if (!risks.includes(risk)) risks.push(risk);
  }
  if (steps.length === 0) return undefined;
  const covered = new Set(steps.flatMap((s) => s.findings));
  return {
    findings: ordered.map((f) => f.checkId).filter((id) => covered.has(id)),
    ...(ordered.some((f) => !covered.has(f.checkId))
      ? { uncovered: ordered.filter((f) => !covered.has(f.checkId)).map((f) => f.checkId) }
      : {}),
    ...joinSteps(steps),
    steps,
    ...(risks.length > 0 ? { risks } : {}),
  };
}
