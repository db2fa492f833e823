// Records the Go referee's answers for the lexical table (lexical-cases.ts) into
// lexical-answers.json, and for the yaml.v2 table (yaml-v2-cases.ts) into yaml-v2-answers.json,
// which are committed: `npx tsx test/referee/record-lexical.ts`.
// Rerun after adding a case; the table test fails for a case without a recorded answer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEXICAL_CASES, lexicalRequest, type LexicalCase } from './lexical-cases.js';
import { Referee } from './referee-client.js';
import { YAML_V2_CASES } from './yaml-v2-cases.js';

const TABLES: [readonly LexicalCase[], string][] = [
  [LEXICAL_CASES, 'lexical-answers.json'],
  [YAML_V2_CASES, 'yaml-v2-answers.json'],
];

const referee = Referee.start();
try {
  for (const [cases, file] of TABLES) {
    const answers = await referee.askAll(cases.map(lexicalRequest));
    const byName = Object.fromEntries(cases.map((c, i) => [c.name, answers[i]]));
    if (Object.keys(byName).length !== cases.length) throw new Error(`${file}: case names are not unique`);
    writeFileSync(join(import.meta.dirname, file), `${JSON.stringify(byName, null, 2)}\n`);
    console.log(`recorded ${cases.length} referee answers into ${file}`);
  }
} finally {
  await referee.stop();
}
