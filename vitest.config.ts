import { defineConfig } from 'vitest/config';
import { UNIT_SUITES } from './vitest.unit-suites.js';

export default defineConfig({
  test: {
    // CLI and sandbox tests spawn processes and servers; two cores are all CI has. Most test time
    // is spent waiting on those processes and sockets, so more workers than cores pay: four took
    // the suite from 6 min 33 s to 3 min 40 s (2026-11). As the suite grew, four workers' imports
    // and spawned processes came to compete for the two cores: on 2026-12-03, idle, vitest took
    // 330-350 s with four (imports 144-152 s) and 295 s with three (imports 85 s), all passing.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      // A third of the files are pure unit suites; sharing one module graph per worker saves
      // re-importing the model and the checks for each of them.
      { extends: true, test: { name: 'unit', include: UNIT_SUITES, isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: UNIT_SUITES } },
    ],
  },
});
