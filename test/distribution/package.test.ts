import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * What `npm publish` would ship, read from `npm pack --dry-run` (npm's own file selection, so
 * `files`, .npmignore and npm's always-included files all count): the CLI and what it reads at run
 * time, and nothing of the development tree.
 */
interface PackResult {
  files: { path: string }[];
}

const packed = (): string[] => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' });
  const [result] = JSON.parse(out) as PackResult[];
  if (!result) throw new Error('npm pack --dry-run --json printed no package');
  return result.files.map((f) => f.path);
};

describe('npm package contents', () => {
  const files = packed();

  it.each([
    ['the entry point', 'bin/eksauth.js'],
    ['the CommonJS marker of bin/', 'bin/package.json'],
    ['the compiled CLI', 'dist/src/cli/main.js'],
    ['the compiled checks', 'dist/checks/index.js'],
    ['the token bundle kubectl runs', 'dist/token.cjs'],
    ['a check docs page (eksauth checks ID prints it)', 'docs/checks/aws-auth/role-arn-has-path.md'],
    ['the output schema', 'schema/output-v1.json'],
    ['a sandbox scenario', 'scenarios/seed-debug-eks-unauthenticated.yaml'],
    ['the licence', 'LICENSE'],
    ['the README', 'README.md'],
  ])('ships %s (%s)', (_what, path) => {
    expect(files).toContain(path);
  });

  it('ships the examples folder', () => {
    expect(files.some((f) => f.startsWith('examples/'))).toBe(true);
  });

  it('ships no tests, TypeScript sources, source maps, benchmarks or single-executable builds', () => {
    const unwanted = files.filter(
      (f) =>
        /^(test|src|checks|bench|scripts|\.github|\.ci)\//.test(f) ||
        /\.map$/.test(f) ||
        (/\.ts$/.test(f) && !f.endsWith('.d.ts')) ||
        f.startsWith('dist/sea/') ||
        f.startsWith('dist/test/'),
    );
    expect(unwanted).toEqual([]);
  });
});
