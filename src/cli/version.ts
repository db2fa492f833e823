/** Kept in step with package.json by test/meta/package.test.ts. */
export const VERSION = '0.1.0';
