/** The contract's `token` object (cli-contract.md): facts only, access key id redacted. */
export interface TokenSummary {
  valid: boolean;
  stsHost: string | null;
  region: string | null;
  partition: string | null;
  accessKeyId: string | null;
  signedAt: string | null;
  expiresAt: string | null;
  expired: boolean | null;
  signedHeaders: string[];
}
