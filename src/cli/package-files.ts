import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files the CLI ships beside its code (docs pages, sandbox scenarios). Installed from npm they sit
 * in the package folder; in the single executable (scripts/build-sea.mjs) there is no folder, so
 * the build embeds them as one asset, a JSON object from package-relative path to text.
 */

/** The asset name scripts/build-sea.mjs embeds. */
export const SEA_FILES_ASSET = 'package-files.json';

type EmbeddedFiles = Readonly<Record<string, string>>;
let embedded: EmbeddedFiles | null | undefined;

function embeddedFiles(): EmbeddedFiles | null {
  if (embedded !== undefined) return embedded;
  embedded = null;
  try {
    // `node:sea` is loaded on demand: the token path never needs it.
    const sea = createRequire(import.meta.url)('node:sea') as {
      isSea(): boolean;
      getAsset(key: string, encoding: string): string;
    };
    if (sea.isSea()) embedded = JSON.parse(sea.getAsset(SEA_FILES_ASSET, 'utf8')) as EmbeddedFiles;
  } catch {
    embedded = null;
  }
  return embedded;
}

/** True when running as the single executable. */
export const isSingleExecutable = (): boolean => embeddedFiles() !== null;

let root: string | undefined;
/** The package folder, found from this module in src/ or dist/src/. */
function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'docs'))) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('cannot find the eksauth package folder (docs/, scenarios/)');
}

/**
 * How another process runs this same eksauth, for files written for later (the sandbox's
 * kubeconfig): absolute, so it works from a fresh clone where `eksauth` is not on PATH. The single
 * executable is its own command; otherwise this Node and the package's bin/eksauth.js.
 */
export function selfCommand(): { command: string; args: string[] } {
  if (isSingleExecutable()) return { command: process.execPath, args: [] };
  return { command: process.execPath, args: [join(packageRoot(), 'bin', 'eksauth.js')] };
}

/** A shipped file's text, or undefined when it does not exist. `path` is package-relative, `/`-separated. */
export function readPackageFile(path: string): string | undefined {
  const files = embeddedFiles();
  if (files) return Object.hasOwn(files, path) ? files[path] : undefined;
  const file = join(packageRoot(), path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The names of the files directly inside a shipped folder. */
export function listPackageFolder(folder: string): string[] {
  const files = embeddedFiles();
  if (files) {
    const prefix = `${folder}/`;
    return Object.keys(files)
      .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
      .map((p) => p.slice(prefix.length));
  }
  const dir = join(packageRoot(), folder);
  return existsSync(dir) ? readdirSync(dir) : [];
}
