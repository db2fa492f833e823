import { runToken } from '../../token/entry.js';
import type { TokenOptions } from '../../token/mint.js';

/** `eksauth token` through the full CLI (bin/eksauth.js normally takes the direct path in src/token/entry.ts). */
export async function runTokenCommand(args: TokenOptions): Promise<void> {
  // yargs' argv carries aliases and positional extras: pass on only what the token path reads.
  const { cluster, region, profile, roleArn, sessionName, externalId, cache } = args;
  await runToken({ cluster, region, profile, roleArn, sessionName, externalId, cache });
}
