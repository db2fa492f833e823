// Rewrites simulate-full-trace.expected.json from the model after an intended change to a trace
// text: `npx tsx test/model/record-full-trace.ts`. Review the diff before committing it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../src/model/simulate.js';
import { readableTrace, SCENARIOS } from './simulate-full-trace.scenarios.js';

const traces = Object.fromEntries(SCENARIOS.map((s) => [s.name, readableTrace(simulate(s.principal, s.evidence))]));
writeFileSync(join(import.meta.dirname, 'simulate-full-trace.expected.json'), `${JSON.stringify(traces, null, 2)}\n`);
