#!/usr/bin/env node
/* global require */
// The published entry point, deliberately CommonJS (bin/package.json): kubectl runs
// `eksauth token` on every call, and an ES-module entry alone adds about as much start-up time as the
// whole token path. That path loads one bundled CommonJS file (dist/token.cjs); everything else
// goes to the full CLI. bench/token.mjs measures the difference.
const argv = process.argv.slice(2);
const fullCli = () => import('../dist/src/cli/main.js').then((cli) => cli.main(argv));

function tokenEntry() {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS on purpose, see above
    return Promise.resolve(require('../dist/token.cjs'));
  } catch (error) {
    // Built without the bundle (plain `tsc`): the same code as ES modules, only slower to load.
    if (error.code !== 'MODULE_NOT_FOUND') throw error;
    return import('../dist/src/token/entry.js');
  }
}

if (argv[0] === 'token')
  tokenEntry().then((token) => token.main(argv.slice(1)).then((handled) => handled || fullCli()));
else fullCli();
