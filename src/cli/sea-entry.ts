/**
 * The entry point of the single executable (scripts/build-sea.mjs): what bin/eksauth.js does for an
 * npm install, in one bundle. `token` takes the same lean path first, so kubectl's exec calls skip
 * yargs; everything else, and `token --help`, goes to the full CLI.
 */
import { main as tokenMain } from '../token/entry.js';
import { main } from './main.js';

const argv = process.argv.slice(2);
const run = async (): Promise<void> => {
  if (argv[0] === 'token' && (await tokenMain(argv.slice(1)))) return;
  await main(argv);
};
void run();
