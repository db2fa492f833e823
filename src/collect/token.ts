import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { stsEndpointFor } from '../token/endpoint.js';
import { presignGetCallerIdentity, tokenFromPresignedUrl } from '../token/presign.js';
import type { Env } from '../token/aws-config.js';

/**
 * Mints the bearer token exactly as `eksauth token` (and `aws eks get-token`) does, with the
 * same code. The token lives only in memory for the probe; it never reaches evidence or output.
 */
export async function mintBearerToken(
  credentials: AwsCredentialIdentityProvider,
  cluster: string,
  region: string,
  env: Env,
  now: Date,
): Promise<string> {
  const identity = await credentials();
  const endpoint = stsEndpointFor({ region, regionalEndpoints: env.AWS_STS_REGIONAL_ENDPOINTS });
  const url = presignGetCallerIdentity({
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    },
    host: endpoint.host,
    signingRegion: endpoint.signingRegion,
    clusterId: cluster,
    now,
  });
  return tokenFromPresignedUrl(url);
}
