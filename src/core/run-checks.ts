import { STAGES } from '../model/trace.js';
import type { Check, CheckContext, Finding, Hit } from './types.js';
import { checkDocsUrl } from './docs-url.js';
import { renderFix, templateSteps } from './fix.js';
import { targetSteps } from './fix-target.js';
import type { Evidence } from '../model/evidence.js';
import { fillPlaceholders } from './render.js';

export interface SkippedCheck {
  checkId: string;
  reason: string;
}

export interface CheckRun {
  findings: Finding[];
  skipped: SkippedCheck[];
}

/**
 * Runs every check whose evidence is present. Findings come out in the order EKS processes a
 * request (stage), then in registry order, which is the catalog's order within a stage.
 */
export function runChecks(checks: readonly Check[], context: CheckContext): CheckRun {
  const findings: { finding: Finding; order: number }[] = [];
  const skipped: SkippedCheck[] = [];
  checks.forEach((check, order) => {
    const missing = check.meta.needs.filter((source) => context.evidence[source] === undefined);
    if (missing.length > 0 || (check.meta.needsSimulation && !context.simulation)) {
      const reasons = missing.map((source) => context.evidence.unavailable?.[source] ?? `${source} not given`);
      if (check.meta.needsSimulation && !context.simulation) reasons.push('no principal given');
      skipped.push({ checkId: check.meta.id, reason: reasons.join('; ') });
      return;
    }
    for (const hit of check.run(context)) findings.push({ finding: renderHit(check, hit, context.evidence), order });
  });
  findings.sort((a, b) => STAGES.indexOf(a.finding.stage) - STAGES.indexOf(b.finding.stage) || a.order - b.order);
  return { findings: findings.map((f) => f.finding), skipped };
}

/** A hit as a finding; with the evidence, its fix steps are completed from it (region, profile, who runs them). */
export function renderHit(check: Check, hit: Hit, evidence?: Evidence): Finding {
  const spec = check.meta.messages[hit.messageId];
  if (!spec) throw new Error(`check ${check.meta.id} reported unknown message id ${hit.messageId}`);
  const risks = spec.fix?.risks?.map((r) => fillPlaceholders(r, hit.data));
  const written = hit.fix ?? (spec.fix ? templateSteps(spec.fix, hit.data, spec.remediation) : []);
  const steps = evidence ? targetSteps(written, evidence) : written;
  const fix = steps.length > 0 ? renderFix(steps, risks) : undefined;
  return {
    checkId: check.meta.id,
    messageId: hit.messageId,
    severity: spec.severity ?? check.meta.severity,
    stage: check.meta.stage,
    title: check.meta.title,
    message: fillPlaceholders(spec.text, hit.data),
    remediation: fillPlaceholders(spec.remediation, hit.data),
    docsUrl: checkDocsUrl(check.meta.id),
    subject: hit.subject,
    ...(hit.location ? { location: hit.location } : {}),
    affectsPrincipal: hit.affectsPrincipal ?? false,
    ...(check.meta.fallback ? { fallback: check.meta.fallback } : {}),
    ...(fix ? { fix } : {}),
  };
}

/**
 * The one check id that explains the outcome: an error that concerns the principal, from the
 * earliest stage that has one (findings are already in stage order), preferring a specific
 * explanation over a catch-all of the same stage. Without a principal (lint), the first error.
 */
export function pickRootCause(findings: readonly Finding[], hasPrincipal: boolean): string | null {
  const errors = findings.filter((f) => f.severity === 'error' && (f.affectsPrincipal || !hasPrincipal));
  const first = errors[0];
  if (!first) return null;
  const sameStage = errors.filter((f) => f.stage === first.stage);
  const rank = (f: Finding): number => (f.fallback === 'last-resort' ? 2 : f.fallback === 'broad' ? 1 : 0);
  const best = Math.min(...sameStage.map(rank));
  return (sameStage.find((f) => rank(f) === best) ?? first).checkId;
}
