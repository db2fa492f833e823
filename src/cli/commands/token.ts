import { runToken } from '../../token/entry.js';

export interface TokenArgs {
  cluster: string;
  region?: string | undefined;
  profile?: string | undefined;
  roleArn?: string | undefined;
  sessionName?: string | undefined;
  externalId?: string | undefined;
  cache: boolean;
}

/** `eksauth token` through the full CLI (bin/eksauth.js normally takes the direct path in src/token/entry.ts). */
export async function runTokenCommand(args: TokenArgs): Promise<void> {
  const { cluster, region, profile, roleArn, sessionName, externalId, cache } = args;
  await runToken({ cluster, region, profile, roleArn, sessionName, externalId, cache });
}
