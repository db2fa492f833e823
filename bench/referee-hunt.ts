// Hunts for aws-auth divergences between the model and the Go referee, beyond the CI property:
// `npm run bench:referee-hunt -- [documents] [seed] [--mutated]`. --mutated adds random
// one-character edits (parser edges nobody writes on purpose); it prints how many documents
// diverge, by what they diverge on, and the smallest examples to turn into corpus cases.
import fc from 'fast-check';
import { expectAgreement } from '../test/referee/agreement.js';
import { mutatedRefereeRequest, refereeRequest } from '../test/referee/arbitraries.js';
import { alignForComparison, modelDecisions, parseModel, refereeDecisions } from '../test/referee/model-answer.js';
import { Referee, type RefereeAnswer, type RefereeRequest } from '../test/referee/referee-client.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const documents = Number(args[0] ?? 5000);
const seed = Number(args[1] ?? Date.now() % 1_000_000);
const mutated = process.argv.includes('--mutated');

const requests = fc.sample(mutated ? mutatedRefereeRequest : refereeRequest, { numRuns: documents, seed });
const referee = Referee.start();
const answers = await referee.askAll(requests);
await referee.stop();

const byKind = new Map<string, number>();
const examples: { request: RefereeRequest; detail: string }[] = [];
requests.forEach((request, i) => {
  const answer = answers[i] as RefereeAnswer;
  try {
    expectAgreement(request, answer);
  } catch (error) {
    const detail = describe(request, answer) ?? String(error instanceof Error ? error.message : error);
    const kind = detail.split('\n')[0] ?? 'other';
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    examples.push({ request, detail });
  }
});

const diverging = examples.length;
console.log(`${diverging}/${documents} documents diverge (seed ${seed}${mutated ? ', mutated' : ''})`);
console.log(Object.fromEntries(byKind));
examples.sort((a, b) => JSON.stringify(a.request).length - JSON.stringify(b.request).length);
for (const { request, detail } of examples.slice(0, 5)) console.log(`\n${JSON.stringify(request)}\n${detail}`);

/** Which decisions differ, the model's and the referee's side by side; undefined for lint-only. */
function describe(request: RefereeRequest, answer: RefereeAnswer): string | undefined {
  const { model, referee: judged } = alignForComparison(
    modelDecisions(request, parseModel(request)),
    refereeDecisions(answer),
  );
  const fields = (Object.keys(model) as (keyof typeof model)[]).filter(
    (k) => JSON.stringify(model[k]) !== JSON.stringify(judged[k]),
  );
  if (fields.length === 0) return undefined;
  return [
    fields.join(','),
    ...fields.map((k) => `  ${k}\n    model:   ${JSON.stringify(model[k])}\n    referee: ${JSON.stringify(judged[k])}`),
  ].join('\n');
}
