// Loaded with `node --import`: prints every module the process loads, ES modules (by URL) and
// CommonJS (by path), one per line on stderr, so a test can see what a command loads.
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  process.stderr.write('IMPORT ' + result.url + '\\n');
  return result;
}`),
);

const load = Module._load;
Module._load = function (request, parent, isMain) {
  const builtin = Module.isBuiltin(request);
  const path = builtin
    ? request.replace(/^(node:)?/, 'node:')
    : pathToFileURL(Module._resolveFilename(request, parent, isMain)).href;
  process.stderr.write(`IMPORT ${path}\n`);
  return load.apply(this, arguments);
};
