#!/usr/bin/env node
// The static checks and the build that `npm test` runs before vitest, arranged for its six-minute
// budget on two cores:
// - typecheck, lint and the format check read the sources independently, so they run at once
//   (tsc is mostly one thread; eslint and prettier take the other core);
// - the build then emits with `--noCheck`: the typecheck just checked every file the build
//   compiles (tsconfig.json includes all of tsconfig.build.json), and tsc's output is the same
//   with or without the check, so checking twice only cost time. `npm run build` on its own
//   still checks.
// Each step's output is printed whole when it ends, so parallel steps do not interleave.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const parallel = [
  ['typecheck', bin('tsc'), ['--noEmit']],
  ['lint', bin('eslint'), ['.']],
  ['format:check', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
];
const sequential = [
  ['build', bin('tsc'), ['-p', 'tsconfig.build.json', '--noCheck']],
  ['bundle', process.execPath, [join(root, 'scripts', 'bundle-token.mjs')]],
  ['lint:package', bin('publint'), ['--strict']],
];

function run([name, command, args]) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ name, ok: false, text: `${error.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const text = Buffer.concat(output).toString();
      resolve({ name, ok: code === 0, text: signal ? `${text}killed by ${signal}\n` : text, seconds });
    });
  });
}

function report({ name, ok, text, seconds }) {
  process.stdout.write(`pretest: ${name} ${ok ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s\n`);
  if (text.trim() !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return ok;
}

const checks = await Promise.all(parallel.map((step) => run(step).then(report)));
if (!checks.every(Boolean)) process.exit(1);
for (const step of sequential) {
  if (!report(await run(step))) process.exit(1);
}
