/**
 * Keeps secrets out of everything decode-token prints (cli-contract.md "Secrets"): a presigned
 * URL is a bearer credential for 15 minutes, and Go's error texts quote the whole URL.
 */

/** `AKIA…MPLE`: the first four and last four characters of an access key id. */
export function redactAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length <= 8) return '*'.repeat(accessKeyId.length);
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

/**
 * Removes signature and session-token values, and shortens access key ids, wherever they appear
 * in a text (a quoted URL, an STS error body). Parameter names are matched case-insensitively,
 * as the authenticator matches them.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('<redacted>');
  out = out.replace(/(x-amz-(?:signature|security-token)=)[^&"'\s]*/gi, '$1<redacted>');
  out = out.replace(
    /(x-amz-credential=)([^&"'\s%/]*)/gi,
    (_, name: string, akid: string) => name + redactAccessKeyId(akid),
  );
  // Any other access key id (AKIA/ASIA + 16) in free text, e.g. an STS message.
  out = out.replace(/\b(AKIA|ASIA)[A-Z0-9]{12}([A-Z0-9]{4})\b/g, '$1…$2');
  // A token pasted into an error message.
  out = out.replace(/k8s-aws-v1\.[A-Za-z0-9_=-]+/g, 'k8s-aws-v1.<redacted>');
  return out;
}
