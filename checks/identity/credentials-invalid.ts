import { defineCheck, type Hit } from '../../src/core/types.js';

import { REJECTED_CREDENTIAL_CODES } from '../../src/collect/failures.js';
import { renderScript, run, sh } from '../../src/core/command.js';
import { profileFlag, profileOf } from './_live-shared.js';

type Message = 'wrongSecret' | 'unknownKey';

const FIX = {
  kubectl: `aws configure list {profileFlag}   # which source answers, and its key id\n{renew}\nkubectl get --raw /version`,
  eksctl: `{renew}\neksctl get cluster --region {region} {profileFlag}`,
  aws: `aws configure list {profileFlag}   # which source answers, and its key id\n{renew}\naws sts get-caller-identity {profileFlag}`,
  terraform: `# Terraform reads the same chain: fix the source named above, then\n# aws sts get-caller-identity {profileFlag}\n# before plan/apply.`,
  risks: [
    'Stale AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN exported in the shell win over every profile: unset them when the profile is what you meant.',
    'A session token belongs to one access key id: exporting a new key pair beside an old AWS_SESSION_TOKEN (or the reverse) is refused the same way.',
    'Deactivating or deleting an access key is immediate for every program that uses it: rotate with a second key, not by deleting the only one.',
  ],
};

/**
 * AWS refused the caller's own credentials before reading any policy. This is the environment
 * eksauth runs in, not the cluster: until it is fixed nothing about the cluster can be known.
 */
export default defineCheck<Message>({
  meta: {
    id: 'identity/credentials-invalid',
    title: "AWS rejects the caller's credentials (wrong secret key, unknown key id or session token)",
    severity: 'error',
    stage: 'client',
    needs: [],
    messages: {
      wrongSecret: {
        text: 'AWS refused the credentials from {source} on {action} with {code}: the secret access key does not belong to access key id {keyNote}. Nothing AWS or the cluster holds could be read with them, so nothing about the cluster is diagnosed yet.',
        remediation: '{remedy}.',
        fix: FIX,
      },
      unknownKey: {
        text: "AWS refused the credentials from {source} on {action} with {code}: it does not know that access key id, or the session token is not that key's (deleted or deactivated key, a mistyped or truncated value, a session token left over from other credentials). Nothing AWS or the cluster holds could be read with them, so nothing about the cluster is diagnosed yet.",
        remediation: '{remedy}.',
        fix: FIX,
      },
    },
  },
  run({ evidence }) {
    const failure = evidence.failures?.caller;
    if (failure?.code !== 'bad-credentials') return [];
    const code = failure.awsCode ?? /\b([A-Z][A-Za-z]+)\b:/.exec(failure.message)?.[1] ?? 'an authentication error';
    const env = evidence.credentialEnv;
    const profile = profileOf(evidence);
    const source = env?.source ?? (profile ? `profile ${profile}` : 'the default credential chain');
    const fromEnv = /^environment variables/.test(source) || (env?.staticKeys === true && !env.profile);
    const sso = /^SSO/.test(source);
    const remedy = fromEnv
      ? 'Export the matching AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN only with the keys it was issued with), or unset all three to fall back to a profile'
      : sso
        ? `Log in again with \`${renderScript([run(sh`aws sso login ${profileFlag(profile)}`)])}\`; if that does not help, unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which win over the profile`
        : `Correct the key pair of ${profile ? `profile ${profile}` : 'the default profile'} (\`${renderScript([run(sh`aws configure ${profileFlag(profile)}`)])}\`) or issue a new access key for that IAM user`;
    const renew = fromEnv
      ? [
          run(
            sh`unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`,
            'then export a matching set, or use a profile',
          ),
        ]
      : sso
        ? [run(sh`aws sso login ${profileFlag(profile)}`)]
        : [run(sh`aws configure ${profileFlag(profile)}`, 'enter the key id and its own secret')];
    const hit: Hit<Message> = {
      messageId: code === 'SignatureDoesNotMatch' ? 'wrongSecret' : 'unknownKey',
      subject: { kind: 'credentials', name: profile ? `profile ${profile}` : source },
      affectsPrincipal: true,
      data: {
        source,
        action: failure.action,
        code,
        keyNote: /\(AWS_ACCESS_KEY_ID ([^)]+)\)/.exec(source)?.[1] ?? 'in use',
        remedy,
        renew,
        region: evidence.clusterLookup?.region ?? evidence.cluster?.region ?? 'REGION',
        profileFlag: profileFlag(profile),
      },
    };
    return [hit];
  },
});

/** An AssumeRole refused for these codes is the caller's credentials, not the role's trust policy. */
export const isRejectedCredentialCode = (code: string): boolean => REJECTED_CREDENTIAL_CODES.test(code);
