import { describe, expect, it } from 'vitest';
import { expectAgreement } from './agreement.js';
import { corpus } from './corpus.js';

// The committed answers keep the regression cases running where Go is not installed (and in mutation runs,
// which include this file but not the live referee suite).
describe('aws-auth divergences found by the referee (corpus, committed referee answers)', () => {
  it.each(corpus)('$name: $why', ({ request, referee }) => {
    expectAgreement(request, referee);
  });
});

describe('the agreement check catches a planted divergence', () => {
  const planted = corpus.find((c) => c.name === 'map-accounts-bad-item-skipped.json');
  it('a referee answer that keeps one account less no longer agrees with the model', () => {
    if (!planted) throw new Error('corpus case map-accounts-bad-item-skipped.json is missing');
    const accounts = planted.referee.mapAccounts.accounts.slice(1);
    const altered = { ...planted.referee, mapAccounts: { ...planted.referee.mapAccounts, accounts } };
    expect(() => expectAgreement(planted.request, altered)).toThrow(/model vs referee/);
  });
});
