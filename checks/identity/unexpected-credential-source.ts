import { option, shellTemplate, type Script } from '../../src/core/command.js';
import { sameArn } from '../../src/model/arn.js';
import { defineCheck, type Hit } from '../../src/core/types.js';

import { argValue, canonicalOf, execArn, liveClusterName, liveRegion } from './_live-shared.js';

type Message = 'instanceRoleFallback' | 'staticKeysOverrideProfile' | 'execKeysOverrideProfile' | 'instanceRoleInUse';

const INSTANCE = /instance metadata|\bIMDS\b|instance profile/i;
const CONTAINER = /container|\bECS\b|pod identity/i;
const ENVIRONMENT = /^env/i;

const RISKS = [
  'Unsetting AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN changes who every later aws command in that shell runs as: check with `aws sts get-caller-identity`.',
  "Mapping the runner's instance role in EKS instead gives every job on that runner the same Kubernetes rights: prefer `--role-arn` for the role each job should use.",
];

const FIX = {
  kubectl: `aws eks update-kubeconfig --name {cluster} --region {region} {kubeconfigArgs}`,
  eksctl: `eksctl utils write-kubeconfig --cluster {cluster} --region {region} {eksctlArgs}`,
  aws: `{awsFix}`,
  terraform: `# provider "kubernetes": say which identity to use instead of relying on the default chain\nexec {\n  api_version = "client.authentication.k8s.io/v1beta1"\n  command     = "aws"\n  args        = concat(["eks", "get-token", "--cluster-name", "{cluster}", "--region", "{region}"], {execArgs})\n}`,
  risks: RISKS,
};

export default defineCheck<Message>({
  meta: {
    id: 'identity/unexpected-credential-source',
    title: 'The credential chain picked a source nobody asked for',
    severity: 'warning',
    stage: 'client',
    ref: 'C05',
    needs: ['caller'],
    messages: {
      instanceRoleFallback: {
        severity: 'error',
        text: "Profile {profile} was selected ({profileFrom}), yet the credentials came from {source}: the chain fell through to the machine's own role, {callerArn}.",
        remediation:
          'Fix profile {profile} (it yielded no credentials) or pass the role to use explicitly with `--role-arn`.',
        fix: FIX,
      },
      staticKeysOverrideProfile: {
        text: 'AWS_PROFILE={profile} is set, but the credentials came from {source} ({callerArn}): static keys in the environment take precedence over AWS_PROFILE.',
        remediation:
          'Unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or pass `--profile {profile}` explicitly.',
        fix: FIX,
      },
      execKeysOverrideProfile: {
        text: 'The exec entry of kubeconfig context {context} selects profile {profile} only through AWS_PROFILE in its env, and AWS_ACCESS_KEY_ID is set in the environment: the aws CLI it runs will use those keys, not the profile.',
        remediation: 'Put `--profile {profile}` in the exec args (regenerate the entry), or unset the stray keys.',
        fix: FIX,
      },
      instanceRoleInUse: {
        severity: 'info',
        text: "The identity being refused, {callerArn}, came from {source}: nothing selected a profile or a role, so the default chain used the machine's own role.",
        remediation: 'If another role was meant, pass it explicitly (`--role-arn`, or `--profile`).',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const caller = evidence.caller;
    if (!caller) return [];
    const env = evidence.credentialEnv;
    const exec = evidence.kubeconfig?.exec;
    const machineRole = INSTANCE.test(caller.credentialSource) || CONTAINER.test(caller.credentialSource);
    const profile = env?.profile;
    const roleArn = evidence.assumeRole?.roleArn ?? (exec ? argValue(exec.args, '--role-arn') : undefined);
    const callerIsTarget =
      simulation !== undefined &&
      evidence.assumeRole === undefined &&
      sameArn(canonicalOf(caller.arn), simulation.principal.canonicalArn);
    const targetRefused =
      callerIsTarget && simulation !== undefined && simulation.determined && !simulation.decision.authenticated;
    const cluster = liveClusterName(evidence);
    const region = liveRegion(evidence);
    const data = (fixProfile: string | undefined, awsFix: Script) => {
      const identity = [
        ...(fixProfile ? option('--profile', fixProfile) : []),
        ...(roleArn ? ['--role-arn', roleArn] : fixProfile ? [] : ['--role-arn', 'ROLE_ARN']),
      ];
      return {
        callerArn: caller.arn,
        source: caller.credentialSource,
        cluster,
        region,
        kubeconfigArgs: identity,
        eksctlArgs: fixProfile ? option('--profile', fixProfile) : [],
        execArgs: identity,
        awsFix,
      };
    };
    const hits: Hit<Message>[] = [];
    const subject = { kind: 'credentials' as const, name: caller.credentialSource };

    if (profile && machineRole) {
      hits.push({
        messageId: 'instanceRoleFallback',
        subject,
        affectsPrincipal: callerIsTarget,
        data: {
          ...data(
            profile,
            shellTemplate(
              'aws configure list --profile {profile}   # which link of the profile is empty\naws sts get-caller-identity --profile {profile}',
              { profile },
            ),
          ),
          profile,
          profileFrom: env?.profileFrom ?? 'configuration',
        },
      });
    } else if (
      profile &&
      env?.profileFrom === 'AWS_PROFILE' &&
      env.staticKeys &&
      ENVIRONMENT.test(caller.credentialSource)
    ) {
      hits.push({
        messageId: 'staticKeysOverrideProfile',
        subject,
        affectsPrincipal: targetRefused,
        data: {
          ...data(
            profile,
            shellTemplate(
              'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN\naws sts get-caller-identity --profile {profile}',
              { profile },
            ),
          ),
          profile,
        },
      });
    } else if (machineRole && !profile && !roleArn && targetRefused) {
      hits.push({
        messageId: 'instanceRoleInUse',
        subject,
        affectsPrincipal: true,
        data: data(
          undefined,
          shellTemplate(
            'aws sts get-caller-identity   # who the default chain is\naws sts assume-role --role-arn ROLE_ARN --role-session-name check   # can this machine become the intended role?',
            {},
          ),
        ),
      });
    }

    // The exec plugin will meet the same stray keys, unless it was run and resolved the right identity.
    const execProfileEnv = exec?.env.AWS_PROFILE;
    if (
      exec &&
      execProfileEnv &&
      argValue(exec.args, '--profile') === undefined &&
      env?.staticKeys &&
      /(^|\/)aws$/.test(exec.command) &&
      execArn(evidence) === undefined &&
      !hits.some((h) => h.messageId === 'staticKeysOverrideProfile')
    ) {
      hits.push({
        messageId: 'execKeysOverrideProfile',
        subject: { kind: 'kubeconfig', name: evidence.kubeconfig?.context ?? '' },
        affectsPrincipal: false,
        data: {
          ...data(
            execProfileEnv,
            shellTemplate(
              'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN\naws sts get-caller-identity --profile {profile}',
              { profile: execProfileEnv },
            ),
          ),
          profile: execProfileEnv,
          context: evidence.kubeconfig?.context ?? '',
        },
      });
    }
    return hits;
  },
});
