import { renderScript, script, sh, shellTemplate } from '../../src/core/command.js';
import { defineCheck, type Hit } from '../../src/core/types.js';

import { execError, liveClusterName, liveRegion, profileFlag, profileOf } from './_live-shared.js';

type Message = 'noCredentials' | 'execNoCredentials';

/** What the AWS CLI, botocore and the JS SDK say when the whole chain comes up empty. */
const NO_CREDENTIALS =
  /Unable to locate credentials|NoCredentialProviders|Could not load credentials from any providers|no valid credential sources|no EC2 IMDS role found/i;

const FIX = {
  kubectl: `{login}\naws eks update-kubeconfig --name {cluster} --region {region} {profileFlag}\nkubectl get --raw /version`,
  eksctl: `{login}\neksctl utils write-kubeconfig --cluster {cluster} --region {region} {profileFlag}`,
  aws: `aws configure list {profileFlag}   # shows which link of the chain is empty\n{login}\naws sts get-caller-identity {profileFlag}`,
  terraform: `provider "aws" {\n  region  = "{region}"\n  profile = "{profileName}"\n}\n# provider "kubernetes" exec block:\n#   args = ["eks", "get-token", "--cluster-name", "{cluster}", "--region", "{region}", "--profile", "{profileName}"]`,
  risks: [
    'Do not paste long-lived access keys into kubeconfig, shell profiles or CI variables to get going: prefer IAM Identity Center (`aws configure sso`) or a role assumed through OIDC.',
    'On EC2, ECS or CodeBuild the chain ends at instance or container metadata: if that is empty, attach or fix the instance profile or task role rather than adding keys.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'identity/credentials-missing',
    title: 'No AWS credentials were found anywhere in the credential chain',
    severity: 'error',
    stage: 'client',
    needs: [],
    messages: {
      noCredentials: {
        text: 'No AWS credentials were found{profileNote} ({action}: {error}). Without credentials no EKS token can be minted, so the request never reaches the cluster.',
        remediation: 'Give the shell credentials, e.g. `{loginShort}`, and run the command again.',
        fix: FIX,
      },
      execNoCredentials: {
        text: 'The exec plugin of kubeconfig context {context} ({command} in {path}) found no AWS credentials: "{error}". kubectl gets no token, although this shell has credentials ({callerSource}).',
        remediation:
          'Make the exec entry name its credentials (`--profile` in its args), or start the tool from a shell that has them.',
        fix: FIX,
      },
    },
  },
  run({ evidence }) {
    const profile = profileOf(evidence);
    const common = {
      cluster: liveClusterName(evidence),
      region: liveRegion(evidence),
      profileFlag: profileFlag(profile),
      profileHint: profile ? ` with profile ${profile}` : '',
      profileName: profile ?? 'PROFILE',
      login: profile
        ? shellTemplate(
            'aws sso login --profile {profile}   # SSO profile; for access keys: aws configure --profile {profile}',
            {
              profile,
            },
          )
        : shellTemplate(
            'aws configure sso --profile PROFILE   # or: export AWS_PROFILE=PROFILE for an existing profile',
            {},
          ),
      loginShort: profile ? renderScript(script(sh`aws sso login --profile ${profile}`)) : 'aws configure sso',
    };
    const failure = evidence.failures?.caller;
    if (failure?.code === 'no-credentials') {
      const env = evidence.credentialEnv;
      const hit: Hit<Message> = {
        messageId: 'noCredentials',
        subject: { kind: 'credentials', name: profile ? `profile ${profile}` : 'default credential chain' },
        affectsPrincipal: true,
        data: {
          ...common,
          action: failure.action,
          error: failure.message.replace(/\.$/, ''),
          profileNote: env?.profile
            ? ` for profile ${env.profile} (from ${env.profileFrom ?? 'the configuration'})`
            : env
              ? ' (no profile selected and no AWS_ACCESS_KEY_ID in the environment)'
              : '',
        },
      };
      return [hit];
    }
    const error = execError(evidence);
    const exec = evidence.kubeconfig?.exec;
    if (error !== undefined && exec && NO_CREDENTIALS.test(error)) {
      return [
        {
          messageId: 'execNoCredentials',
          subject: { kind: 'kubeconfig', name: evidence.kubeconfig?.context ?? '' },
          affectsPrincipal: true,
          data: {
            ...common,
            context: evidence.kubeconfig?.context ?? '',
            path: evidence.kubeconfig?.path ?? '',
            command: exec.command,
            error,
            callerSource: evidence.caller
              ? `${evidence.caller.arn} from ${evidence.caller.credentialSource}`
              : 'not checked',
          },
        },
      ];
    }
    return [];
  },
});
