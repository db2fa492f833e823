// Mutation testing (`npm run mutation`): does a small plausible bug in the model, the checks, token
// validation or the doctor report make some test fail? Not part of `npm test`; see bench/README.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Each mutant runs only the tests that cover it: minutes instead of hours.
  coverageAnalysis: 'perTest',
  mutate: [
    'src/model/**/*.ts',
    'checks/**/*.ts',
    'src/token/validate.ts',
    'src/doctor/build-report.ts',
    'src/core/verdict.ts',
  ],
  // The dry run collects per-test coverage of ~4,000 tests over ~4,500 src/model mutants in one
  // worker; with Node's default heap that worker aborts (measured 8.8 GB resident at its peak).
  testRunnerNodeArgs: ['--max-old-space-size=16384'],
  // Two shared cores: more workers only thrash.
  concurrency: 2,
  // Mutants executed only while a module loads (constant tables) would need the whole environment
  // reloaded and every test re-run per mutant; they are reported as ignored rather than tested.
  ignoreStatic: true,
  // Reruns test only mutants whose code or tests changed. The file is committed so that a fresh clone
  // starts from the last full measurement instead of hours of re-testing.
  incremental: true,
  incrementalFile: 'bench/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Reports and other runs' sandboxes stay out of the sandbox copy (runs of separate folders may overlap).
  ignorePatterns: ['reports/**'],
  tempDirName: 'reports/.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
  timeoutMS: 10_000,
};
