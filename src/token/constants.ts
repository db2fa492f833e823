/** Token-format constants shared by minting and validation (authenticator-facts.md §1). */
export const TOKEN_PREFIX = 'k8s-aws-v1.';
export const MAX_TOKEN_BYTES = 4096;
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** Presigned GetCallerIdentity URLs live 15 minutes after X-Amz-Date, whatever X-Amz-Expires says. */
export const PRESIGNED_URL_LIFETIME_MS = 15 * 60_000;
/** What `aws eks get-token --role-arn` names its session, so `{{SessionName}}` renders the same. */
export const DEFAULT_SESSION_NAME = 'EKSGetTokenAuth';
