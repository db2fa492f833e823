import { commandsOf, hclTemplate, renderHcl, renderScript, shellTemplate, type TemplateValue } from './command.js';
import { fillPlaceholders } from './render.js';
import { DIALECTS, type Dialect, type Fix, type FixSpec, type FixStep, type RenderedStep } from './types.js';

/** The one step of a check whose fix is written as templates. */
export function templateSteps(
  spec: FixSpec,
  values: Readonly<Record<string, TemplateValue>>,
  remediation: string,
): FixStep[] {
  if (!spec.kubectl && !spec.eksctl && !spec.aws && !spec.terraform) return [];
  return [
    {
      title: fillPlaceholders(spec.title ?? remediation, values),
      ...(spec.kubectl ? { kubectl: shellTemplate(spec.kubectl, values) } : {}),
      ...(spec.eksctl ? { eksctl: shellTemplate(spec.eksctl, values) } : {}),
      ...(spec.aws ? { aws: shellTemplate(spec.aws, values) } : {}),
      ...(spec.terraform ? { terraform: hclTemplate(spec.terraform, values) } : {}),
    },
  ];
}

/** A step's dialects as text (and, for shell, as the commands they run). */
export function renderStep(step: FixStep): RenderedStep {
  const rendered: RenderedStep = {
    title: step.title,
    ...(step.oneWay !== undefined ? { oneWay: step.oneWay } : {}),
    ...(step.identity !== undefined ? { identity: step.identity } : {}),
    ...(step.key !== undefined ? { key: step.key } : {}),
  };
  for (const dialect of DIALECTS) {
    if (dialect === 'terraform') {
      if (step.terraform) rendered.terraform = { text: renderHcl(step.terraform) };
      continue;
    }
    const lines = step[dialect];
    if (lines) rendered[dialect] = { text: renderScript(lines), commands: commandsOf(lines) };
  }
  return rendered;
}

/**
 * Each dialect's text over all steps, in order (numbered, with one-way and who-runs-it marks, when
 * there are several), so whoever pastes one dialect gets every step.
 */
export function joinSteps(rendered: readonly RenderedStep[]): Partial<Record<Dialect, string>> {
  const out: Partial<Record<Dialect, string>> = {};
  for (const dialect of DIALECTS) {
    const parts = rendered
      .map((step, i) => {
        const text = step[dialect]?.text;
        if (text === undefined) return undefined;
        if (rendered.length === 1) return text;
        return `# Step ${i + 1}: ${stepHeading(step)}\n${text}`;
      })
      .filter((t): t is string => t !== undefined);
    if (parts.length > 0) out[dialect] = parts.join('\n');
  }
  return out;
}

/** A step's title with its marks: `(ONE-WAY)`, `(run as …)`. */
export function stepHeading(step: RenderedStep): string {
  const flags = [step.oneWay ? 'ONE-WAY' : '', step.identity ? `run as ${step.identity}` : '']
    .filter(Boolean)
    .join('; ');
  return `${step.title}${flags ? ` (${flags})` : ''}`;
}

/** A finding's fix from its steps: each dialect's text over all steps, the steps, and the risks. */
export function renderFix(steps: readonly FixStep[], risks: readonly string[] | undefined): Fix {
  const rendered = steps.map(renderStep);
  const fix: Fix = { ...joinSteps(rendered), steps: rendered };
  if (risks && risks.length > 0) fix.risks = [...risks];
  return fix;
}
