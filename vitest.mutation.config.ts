import { defineConfig } from 'vitest/config';

// The suites Stryker runs for every mutant: the fast, in-process tests of the mutated code only. Sandbox,
// e2e and CLI-spawning suites start servers and processes; under Stryker they would turn minutes into hours
// without testing the mutated files any better.
export default defineConfig({
  test: {
    include: [
      'test/model/**/*.test.ts',
      'test/checks/**/*.test.ts',
      'test/token/validate*.test.ts',
      'test/robustness/property*.test.ts',
      'test/doctor/**/*.test.ts',
      'test/core/**/*.test.ts',
      'test/mutation-kills/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
