/**
 * Turns a token into TokenEvidence: the authenticator's offline verdict plus the token's facts,
 * with every secret removed. The presigned URL (needed for a replay) is returned separately and
 * never enters the evidence.
 */
import { partitionOfRegion, type Partition } from '../model/partitions.js';
import type { TokenEvidence, TokenFacts } from './evidence.js';
import { maskAccessKeyId, redactSecrets } from '../core/redact.js';
import { stsRefusal, validateToken, type ValidatedToken } from './validate.js';

export interface InspectOptions {
  source: string;
  now: Date;
  /** The cluster's partition; by default the partition of the token's own STS host. */
  partition?: Partition | undefined;
  /** The cluster's region (the authenticator's fallback for hosts the SDK does not know). */
  serverRegion?: string | undefined;
  clusterName?: string | undefined;
}

export interface Inspection {
  evidence: TokenEvidence;
  /** Secret-bearing: only for a replay. Present when the URL could be read. */
  url?: string;
  /** Signature and session token values, to blank out of anything echoed back. */
  secrets: string[];
}

const hostPartitionOf = (region: string | undefined): Partition | undefined =>
  region === undefined ? undefined : region === 'global' ? 'aws' : partitionOfRegion(region);

export function inspectToken(token: string, options: InspectOptions): Inspection {
  // A first pass only to learn the host's partition when the caller did not name one.
  const probe = validateToken(token, {
    partition: options.partition ?? 'aws',
    now: options.now,
    ...(options.serverRegion ? { serverRegion: options.serverRegion } : {}),
  });
  const probeFacts = probe.ok ? probe.token : (probe.partial ?? {});
  const inferred = options.partition ?? hostPartitionOf(probeFacts.region) ?? 'aws';
  const result =
    inferred === (options.partition ?? 'aws')
      ? probe
      : validateToken(token, {
          partition: inferred,
          now: options.now,
          ...(options.serverRegion ? { serverRegion: options.serverRegion } : {}),
        });
  const known: Partial<ValidatedToken> = result.ok ? result.token : (result.partial ?? {});
  const secrets = secretValues(known.query ?? {});
  // Past the authenticator, a token STS can never accept is just as invalid, offline.
  const refusal = result.ok ? stsRefusal(result.token) : undefined;
  const evidence: TokenEvidence = {
    source: options.source,
    partition: inferred,
    checkedAt: options.now.toISOString(),
    ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}),
    ...(options.serverRegion ? { clusterRegion: options.serverRegion } : {}),
    validation: !result.ok
      ? { ok: false, checkId: result.checkId, message: redactSecrets(result.message, secrets) }
      : refusal
        ? { ok: false, checkId: 'token/malformed', message: redactSecrets(refusal, secrets), by: 'sts' }
        : { ok: true },
    facts: factsOf(known),
  };
  return { evidence, ...(known.url !== undefined ? { url: known.url } : {}), secrets };
}

function secretValues(query: Record<string, string>): string[] {
  return Object.entries(query)
    .filter(([key]) => /^x-amz-(signature|security-token)$/i.test(key))
    .map(([, value]) => value);
}

function factsOf(token: Partial<ValidatedToken>): TokenFacts {
  const credential = Object.entries(token.query ?? {}).find(([key]) => key.toLowerCase() === 'x-amz-credential')?.[1];
  const [, date, region, service] = credential?.split('/') ?? [];
  const hostPartition = hostPartitionOf(token.region);
  return {
    ...(token.stsHost !== undefined ? { stsHost: token.stsHost } : {}),
    ...(token.region !== undefined ? { region: token.region } : {}),
    ...(hostPartition ? { hostPartition } : {}),
    ...(token.accessKeyId ? { accessKeyId: maskAccessKeyId(token.accessKeyId) } : {}),
    ...(date !== undefined && region !== undefined && service !== undefined
      ? { scope: { date, region, service } }
      : {}),
    ...(token.signedAt ? { signedAt: token.signedAt.toISOString() } : {}),
    ...(token.expiresAt ? { expiresAt: token.expiresAt.toISOString() } : {}),
    signedHeaders: token.signedHeaders ?? [],
    ...(token.expiresParam !== undefined ? { expiresParam: token.expiresParam } : {}),
    ...(token.hasSessionToken !== undefined ? { hasSessionToken: token.hasSessionToken } : {}),
  };
}
