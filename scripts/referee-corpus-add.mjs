// Adds a regression case to test/referee/corpus: the request (a property-test counterexample, as
// JSON on stdin) and the Go referee's answer to it, committed so the case runs even without Go.
// Usage: node scripts/referee-corpus-add.mjs NAME "why it diverged" < request.json
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReferee } from './build-referee.mjs';

const [name, why] = process.argv.slice(2);
if (!name || !why || !/^[a-z0-9-]+$/.test(name)) {
  console.error('usage: node scripts/referee-corpus-add.mjs NAME "why it diverged" < request.json');
  process.exit(2);
}
const request = JSON.parse(readFileSync(0, 'utf8'));
const answer = JSON.parse(execFileSync(buildReferee(), { input: `${JSON.stringify(request)}\n`, encoding: 'utf8' }));
const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'referee', 'corpus', `${name}.json`);
// Every character outside printable ASCII is written as an escape, so the case reads the same in any editor.
const text = JSON.stringify({ why, request, referee: answer }, null, 2).replace(
  /[^\x20-\x7e\n]/g,
  (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
);
writeFileSync(file, `${text}\n`);
console.log(file);
