/**
 * The in-process unit suites: pure functions of their inputs, no servers, no spawned processes, no
 * mocks or environment changes that could leak between files. `npm test` runs them in one module
 * graph per worker (isolate: false) and Stryker runs them for every mutant (vitest.mutation.config.ts).
 */
export const UNIT_SUITES = [
  'test/model/**/*.test.ts',
  'test/checks/**/*.test.ts',
  'test/token/validate*.test.ts',
  'test/doctor/build-report*.test.ts',
  // The doctor report with the authenticator's log beside the model's answer (coherence asserted).
  'test/doctor/log-report.test.ts',
  'test/mutation-kills/**/*.test.ts',
  // An independent oracle for the aws-auth parser: the Go referee's committed answers (no Go process).
  'test/referee/corpus.test.ts',
];
