/**
 * The one place secrets are taken out of what eksauth prints or saves (cli-contract.md "Secrets"):
 * presigned URLs and bearer tokens (a token is a credential for 15 minutes), signatures, session
 * tokens, secret keys, passwords in URLs (a proxy's), and full access key ids (shown as their first and last four characters).
 *
 * It imports nothing: `eksauth token` is bundled on its own (scripts/bundle-token.mjs) and pulls
 * this module in for its error line, so it must stay small.
 */

/** What a removed value is replaced with. */
export const REDACTED = '<redacted>';

/**
 * Exec-plugin environment variables whose values are configuration, never credentials: names of
 * profiles and files, regions, endpoint modes, role ARNs and session names. Every other variable
 * keeps its name and loses its value, so a kubeconfig that carries AWS_SECRET_ACCESS_KEY, a
 * proxy URL with a password or a vendor's API token never reaches evidence or a report. An
 * allow-list, not a deny-list: a variable nobody thought of is redacted.
 */
export const HARMLESS_ENV_NAMES: ReadonlySet<string> = new Set([
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_SDK_LOAD_CONFIG',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CA_BUNDLE',
  'AWS_DEFAULT_OUTPUT',
  'AWS_PAGER',
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
]);

/** `AKIA…MPLE`: the first four and last four characters of an access key id. */
export function maskAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length <= 8) return '*'.repeat(accessKeyId.length);
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

/** The exec entry's environment as evidence may hold it: every name, values only of harmless ones. */
export function redactExecEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, HARMLESS_ENV_NAMES.has(name) ? value : REDACTED]),
  );
}

/** The values redactExecEnv removes, to cut them out of what the plugin itself prints. */
export function execEnvSecrets(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env)
    .filter(([name]) => !HARMLESS_ENV_NAMES.has(name))
    .map(([, value]) => value);
}

/** A SelfSubjectReview's `extra`, with the access key id the authenticator puts there masked. */
export function maskReviewExtra(extra: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(extra).map(([key, values]) => [
      key,
      /accesskeyid/i.test(key) ? values.map(maskAccessKeyId) : values.map((v) => redactSecrets(v)),
    ]),
  );
}

