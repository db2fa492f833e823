import type { CheckContext } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import type { TokenEvidence, TokenReplay } from '../../src/token/evidence.js';
import { inspectToken, type InspectOptions } from '../../src/token/inspect.js';
import { presignGetCallerIdentity, tokenFromPresignedUrl } from '../../src/token/presign.js';

export const NOW = new Date('2026-11-23T08:00:00Z');
export const CREDS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** The presigned URL of a well-formed token; tests mutate it. */
export function presigned(
  options: { now?: Date; host?: string; signingRegion?: string; clusterId?: string } = {},
): string {
  return presignGetCallerIdentity({
    credentials: CREDS,
    host: options.host ?? 'sts.us-west-2.amazonaws.com',
    signingRegion: options.signingRegion ?? 'us-west-2',
    clusterId: options.clusterId ?? 'demo',
    now: options.now ?? NOW,
  });
}

export const tokenOfUrl = (url: string): string => tokenFromPresignedUrl(url);

/** Token evidence as decode-token builds it, judged at `now` (default: one minute after NOW). */
export function tokenEvidence(
  token: string,
  options: Partial<InspectOptions> & { replay?: TokenReplay } = {},
): TokenEvidence {
  const { replay, ...rest } = options;
  const { evidence } = inspectToken(token, { source: 'argument', now: new Date(NOW.getTime() + 60_000), ...rest });
  return { ...evidence, ...(replay ? { replay } : {}) };
}

export const contextWith = (token: TokenEvidence | undefined): CheckContext => {
  const evidence: Evidence = token ? { token } : {};
  return { evidence };
};

export const stsError = (code: string, message: string, status = 403): TokenReplay => ({
  outcome: 'sts-error',
  status,
  code,
  message,
  throttled: message.includes('Throttling') || code === 'Throttling',
  localDate: NOW.toISOString(),
});
