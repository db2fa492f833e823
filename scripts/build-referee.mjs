// Builds the Go referee (referee/*.go) against Debian's packaged Go libraries and prints the
// binary's path. Builds are cached by a hash of the sources and the Go version, so the test
// files that use the referee share one build. Run as `npm run referee:build`, or import
// buildReferee() from a test.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'referee');
/** Debian's golang-*-dev packages install their sources here (GOPATH layout, no modules). */
const DEBIAN_GOPATH = '/usr/share/gocode';
export const REFEREE_PACKAGES = ['golang-go', 'golang-k8s-sigs-yaml-dev', 'golang-gopkg-yaml.v2-dev'];

/** Why the referee cannot be built here, or undefined when it can. */
export function refereeUnavailable() {
  try {
    execFileSync('go', ['version'], { stdio: 'pipe' });
  } catch {
    return `go not found (install ${REFEREE_PACKAGES.join(' ')})`;
  }
  for (const library of ['sigs.k8s.io/yaml', 'gopkg.in/yaml.v2']) {
    if (!existsSync(join(DEBIAN_GOPATH, 'src', library)))
      return `${library} not found under ${DEBIAN_GOPATH} (install ${REFEREE_PACKAGES.join(' ')})`;
  }
  return undefined;
}

export function buildReferee() {
  const goVersion = execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  const hash = createHash('sha256').update(goVersion);
  const sources = readdirSync(SOURCE_DIR)
    .filter((name) => name.endsWith('.go'))
    .sort();
  for (const name of sources) hash.update(name).update(readFileSync(join(SOURCE_DIR, name)));
  const cacheDir = join(tmpdir(), 'eksauth-referee');
  const binary = join(cacheDir, `referee-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  try {
    execFileSync('go', ['build', '-o', partial, '.'], {
      cwd: SOURCE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // Debian ships the libraries as GOPATH sources and no module proxy is reachable: build in GOPATH mode.
        GO111MODULE: 'off',
        GOPATH: DEBIAN_GOPATH,
        GOFLAGS: '',
        GOCACHE: join(cacheDir, 'go-build'),
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    const stderr = error && typeof error === 'object' && 'stderr' in error ? String(error.stderr) : '';
    throw new Error(`go build of the referee failed: ${stderr || String(error)}`);
  }
  // Another test file may have finished the same build meanwhile: rename is atomic either way.
  renameSync(partial, binary);
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const missing = refereeUnavailable();
  if (missing) {
    console.error(`referee: ${missing}`);
    process.exit(3);
  }
  console.log(buildReferee());
}
