import { defineConfig } from 'vitest/config';
import { UNIT_SUITES } from './vitest.unit-suites.js';

// The suites Stryker runs for every mutant: fast, in-process unit tests of the mutated code only. Sandbox,
// e2e, CLI-spawning and fast-check property suites start servers or run thousands of cases per test; with
// per-test coverage each mutant would re-run them, turning minutes into hours without telling a mutant
// apart any better than the unit suites do.
export default defineConfig({
  test: {
    include: UNIT_SUITES,
    // Scaling tests (tens of thousands of rows) check complexity, not behaviour, and are far slower in
    // Stryker's instrumented build; they read this flag and sit out mutation runs only.
    env: { EKSAUTH_MUTATION_RUN: '1' },
    // Tests here are pure functions of their inputs: one module graph per worker instead of one per test
    // file, so each mutant's run does not re-import the instrumented sources.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
