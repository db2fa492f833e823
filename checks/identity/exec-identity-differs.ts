import { comment, pipe, run, sh } from '../../src/core/command.js';
import { shellTemplate } from '../../src/core/command.js';
import { sameArn } from '../../src/model/arn.js';
import type { Evidence } from '../../src/model/evidence.js';
import { defineCheck } from '../../src/core/types.js';
import { HARMLESS_ENV_NAMES } from '../../src/core/redact.js';
import { argValue, canonicalOf, execArn, liveClusterName, liveRegion, profileFlag } from './_live-shared.js';

type Message = 'differsFromTarget' | 'differsFromShell';

const FIX = {
  kubectl: `{updateKubeconfig}\nkubectl auth whoami   # Username and Extra: arn should now show {expectedArn}`,
  eksctl: `eksctl utils write-kubeconfig --cluster {cluster} --region {region} {profileFlag}`,
  aws: `{unsetKeys}\n{updateKubeconfig}\n# what the exec plugin resolves, as kubectl runs it:\n{execCheck}`,
  terraform: `# provider "kubernetes": name the identity in the exec args, not in inherited env\nexec {\n  api_version = "client.authentication.k8s.io/v1beta1"\n  command     = "aws"\n  args        = concat(["eks", "get-token", "--cluster-name", "{cluster}", "--region", "{region}"], {execArgs})\n}`,
  risks: [
    '`aws eks update-kubeconfig` rewrites the context of this cluster in the kubeconfig file (pass `--kubeconfig` to write another file); other contexts stay as they are.',
    '`--profile` in the exec args wins over stray AWS_ACCESS_KEY_ID in the environment; AWS_PROFILE in the exec env does not (the aws CLI prefers environment keys).',
    "IDEs and GUI tools (VS Code, Lens) do not read your shell's exports: anything the exec entry needs must be in the kubeconfig itself.",
  ],
};

/** Why the exec plugin may resolve another identity, from what the kubeconfig entry says. */
function causeOf(evidence: Evidence): string {
  const exec = evidence.kubeconfig?.exec;
  if (!exec) return '';
  const roleArn = argValue(exec.args, '--role-arn');
  const argProfile = argValue(exec.args, '--profile');
  const envProfile = exec.env.AWS_PROFILE;
  const shellProfile = evidence.credentialEnv?.profile;
  if (roleArn) return `; the exec entry assumes ${roleArn} (--role-arn)`;
  if (!argProfile && envProfile && evidence.credentialEnv?.staticKeys)
    return `; the exec entry sets AWS_PROFILE=${envProfile} in its env, but AWS_ACCESS_KEY_ID is set in the environment it inherits, and the aws CLI prefers those keys`;
  const profile = argProfile ?? envProfile;
  if (profile && shellProfile && profile !== shellProfile)
    return `; the exec entry uses profile ${profile}, this shell profile ${shellProfile}`;
  if (!profile)
    return '; the exec entry names no profile, so it uses whatever credentials the launching process has (IDEs and GUI tools do not inherit shell exports)';
  return '';
}

export default defineCheck<Message>({
  meta: {
    id: 'identity/exec-identity-differs',
    title: "kubeconfig's exec plugin resolves a different AWS identity than expected",
    severity: 'error',
    stage: 'client',
    ref: 'C04',
    needs: ['kubeconfig'],
    messages: {
      differsFromTarget: {
        text: '`kubectl` authenticates as {execArn}: that is what the exec plugin of context {context} ({command}) returned, not {expectedArn}, the principal under diagnosis{cause}.',
        remediation: 'Make the exec entry resolve {expectedArn}: regenerate it with the profile or role you mean.',
        fix: FIX,
      },
      differsFromShell: {
        text: '`kubectl` authenticates as {execArn}: that is what the exec plugin of context {context} ({command}) returned, while this shell is {expectedArn} ({callerSource}){cause}.',
        remediation: 'Make the exec entry resolve {expectedArn}: regenerate it with the profile or role you mean.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const arn = execArn(evidence);
    const exec = evidence.kubeconfig?.exec;
    if (!arn || !exec) return [];
    const target = simulation?.principal.canonicalArn;
    const caller = evidence.caller;
    const expected = target ?? (caller ? canonicalOf(caller.arn) : undefined);
    if (!expected || sameArn(canonicalOf(arn), expected)) return [];
    const knownProfile = evidence.credentialEnv?.profile ?? argValue(exec.args, '--profile') ?? exec.env.AWS_PROFILE;
    // The target role itself is what the entry should assume, unless this shell already is that role.
    const targetRole =
      simulation?.principal.kind === 'role' && !(caller && sameArn(canonicalOf(caller.arn), expected))
        ? simulation.principal.iamArn
        : undefined;
    const roleArn =
      evidence.assumeRole?.roleArn ?? argValue(exec.args, '--role-arn') ?? (knownProfile ? undefined : targetRole);
    const profile = knownProfile ?? (roleArn ? undefined : 'PROFILE');
    const extra = [...profileFlag(profile), ...(roleArn ? ['--role-arn', roleArn] : [])];
    const cluster = liveClusterName(evidence);
    const region = liveRegion(evidence);
    const envWords = Object.entries(exec.env)
      // Evidence keeps only harmless values (src/core/redact.ts); older evidence files may hold more.
      .filter(([k]) => HARMLESS_ENV_NAMES.has(k))
      .map(([k, v]) => `${k}=${v}`);
    return [
      {
        messageId: target ? 'differsFromTarget' : 'differsFromShell',
        subject: { kind: 'kubeconfig', name: evidence.kubeconfig?.context ?? '' },
        affectsPrincipal: true,
        data: {
          execArn: arn,
          expectedArn: expected,
          context: evidence.kubeconfig?.context ?? '',
          command: exec.command,
          callerSource: caller?.credentialSource ?? 'unknown source',
          cause: causeOf(evidence),
          cluster: cluster,
          region,
          profileFlag: profileFlag(profile),
          updateKubeconfig: shellTemplate('aws eks update-kubeconfig --name {cluster} --region {region} {extra}', {
            cluster,
            region,
            extra,
          }),
          unsetKeys: evidence.credentialEnv?.staticKeys
            ? [
                run(
                  sh`unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`,
                  'stray keys win over AWS_PROFILE',
                ),
              ]
            : [comment('no static keys in the environment')],
          execCheck: [
            pipe(
              envWords.length > 0 ? sh`env ${envWords} ${exec.command} ${exec.args}` : sh`${exec.command} ${exec.args}`,
              sh`eksauth decode-token -`,
            ),
          ],
          execArgs: [...profileFlag(profile), ...(roleArn ? ['--role-arn', roleArn] : [])],
        },
      },
    ];
  },
});
