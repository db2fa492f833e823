import { comment, pipe, run, script, sh } from '../../src/core/command.js';
import { shellTemplate } from '../../src/core/command.js';
import { sameArn } from '../../src/model/arn.js';
import type { Evidence } from '../../src/model/evidence.js';
import { defineCheck } from '../../src/core/types.js';
import { argValue, canonicalOf, execArn, liveClusterName, liveRegion, profileFlag } from './_live-shared.js';

/**
 * The identity the regenerated exec entry must resolve, as update-kubeconfig flags: never the
 * exec entry's own `--role-arn` or (used without a role) its profile, which are what resolved the
 * wrong identity. A target role is assumed with `--role-arn` (the role doctor assumed, else the
 * diagnosed one), from the shell's profile, else the entry's (only a source then, not the culprit).
 * Otherwise the shell's own profile when the shell is the expected identity and a profile (not
 * stray keys) made it so; else a placeholder, PROFILE, and `choose` says what it must be.
 */
function rightIdentity(
  evidence: Evidence,
  expected: string,
  targetRoleArn: string | undefined,
  execArnValue: string,
): { profile?: string; roleArn?: string; choose?: string } {
  const exec = evidence.kubeconfig?.exec;
  const argProfile = exec ? argValue(exec.args, '--profile') : undefined;
  const envProfile = exec?.env.AWS_PROFILE;
  const execProfileName = argProfile ?? envProfile;
  const env = evidence.credentialEnv;
  // AWS_PROFILE in the entry's env lost to inherited keys: that profile is what the entry meant, not what resolved.
  const keysWon = argProfile === undefined && envProfile !== undefined && env?.staticKeys === true;
  const shellProfile = env?.profile !== undefined && !env.staticKeys ? env.profile : undefined;
  const caller = evidence.caller;
  const shellIsExpected = caller !== undefined && sameArn(canonicalOf(caller.arn), expected);
  const targetRole = evidence.assumeRole?.roleArn ?? (shellIsExpected ? undefined : targetRoleArn);
  if (targetRole) {
    const profile = shellProfile ?? execProfileName;
    return { roleArn: targetRole, ...(profile !== undefined ? { profile } : {}) };
  }
  if (shellIsExpected && shellProfile !== undefined) return { profile: shellProfile };
  if (keysWon) return { profile: envProfile };
  const resolvedByProfile = execProfileName !== undefined && !(exec && argValue(exec.args, '--role-arn'));
  const not = resolvedByProfile ? ` (not ${execProfileName}: it resolves to ${execArnValue})` : '';
  return {
    profile: 'PROFILE',
    choose: `PROFILE: choose the profile whose credentials are ${expected}${not}; doctor cannot tell which profile that is`,
  };
}

type Message = 'differsFromTarget' | 'differsFromShell';

const FIX = {
  kubectl: `{updateKubeconfig}\nkubectl auth whoami   # Username and Extra: arn should now show {expectedArn}`,
  eksctl: `{writeKubeconfig}`,
  aws: `{unsetKeys}\n{updateKubeconfig}\n# what the regenerated exec entry resolves, as kubectl runs it:\n{execCheck}`,
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
    const right = rightIdentity(
      evidence,
      expected,
      simulation?.principal.kind === 'role' ? simulation.principal.iamArn : undefined,
      arn,
    );
    const extra = [...profileFlag(right.profile), ...(right.roleArn ? ['--role-arn', right.roleArn] : [])];
    const cluster = liveClusterName(evidence);
    const region = liveRegion(evidence);
    const choose = right.choose ? [comment(right.choose)] : [];
    // What the regenerated entry runs: `aws eks update-kubeconfig` puts the profile in the entry's env
    // as AWS_PROFILE and the role in its args.
    const newEnv = right.profile ? [`AWS_PROFILE=${right.profile}`] : [];
    const newArgs = ['--region', region, 'eks', 'get-token', '--cluster-name', cluster];
    const roleArgs = right.roleArn ? ['--role-arn', right.roleArn] : [];
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
          writeKubeconfig: [
            ...choose,
            ...script(
              sh`eksctl utils write-kubeconfig --cluster ${cluster} --region ${region} ${profileFlag(right.profile)} ${right.roleArn ? ['--authenticator-role-arn', right.roleArn] : []}`,
            ),
          ],
          updateKubeconfig: [
            ...choose,
            ...shellTemplate('aws eks update-kubeconfig --name {cluster} --region {region} {extra}', {
              cluster,
              region,
              extra,
            }),
          ],
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
              newEnv.length > 0 ? sh`env ${newEnv} aws ${newArgs} ${roleArgs}` : sh`aws ${newArgs} ${roleArgs}`,
              sh`eksauth decode-token -`,
            ),
          ],
          execArgs: extra,
        },
      },
    ];
  },
});