/** Values of these query parameters are credentials; matched on the decoded name, in any case. */
const SECRET_PARAMETER = /x-amz-(?:signature|security-token)=([^&\s"'<>\\]*)/gi;
const CREDENTIAL_PARAMETER = /x-amz-credential=([^&\s"'<>\\/]*)/gi;
/** Long-term (AKIA), temporary (ASIA), bearer (ABIA) and context (ACCA) access key ids. */
const ACCESS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,124}(?![A-Za-z0-9])/g;
const BEARER_TOKEN = /k8s-aws-v1\.[A-Za-z0-9_=+/-]+/gi;
/** The user-info of a URL (`http://user:pass@proxy:3128`): proxy and registry URLs carry passwords there. */
const URL_USERINFO = /[a-z][a-z0-9+.-]*:\/\/([^\s/?#'"<>]+)@/gi;

/**
 * Removes signatures, session tokens, bearer tokens and the `known` secret values, and masks
 * access key ids, wherever they appear in a text (a quoted URL, an STS error body, a plugin's
 * stderr). The text is also read percent-decoded, as often as it decodes, so `X-Amz-%53ignature`
 * or a doubly encoded URL hides nothing; what is cut is the original text's span of each secret.
 */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  const view = decodedView(text);
  const cuts: Cut[] = [];
  const cut = (start: number, end: number, replacement: string): void => {
    if (end <= start) return;
    cuts.push({
      start: view.decoded ? (view.start[start] ?? 0) : start,
      end: view.decoded ? (view.end[end - 1] ?? 0) : end,
      replacement,
    });
  };
  for (const secret of known) {
    if (secret.length < 8) continue;
    for (let at = view.text.indexOf(secret); at >= 0; at = view.text.indexOf(secret, at + secret.length))
      cut(at, at + secret.length, REDACTED);
  }
  for (const match of view.text.matchAll(SECRET_PARAMETER)) {
    const value = match[1] ?? '';
    const at = (match.index ?? 0) + match[0].length - value.length;
    cut(at, at + value.length, REDACTED);
  }
  for (const match of view.text.matchAll(CREDENTIAL_PARAMETER)) {
    const value = match[1] ?? '';
    const at = (match.index ?? 0) + match[0].length - value.length;
    cut(at, at + value.length, maskAccessKeyId(value));
  }
  for (const match of view.text.matchAll(ACCESS_KEY_ID))
    cut(match.index ?? 0, (match.index ?? 0) + match[0].length, maskAccessKeyId(match[0]));
  for (const match of view.text.matchAll(URL_USERINFO)) {
    const userInfo = match[1] ?? '';
    const at = (match.index ?? 0) + match[0].length - userInfo.length - 1;
    cut(at, at + userInfo.length, REDACTED);
  }
  for (const match of view.text.matchAll(BEARER_TOKEN))
    cut(match.index ?? 0, (match.index ?? 0) + match[0].length, `k8s-aws-v1.${REDACTED}`);
  return applyCuts(text, cuts);
}

/** Every string inside a JSON-like value passed through redactSecrets: the last guard before a file is written. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: a key called `__proto__` stays a plain key.
      Object.defineProperty(out, key, {
        value: redactDeep(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out as T;
  }
  return value;
}

interface Cut {
  start: number;
  end: number;
  replacement: string;
}

/** Replaces the spans (original offsets, end exclusive); overlapping spans merge into one redaction. */
function applyCuts(text: string, cuts: Cut[]): string {
  if (cuts.length === 0) return text;
  const merged: Cut[] = [];
  for (const c of [...cuts].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const previous = merged[merged.length - 1];
    if (previous && c.start < previous.end) {
      // Overlapping cuts (a known secret inside a signature parameter) become one plain redaction.
      if (c.end > previous.end) Object.assign(previous, { end: c.end, replacement: REDACTED });
    } else merged.push({ ...c });
  }
  let out = '';
  let position = 0;
  for (const c of merged) {
    out += text.slice(position, c.start) + c.replacement;
    position = c.end;
  }
  return out + text.slice(position);
}

/**
 * The text with `%XX` escapes decoded, repeatedly (a URL quoted inside a URL is encoded twice),
 * and for each decoded character the span of the original text it came from.
 */
function decodedView(text: string): { text: string; decoded: boolean; start: number[]; end: number[] } {
  if (!/%[0-9A-Fa-f]{2}/.test(text)) return { text, decoded: false, start: [], end: [] };
  let current = text;
  let start = Array.from({ length: text.length }, (_, i) => i);
  let end = Array.from({ length: text.length }, (_, i) => i + 1);
  for (let round = 0; round < 4 && current.includes('%'); round++) {
    let next = '';
    const nextStart: number[] = [];
    const nextEnd: number[] = [];
    let changed = false;
    for (let i = 0; i < current.length; i++) {
      const escape = current[i] === '%' ? /^[0-9A-Fa-f]{2}$/.exec(current.slice(i + 1, i + 3)) : null;
      if (escape) {
        // Bytes are read as Latin-1: parameter names and the secrets we look for are ASCII.
        next += String.fromCharCode(parseInt(escape[0], 16));
        nextStart.push(start[i] ?? 0);
        nextEnd.push(end[i + 2] ?? 0);
        i += 2;
        changed = true;
      } else {
        next += current[i];
        nextStart.push(start[i] ?? 0);
        nextEnd.push(end[i] ?? 0);
      }
    }
    if (!changed) break;
    current = next;
    start = nextStart;
    end = nextEnd;
  }
  return { text: current, decoded: true, start, end };
}
