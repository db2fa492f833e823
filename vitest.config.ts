import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and sandbox tests spawn processes and servers; two cores are all CI has. Most test time
    // is spent waiting on those processes and sockets, so more workers than cores pay: four took
    // the suite from 6 min 33 s to 3 min 40 s (2026-11). As the suite grew, four workers' imports
    // and spawned processes came to compete for the two cores: on 2026-12-03, idle, four took
    // 6 min 15 s (11 min of user CPU) and three 4 min 56 s (8 min 20 s), every test passing.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
