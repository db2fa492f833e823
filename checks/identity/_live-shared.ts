import { option, script, sh, type Script } from '../../src/core/command.js';
import { canonicalizeArn } from '../../src/model/arn.js';
import type { Evidence, KubeconfigFacts } from '../../src/model/evidence.js';

/** Helpers shared by the checks that read live evidence (doctor): names for fix commands. */

/** The value of `--flag X` or `--flag=X` in an argument list. */
export function argValue(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === flag) return args[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}

/** The profile kubeconfig's exec entry asks for: `--profile` in its args, else AWS_PROFILE in its env. */
export function execProfile(kubeconfig: KubeconfigFacts | undefined): string | undefined {
  const exec = kubeconfig?.exec;
  if (!exec) return undefined;
  return argValue(exec.args, '--profile') ?? exec.env.AWS_PROFILE;
}

/** The profile a fix should name: the one selected for this run, else kubeconfig's. */
export const profileOf = (evidence: Evidence): string | undefined =>
  evidence.credentialEnv?.profile ?? execProfile(evidence.kubeconfig);

export const liveClusterName = (evidence: Evidence): string =>
  evidence.cluster?.name ?? evidence.clusterLookup?.name ?? 'CLUSTER_NAME';

export const liveRegion = (evidence: Evidence): string =>
  evidence.cluster?.region ?? evidence.clusterLookup?.region ?? 'REGION';

/** `--profile P` as words, or none. */
export const profileFlag = (profile: string | undefined): string[] => (profile ? option('--profile', profile) : []);

/** The error kubeconfig's exec plugin failed with, when it was run and failed. */
export function execError(evidence: Evidence): string | undefined {
  const identity = evidence.kubeconfig?.execIdentity;
  return identity && 'error' in identity ? identity.error : undefined;
}

/** The ARN of the token kubeconfig's exec plugin returned, when it was run and worked. */
export function execArn(evidence: Evidence): string | undefined {
  const identity = evidence.kubeconfig?.execIdentity;
  return identity && 'arn' in identity ? identity.arn : undefined;
}

/** The canonical form of an ARN (what the authenticator matches), or the ARN itself if it does not parse. */
export function canonicalOf(arn: string): string {
  const parsed = canonicalizeArn(arn);
  return parsed.ok ? parsed.value.canonicalArn : arn;
}

/** `aws eks update-kubeconfig --name C --region R [--profile P] [--role-arn A]`. */
export function updateKubeconfig(evidence: Evidence, extra: readonly string[] = []): Script {
  return script(
    sh`aws eks update-kubeconfig --name ${liveClusterName(evidence)} --region ${liveRegion(evidence)} ${[...extra]}`,
  );
}
