/**
 * The ExecCredential that `aws eks get-token` prints, byte for byte: same apiVersion negotiation
 * through KUBERNETES_EXEC_INFO (with the CLI's stderr messages), same layout (4-space JSON and a
 * blank line), same timestamp format.
 */
const ALPHA = 'client.authentication.k8s.io/v1alpha1';
const BETA = 'client.authentication.k8s.io/v1beta1';
const V1 = 'client.authentication.k8s.io/v1';

export interface ApiVersionChoice {
  apiVersion: string;
  /** What the CLI prints on stderr for this input, if anything. */
  warning?: string;
}

/** awscli GetTokenCommand.discover_api_version. */
export function discoverApiVersion(execInfo: string | undefined): ApiVersionChoice {
  if (execInfo === undefined || execInfo === '') return { apiVersion: BETA };
  let parsed: unknown;
  try {
    parsed = JSON.parse(execInfo);
  } catch {
    return {
      apiVersion: BETA,
      warning: `Error parsing KUBERNETES_EXEC_INFO, defaulting to ${BETA}. This is likely a bug in your Kubernetes client. Please update your Kubernetes client.`,
    };
  }
  // The CLI crashes on valid JSON that is not an object; we treat it as an unknown version.
  const requested =
    typeof parsed === 'object' && parsed !== null ? (parsed as { apiVersion?: unknown }).apiVersion : undefined;
  if (requested === V1 || requested === BETA) return { apiVersion: requested };
  if (requested === ALPHA) {
    return {
      apiVersion: ALPHA,
      warning: `Kubeconfig user entry is using deprecated API version ${ALPHA}. Run 'aws eks update-kubeconfig' to update.`,
    };
  }
  return {
    apiVersion: BETA,
    warning: `Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to ${BETA}. This is likely due to an outdated AWS CLI. Please update your AWS CLI.`,
  };
}

/** Tokens are advertised for 14 of their 15 minutes, as the CLI does. */
export const ADVERTISED_LIFETIME_MS = 14 * 60_000;

/**
 * The earlier of now + 14 min and the signing credentials' own expiry: a token dies with the
 * session that signed it (authenticator-facts.md §1.5), which the CLI ignores.
 */
export function tokenExpiry(now: Date, credentialExpiry: Date | undefined): Date {
  const advertised = now.getTime() + ADVERTISED_LIFETIME_MS;
  return new Date(credentialExpiry ? Math.min(advertised, credentialExpiry.getTime()) : advertised);
}

/** strftime('%Y-%m-%dT%H:%M:%SZ'): whole seconds, literal Z. */
export function formatExpirationTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `json.dumps(obj, indent=4)`, the formatter's newline and the command's own extra newline. */
export function formatExecCredential(apiVersion: string, token: string, expiration: Date): string {
  const credential = {
    kind: 'ExecCredential',
    apiVersion,
    spec: {},
    status: { expirationTimestamp: formatExpirationTimestamp(expiration), token },
  };
  return `${JSON.stringify(credential, null, 4)}\n\n`;
}
