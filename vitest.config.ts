import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI and sandbox tests spawn processes and servers; two cores are all CI has.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
