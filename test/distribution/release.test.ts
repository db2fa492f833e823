import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The release files that cannot run here (GitHub's runners, krew-release-bot, a Docker engine)
 * are checked against each other and the tree, so a renamed asset or folder breaks a test, not a
 * release.
 */
const workflow = parse(readFileSync('.github/workflows/release.yml', 'utf8')) as {
  jobs: { build: { strategy: { matrix: { include: { target: string; exe: string }[] } } } };
};
const targets = workflow.jobs.build.strategy.matrix.include;

/** .krew.yaml as krew-release-bot renders it for tag v9.9.9. */
function renderedKrewManifest(): {
  spec: {
    platforms: { selector: { matchLabels: { os: string; arch: string } }; uri: string; sha256: string; bin: string }[];
  };
} {
  const template = readFileSync('.krew.yaml', 'utf8');
  const text = template
    .replace(
      /\{\{ addURIAndSha "([^"]+)" \.TagName \}\}/g,
      (_, uri: string) => `uri: ${uri}\n      sha256: ${'0'.repeat(64)}`,
    )
    .replaceAll('{{ .TagName }}', 'v9.9.9');
  return parse(text) as ReturnType<typeof renderedKrewManifest>;
}

describe('release workflow and krew manifest', () => {
  it('every krew platform points at an archive the release workflow builds', () => {
    const manifest = renderedKrewManifest();
    expect(manifest.spec.platforms.length).toBe(targets.length);
    for (const platform of manifest.spec.platforms) {
      const { os, arch } = platform.selector.matchLabels;
      const target = targets.find((t) => t.target === `${os}-${arch}`);
      expect(target, `${os}-${arch} is built`).toBeDefined();
      const archive = os === 'windows' ? 'zip' : 'tar.gz';
      expect(platform.uri).toBe(
        `https://github.com/eksauth/eksauth/releases/download/v9.9.9/eksauth-v9.9.9-${os}-${arch}.${archive}`,
      );
      expect(platform.bin).toBe(os === 'windows' ? 'kubectl-eksauth.exe' : 'kubectl-eksauth');
    }
  });

  it('the release builds the single executable with the script the tests build it with', () => {
    const text = readFileSync('.github/workflows/release.yml', 'utf8');
    expect(text).toContain('npm run build:sea');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['build:sea']).toBe('node scripts/build-sea.mjs');
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');

  it('runs as a non-root user on a distroless base', () => {
    expect(dockerfile).toMatch(/^FROM gcr\.io\/distroless\/nodejs\d+-debian\d+:nonroot$/m);
    expect(dockerfile).toMatch(/^USER nonroot$/m);
  });

  it('copies only what exists in a built tree', () => {
    const copied = [...dockerfile.matchAll(/^COPY --from=build \/src\/(\S+) /gm)].map((m) => m[1] ?? '');
    const built = new Set(['node_modules', 'dist/src', 'dist/checks', 'dist/token.cjs']);
    for (const path of copied) if (!built.has(path)) expect(existsSync(path), path).toBe(true);
    expect(copied).toEqual(expect.arrayContaining(['bin', 'dist/src', 'docs', 'scenarios']));
  });
});
