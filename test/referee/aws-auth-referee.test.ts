import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAgreement } from './agreement.js';
import { refereeRequest } from './arbitraries.js';
import { Referee, refereeStatus, type RefereeAnswer, type RefereeRequest } from './referee-client.js';

/** Documents per run; CI runs the default, REFEREE_RUNS raises it for a longer local hunt. */
const RUNS = Number(process.env.REFEREE_RUNS ?? 3000);
const CORPUS_DIR = join(import.meta.dirname, 'corpus');

interface CorpusCase {
  why: string;
  request: RefereeRequest;
  referee: RefereeAnswer;
}

const corpus = readdirSync(CORPUS_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, ...(JSON.parse(readFileSync(join(CORPUS_DIR, name), 'utf8')) as CorpusCase) }));

// The committed answers keep the regression cases running where Go is not installed.
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

const status = refereeStatus();
describe.skipIf(!status.available)(
  `aws-auth decisions equal the Go referee's (${status.available ? 'sigs.k8s.io/yaml + encoding/json + yaml.v2' : `skipped: ${status.reason}`})`,
  () => {
    let started: Referee | undefined;
    const referee = (): Referee => {
      if (!started) throw new Error('the referee did not start');
      return started;
    };
    beforeAll(() => {
      started = Referee.start();
    }, 180_000);
    afterAll(async () => {
      await started?.stop();
    });

    it.each(corpus)('the referee still answers $name as committed', async ({ request, referee: committed }) => {
      expect(await referee().ask(request)).toEqual(committed);
    });

    it(`agrees on ${RUNS} generated documents (every style, document-level edits)`, async () => {
      await fc.assert(
        fc.asyncProperty(refereeRequest, async (request) => {
          expectAgreement(request, await referee().ask(request));
        }),
        { numRuns: RUNS },
      );
    }, 120_000);
  },
);
