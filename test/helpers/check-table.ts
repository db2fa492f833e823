import { renderHcl, renderScript, type HclScript, type Script } from '../../src/core/command.js';
import { expect, test } from 'vitest';
import { unfilledPlaceholders } from '../../src/core/render.js';
import { renderHit } from '../../src/core/run-checks.js';
import type { Check, Hit, Severity } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { KNOWN_TEMPLATE_VARIABLES } from '../../src/model/templates.js';
import { contextFor } from './evidence.js';

// Findings quote the authenticator's own `{{SessionName}}` syntax on purpose; only those names are exempt,
// so a misspelt `{{sessionName}}` or a lone `{arn}` still counts as unfilled.
const AUTHENTICATOR_VARIABLE = new RegExp(`\\{\\{(?:${KNOWN_TEMPLATE_VARIABLES.join('|')})\\}\\}`, 'g');

/** Every placeholder of the message, remediation and fix is filled. */
export function expectRendered(check: Check, hits: readonly Hit[]): void {
  // Without this, a check that stopped reporting would pass.
  expect(hits.length).toBeGreaterThan(0);
  for (const hit of hits) {
    const finding = renderHit(check, hit);
    const texts = [finding.message, finding.remediation, ...Object.values(finding.fix ?? {}).flat()];
    for (const text of texts)
      expect(unfilledPlaceholders(String(text).replace(AUTHENTICATOR_VARIABLE, '')), String(text)).toEqual([]);
  }
}

/**
 * One check under test, run the way the engine runs it. `shared` is the evidence every case of the file
 * starts from; a field a case gives overrides the shared one.
 */
export function checkTable(check: Check, shared: Evidence = {}) {
  const run = (evidence: Evidence = {}): Hit[] => check.run(contextFor({ ...shared, ...evidence }));
  return {
    run,
    /** One `passes: <name>` test per case, each expecting no hit at all. */
    passes(cases: [name: string, evidence: Evidence][]): void {
      // test.each([]) registers nothing, which would read as a green table.
      if (cases.length === 0) throw new Error(`${check.meta.id}: a passes table needs at least one case`);
      test.each(cases)('passes: %s', (_, evidence) => {
        expect(run(evidence)).toEqual([]);
      });
    },
    severityOf(hit: Hit | undefined): Severity {
      if (!hit) throw new Error(`${check.meta.id}: no hit to render`);
      return renderHit(check, hit).severity;
    },
  };
}

/** A fix value of a hit (lines or text) as the text it prints. */
export function fixText(value: unknown): string {
  if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && 'kind' in v))
    return value.some((v: { kind: string }) => v.kind === 'attribute' || v.kind === 'block' || v.kind === 'verbatim')
      ? renderHcl(value as HclScript)
      : renderScript(value as Script);
  return String(value);
}
