import { glossaryUrl } from '../core/docs-url.js';

/** Terms an on-call engineer may not know, with the glossary anchor that explains each. */
const TERMS: { pattern: RegExp; term: string; anchor: string }[] = [
  { pattern: /aws-auth/, term: 'aws-auth ConfigMap', anchor: 'aws-auth' },
  { pattern: /access (entry|entries)/i, term: 'access entry', anchor: 'access-entry' },
  { pattern: /access polic/i, term: 'access policy', anchor: 'access-policy' },
  {
    pattern: /CONFIG_MAP|API_AND_CONFIG_MAP|authentication mode/,
    term: 'authentication mode',
    anchor: 'authentication-mode',
  },
  { pattern: /canonical (IAM )?ARN|canonical form|canonicalis/i, term: 'canonical ARN', anchor: 'canonical-arn' },
  {
    pattern: /created the cluster|cluster[ -]creator|\bthe creator\b/i,
    term: 'cluster creator',
    anchor: 'cluster-creator',
  },
  { pattern: /system:masters/, term: 'system:masters', anchor: 'system-masters' },
  { pattern: /\{\{SessionName\}\}|session name/i, term: 'session name templates', anchor: 'session-name' },
  { pattern: /mapAccounts/, term: 'mapAccounts', anchor: 'map-accounts' },
  { pattern: /IAM path|\bpath (of|in) the (role|user|ARN)/i, term: 'IAM path', anchor: 'iam-path' },
];

/**
 * The glossary entries for terms the given text uses. Patterns name the term itself, not a word
 * it shares with ordinary prose (`creator`, `path`, `canonical`), so the list stays short.
 */
export function termsUsed(text: string): { term: string; url: string }[] {
  return TERMS.filter((t) => t.pattern.test(text)).map((t) => ({ term: t.term, url: glossaryUrl(t.anchor) }));
}
