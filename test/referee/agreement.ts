import { expect } from 'vitest';
import type { BlockKey } from '../../src/model/aws-auth/types.js';
import {
  alignForComparison,
  lintFindings,
  modelDecisions,
  nondeterministicLookups,
  parseModel,
  refereeDecisions,
  refusedBlocks,
} from './model-answer.js';
import type { RefereeAnswer, RefereeRequest } from './referee-client.js';

/**
 * The model must decide what the referee decides (rows kept, store, accounts, every principal's
 * mapping and rendered identity); lint must flag every block the referee refuses with an error,
 * and every principal whose mapping Go's map order decides.
 */
export function expectAgreement(request: RefereeRequest, answer: RefereeAnswer): void {
  const awsAuth = parseModel(request);
  const referee = refereeDecisions(answer);
  const aligned = alignForComparison(modelDecisions(request, awsAuth), referee);
  expect(aligned.model, 'model vs referee').toEqual(aligned.referee);

  const findings =
    refusedBlocks(answer).length + nondeterministicLookups(referee).length > 0 ? lintFindings(awsAuth) : [];
  for (const block of refusedBlocks(answer)) {
    const about = (name: string) => name === `data.${block}` || name.startsWith(`${block}[`);
    const errors = findings.filter((f) => f.severity === 'error' && about(f.subject.name));
    expect(
      errors.length,
      `lint reports an error for ${block}, which the referee refuses: ${refereeError(answer, block)}`,
    ).toBeGreaterThan(0);
  }
  for (const index of nondeterministicLookups(referee)) {
    const duplicates = findings.filter((f) => f.checkId === 'aws-auth/duplicate-arn');
    expect(
      duplicates.length,
      `lint flags the rows Go picks between at random for ${request.principals[index]?.canonicalArn}`,
    ).toBeGreaterThan(0);
  }
}

function refereeError(answer: RefereeAnswer, block: BlockKey): string {
  return (block === 'mapAccounts' ? answer.mapAccounts.error : answer[block].error) ?? '';
}
