import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const impureModules = ['node:*', '@aws-sdk/*', '@smithy/*', '@kubernetes/client-node', 'aws4'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Everything printed passes the one sanitiser through src/cli/io.ts (src/report/sanitise.ts
    // says why). Before the purity block below, which forbids `process` outright where it applies.
    files: ['src/**/*.ts', 'checks/**/*.ts'],
    ignores: ['src/cli/io.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.property.name=/^(stdout|stderr)$/][property.name='write']",
          message: 'write through writeOutput/writeError (src/cli/io.ts): they sanitise what reaches a terminal',
        },
      ],
    },
  },
  {
    // Checks and the model are pure: evidence in, findings out. No I/O, clock, env or randomness.
    files: ['checks/**/*.ts', 'src/model/**/*.ts', 'src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: impureModules.map((group) => ({
            group: [group],
            message: 'checks and the model are pure: do I/O in src/collect',
          })),
        },
      ],
      'no-restricted-globals': ['error', 'process', 'console', 'fetch'],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'pure code takes "now" as an argument',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'pure code takes "now" as an argument',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'pure code is deterministic',
        },
      ],
    },
  },
);
