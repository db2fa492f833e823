import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and sandbox tests spawn processes and servers; two cores are all CI has. Most test time
    // is spent waiting on those processes and sockets, not computing, so four workers on two cores
    // took the suite from 6 min 33 s to 3 min 40 s here, every test still passing.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
