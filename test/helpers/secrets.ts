import type { IssuedCredentials } from '../../src/sandbox/credentials.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import type { Scenario } from '../../src/sandbox/scenario/types.js';

/** A value that must never be printed or saved, with a label that names it in a failure (never the value). */
export interface Secret {
  label: string;
  value: string;
}

type KeyLike = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function credentialSecrets(who: string, c: KeyLike): Secret[] {
  return [
    { label: `${who}: secret access key`, value: c.secretAccessKey },
    { label: `${who}: full access key id`, value: c.accessKeyId },
    ...(c.sessionToken ? [{ label: `${who}: session token`, value: c.sessionToken }] : []),
  ];
}

/** The long-term keys a scenario defines (what a spawned CLI run can leak without a sandbox at hand). */
export function scenarioSecrets(scenario: Scenario): Secret[] {
  return scenario.principals.flatMap((p) => p.accessKeys.flatMap((key) => credentialSecrets(`${p.id} key`, key)));
}

/**
 * Everything secret a sandbox run can hold: the scenario's secret keys and full access key ids,
 * the sessions it hands out (secret key, session token, key id), and any session the sandbox's
 * STS issued during the run (`issued`, e.g. doctor's AssumeRole).
 */
export function sandboxSecrets(sandbox: Sandbox, issued: readonly IssuedCredentials[] = []): Secret[] {
  const secrets = scenarioSecrets(sandbox.scenario);
  const session = (who: string, c: KeyLike) => secrets.push(...credentialSecrets(who, c));
  for (const principal of sandbox.scenario.principals) {
    try {
      session(`${principal.id} credentials`, sandbox.credentialsFor(principal.id));
    } catch {
      // Some principals cannot be given credentials (a role nobody may assume): nothing to leak.
    }
  }
  for (const c of issued) session(`issued session ${c.caller.arn}`, c);
  for (const entry of sandbox.requestLog.entries)
    if (entry.accessKeyId) secrets.push({ label: `request log key id`, value: entry.accessKeyId });
  return secrets;
}

/** Shapes that are secret whatever their value: a bearer token, a presigned URL's signature or session token. */
const SECRET_SHAPES: { label: string; pattern: RegExp }[] = [
  { label: 'bearer token', pattern: /k8s-aws-v1\.[A-Za-z0-9_-]{16}/i },
  { label: 'signature', pattern: /x-amz-signature=[0-9a-f]{16}/i },
  { label: 'session token parameter', pattern: /x-amz-security-token=[A-Za-z0-9+/]{16}/i },
  { label: 'full access key id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/ },
];

/** `%XX` decoded until nothing changes, so an encoded secret is found too. */
function percentDecoded(text: string): string {
  let current = text;
  for (let round = 0; round < 4; round++) {
    const next = current.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The labels of every secret (and secret shape) found in `text`, as written or percent-decoded. */
export function leaksIn(text: string, secrets: readonly Secret[]): string[] {
  const forms = [text, percentDecoded(text)];
  const found = new Set<string>();
  for (const form of forms) {
    for (const { label, value } of secrets) if (value.length >= 8 && form.includes(value)) found.add(label);
    for (const { label, pattern } of SECRET_SHAPES) if (pattern.test(form)) found.add(label);
  }
  return [...found];
}
