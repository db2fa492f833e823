import { isInstanceId } from './arn.js';
import { fail, ok, type Result } from './result.js';

/** The variables the authenticator substitutes, in its order (pkg/server/server.go renderTemplate). */
export const KNOWN_TEMPLATE_VARIABLES = [
  'EC2PrivateDNSName',
  'AccountID',
  'SessionName',
  'SessionNameRaw',
  'AccessKeyID',
] as const;

export interface TemplateContext {
  accountId: string;
  /** undefined when the session name is not known (offline, a role without --session-name). */
  sessionName?: string;
  accessKeyId?: string;
}

/** `{{…}}` names in a template that the authenticator does not know; it leaves them in as text. */
export function unknownTemplateVariables(template: string): string[] {
  return (
    [...template.matchAll(/\{\{([^{}]*)\}\}/g)]
      // Stryker disable next-line StringLiteral: the regex's one group always takes part in a match
      .map((m) => m[1] ?? '')
      .filter((name) => !(KNOWN_TEMPLATE_VARIABLES as readonly string[]).includes(name))
  );
}

/**
 * Renders a username or group template. EC2PrivateDNSName needs an instance-id session and an
 * EC2 lookup we cannot do offline, so it renders as a readable placeholder. Unknown values stay
 * as their `{{…}}` text so the reader sees what depends on them.
 */
export function renderTemplate(template: string, context: TemplateContext): Result<string> {
  let out = template;
  if (out.includes('{{EC2PrivateDNSName}}')) {
    if (context.sessionName !== undefined && !isInstanceId(context.sessionName)) {
      return fail(`error rendering username template "${template}": SessionName did not contain an instance id`);
    }
    const node =
      context.sessionName !== undefined ? `<private DNS name of ${context.sessionName}>` : '{{EC2PrivateDNSName}}';
    out = out.replaceAll('{{EC2PrivateDNSName}}', node);
  }
  out = out.replaceAll('{{AccountID}}', context.accountId);
  if (context.sessionName !== undefined) {
    out = out.replaceAll('{{SessionName}}', context.sessionName.replaceAll('@', '-'));
    out = out.replaceAll('{{SessionNameRaw}}', context.sessionName);
  }
  if (context.accessKeyId !== undefined) out = out.replaceAll('{{AccessKeyID}}', context.accessKeyId);
  return ok(out);
}
