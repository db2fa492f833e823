// Records the Go referee's answers for the lexical table (lexical-cases.ts) into
// lexical-answers.json, which is committed: `npx tsx test/referee/record-lexical.ts`.
// Rerun after adding a case; the table test fails for a case without a recorded answer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEXICAL_CASES, lexicalRequest } from './lexical-cases.js';
import { Referee } from './referee-client.js';

const referee = Referee.start();
try {
  const answers = await referee.askAll(LEXICAL_CASES.map(lexicalRequest));
  const byName = Object.fromEntries(LEXICAL_CASES.map((c, i) => [c.name, answers[i]]));
  if (Object.keys(byName).length !== LEXICAL_CASES.length) throw new Error('lexical case names are not unique');
  writeFileSync(join(import.meta.dirname, 'lexical-answers.json'), `${JSON.stringify(byName, null, 2)}\n`);
  console.log(`recorded ${LEXICAL_CASES.length} referee answers`);
} finally {
  await referee.stop();
}
