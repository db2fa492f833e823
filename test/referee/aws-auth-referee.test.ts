import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAgreement } from './agreement.js';
import { refereeRequest } from './arbitraries.js';
import { corpus } from './corpus.js';
import { Referee, refereeStatus } from './referee-client.js';

/** Documents per run; CI runs the default, REFEREE_RUNS raises it for a longer local hunt. */
const RUNS = Number(process.env.REFEREE_RUNS ?? 3000);

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
