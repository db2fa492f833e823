#!/usr/bin/env node
// Bundles the `eksauth token` path into one CommonJS file, dist/token.cjs, which bin/eksauth.js
// loads directly. kubectl runs the token command on every call; loading one file instead of a
// dozen ES modules is most of the difference bench/token.mjs shows. The AWS SDK stays external:
// it is loaded lazily, only when credentials are not static keys in the environment.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The esbuild options; the tests rebuild with them to check dist/token.cjs is current. */
export const bundleOptions = (outfile = join(root, 'dist/token.cjs')) => ({
  entryPoints: [join(root, 'src/token/entry.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@aws-sdk/*'],
  logLevel: 'warning',
});

if (process.argv[1] === fileURLToPath(import.meta.url)) await build(bundleOptions());
