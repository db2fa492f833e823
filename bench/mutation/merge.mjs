#!/usr/bin/env node
// Merges Stryker incremental reports of separate `--mutate` runs (one per folder) into the one
// incremental file `npm run mutation` reuses, and prints the mutation score per folder.
// Stryker numbers tests per run, so the same test gets a different id in each report: ids are
// re-assigned here from (test file, test name). A later report wins for a source file in both.
//   node bench/mutation/merge.mjs OUT.json IN1.json IN2.json …   (OUT may be one of the inputs)
//   node bench/mutation/merge.mjs --scores REPORT.json
import { readFileSync, writeFileSync } from 'node:fs';

/** Stryker's score: detected / (detected + undetected); ignored and invalid mutants do not count. */
function scores(report) {
  const byFolder = new Map();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    // src/model as one folder, each checks/<group> as one, any other file on its own.
    const key = file.startsWith('src/model/')
      ? 'src/model'
      : file.startsWith('checks/') && file.split('/').length > 2
        ? file.split('/').slice(0, 2).join('/')
        : file;
    const row = byFolder.get(key) ?? { killed: 0, survived: 0, noCoverage: 0, timeout: 0, ignored: 0 };
    for (const m of mutants) {
      if (m.status === 'Killed') row.killed++;
      else if (m.status === 'Timeout') row.timeout++;
      else if (m.status === 'Survived') row.survived++;
      else if (m.status === 'NoCoverage') row.noCoverage++;
      else if (m.status === 'Ignored') row.ignored++;
    }
    byFolder.set(key, row);
  }
  console.log('| folder | score | killed | timeout | survived | no coverage | ignored (static) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [key, r] of [...byFolder].sort()) {
    const detected = r.killed + r.timeout;
    const valid = detected + r.survived + r.noCoverage;
    const score = valid ? ((100 * detected) / valid).toFixed(1) : 'n/a';
    console.log(
      `| \`${key}\` | ${score}% | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.ignored} |`,
    );
  }
}

const args = process.argv.slice(2);
if (args[0] === '--scores') {
  scores(JSON.parse(readFileSync(args[1], 'utf8')));
} else {
  const [out, ...inputs] = args;
  if (!out || inputs.length === 0) throw new Error('usage: merge.mjs OUT.json IN.json…');
  const merged = { files: {}, testFiles: {} };
  const ids = new Map(); // `${file}\0${name}` → new id
  const idOf = (file, name) => {
    const key = `${file}\0${name}`;
    if (!ids.has(key)) ids.set(key, String(ids.size));
    return ids.get(key);
  };
  for (const input of inputs) {
    const report = JSON.parse(readFileSync(input, 'utf8'));
    for (const key of Object.keys(report)) if (!(key in merged)) merged[key] = report[key];
    const renamed = new Map();
    for (const [file, testFile] of Object.entries(report.testFiles ?? {})) {
      const tests = new Map((merged.testFiles[file]?.tests ?? []).map((t) => [t.id, t]));
      for (const test of testFile.tests) {
        const id = idOf(file, test.name);
        renamed.set(test.id, id);
        tests.set(id, { ...test, id });
      }
      merged.testFiles[file] = { ...testFile, tests: [...tests.values()] };
    }
    const rename = (list) => list?.map((id) => renamed.get(id) ?? id);
    for (const [file, result] of Object.entries(report.files)) {
      merged.files[file] = {
        ...result,
        mutants: result.mutants.map((m) => ({ ...m, coveredBy: rename(m.coveredBy), killedBy: rename(m.killedBy) })),
      };
    }
  }
  let next = 0;
  for (const result of Object.values(merged.files)) for (const m of result.mutants) m.id = String(next++);
  writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
  scores(merged);
}
