#!/usr/bin/env node
// Builds eksauth as a Node single executable application (SEA) for the machine it runs on:
//   1. esbuild bundles the whole CLI, AWS SDK included, into one CommonJS file (SEA runs CommonJS);
//   2. the docs pages and sandbox scenarios the CLI prints or loads are embedded as one asset;
//   3. `node --experimental-sea-config` makes the preparation blob, and postject injects it into a
//      copy of this node binary.
// Usage: node scripts/build-sea.mjs [OUTPUT_DIR]   (default dist/sea; the binary is OUTPUT_DIR/eksauth)
// The release workflow (.github/workflows/release.yml) runs the same script on each target OS.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The sentinel Node's own SEA loader looks for (documented in Node's single-executable-applications page).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
// Must equal SEA_FILES_ASSET in src/cli/package-files.ts.
const FILES_ASSET = 'package-files.json';
const EMBEDDED_FOLDERS = ['docs', 'scenarios'];

function filesUnder(folder) {
  const out = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * Optional packages that libraries in the bundle try to require and do without (node-fetch's
 * `encoding`, ws's `bufferutil` and `utf-8-validate`). In the executable,
 * require() of anything but a built-in prints a warning on every run, so each becomes a module that
 * fails exactly as a missing package does, and the library takes its own fallback.
 */
const ABSENT_OPTIONAL_PACKAGES = ['encoding', 'bufferutil', 'utf-8-validate'];
const absentOptionalPackages = {
  name: 'absent-optional-packages',
  setup(builder) {
    const filter = new RegExp(`^(${ABSENT_OPTIONAL_PACKAGES.map((p) => p.replace(/[/.-]/g, '\\$&')).join('|')})$`);
    builder.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'absent' }));
    builder.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}'`)}), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

export async function buildSea(outDir = join(root, 'dist/sea')) {
  outDir = resolve(outDir);
  mkdirSync(outDir, { recursive: true });
  const windows = process.platform === 'win32';
  const bundle = join(outDir, 'eksauth.cjs');
  await build({
    entryPoints: [join(root, 'src/cli/sea-entry.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'external',
    logLevel: 'error',
    // ES modules in the bundle (ours, yargs) ask import.meta.url where they are; in the executable
    // the answer is the executable itself.
    banner: { js: 'var __eksauthImportMetaUrl = require("node:url").pathToFileURL(process.execPath).href;' },
    define: { 'import.meta.url': '__eksauthImportMetaUrl' },
    plugins: [absentOptionalPackages],
  });

  const files = {};
  for (const folder of EMBEDDED_FOLDERS) {
    for (const path of filesUnder(join(root, folder)))
      files[relative(root, path).split(sep).join('/')] = readFileSync(path, 'utf8');
  }
  const filesPath = join(outDir, FILES_ASSET);
  writeFileSync(filesPath, JSON.stringify(files));

  const blob = join(outDir, 'sea-prep.blob');
  const configPath = join(outDir, 'sea-config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      main: bundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      useSnapshot: false,
      // V8's code cache of the bundle: the executable skips most of compiling ~5 MB of JavaScript.
      useCodeCache: true,
      assets: { [FILES_ASSET]: filesPath },
    }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', configPath], { stdio: 'pipe' });

  const binary = join(outDir, windows ? 'eksauth.exe' : 'eksauth');
  copyFileSync(process.execPath, binary);
  chmodSync(binary, 0o755);
  if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', binary]);
  const postject = join(root, 'node_modules/postject/dist/cli.js');
  const postjectArgs = [postject, binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE];
  if (process.platform === 'darwin') postjectArgs.push('--macho-segment-name', 'NODE_SEA');
  execFileSync(process.execPath, postjectArgs, { stdio: 'pipe' });
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', binary]);
  return { binary, bytes: statSync(binary).size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { binary, bytes } = await buildSea(process.argv[2]);
  process.stdout.write(`${relative(process.cwd(), binary)} (${(bytes / 2 ** 20).toFixed(1)} MiB)\n`);
}
