#!/usr/bin/env node
// The published entry point: a thin shim so `npm link`/`npx` find the compiled CLI. kubectl runs
// `eksauth token` on every call, so that command skips the full CLI (yargs, every other command).
const argv = process.argv.slice(2);
if (argv[0] === 'token') import('../dist/src/token/entry.js').then((token) => token.main(argv.slice(1)));
else import('../dist/src/cli/main.js').then((cli) => cli.main(argv));
