import { CHECKS } from '../../../checks/index.js';
import { diagnose } from '../../core/diagnose.js';
import { accessEntriesFromJson } from '../../inputs/access-entries.js';
import { clusterInfoFromJson } from '../../inputs/cluster-info.js';
import { fargateProfilesFromJson, nodegroupsFromJson } from '../../inputs/compute.js';
import { rbacFromJson } from '../../inputs/rbac.js';
import { canonicalizeArn } from '../../model/arn.js';
import { parseAwsAuth } from '../../model/aws-auth/parse.js';
import type { AuthenticationMode, Evidence } from '../../model/evidence.js';
import { creatorFromArn, principalFromArn } from '../../model/principal.js';
import type { Result } from '../../model/result.js';
import { UsageError } from '../errors.js';
import { INPUT_LIMITS, parseJsonInput, readInput } from '../io.js';
import { emitReport, type CommonArgs } from './shared.js';

export interface ExplainArgs extends CommonArgs {
  principal: string;
  sessionName?: string | undefined;
  awsAuth?: string | undefined;
  clusterInfo?: string | undefined;
  accessEntries?: string | undefined;
  mode?: AuthenticationMode | undefined;
  creator?: string | undefined;
  nodegroups?: string | undefined;
  fargateProfiles?: string | undefined;
  rbac?: string | undefined;
}

/** `eksauth explain`: builds evidence from files people can paste, then simulates EKS. */
export function runExplain(args: ExplainArgs): void {
  const evidence = evidenceFromArgs(args);
  emitReport(diagnose('explain', evidence, CHECKS), args, args.awsAuth);
}

export function evidenceFromArgs(args: ExplainArgs): Evidence {
  const principal = principalFromArn(args.principal, args.sessionName);
  if (!principal.ok) throw new UsageError(`--principal: ${principal.error}`);
  const evidence: Evidence = { principal: principal.value };
  if (args.awsAuth !== undefined) {
    const parsed = parseAwsAuth(readInput(args.awsAuth, '--aws-auth', INPUT_LIMITS.configMap));
    if (!parsed.ok) throw new UsageError(`--aws-auth ${args.awsAuth}: ${parsed.error}`);
    evidence.awsAuth = { state: 'present', configMap: parsed.value };
  }
  if (args.clusterInfo !== undefined)
    evidence.cluster = jsonOption(args.clusterInfo, '--cluster-info', INPUT_LIMITS.awsJson, clusterInfoFromJson);
  if (args.mode !== undefined)
    evidence.cluster = { ...(evidence.cluster ?? { name: 'CLUSTER_NAME' }), authenticationMode: args.mode };
  if (args.accessEntries !== undefined)
    evidence.accessEntries = jsonOption(
      args.accessEntries,
      '--access-entries',
      INPUT_LIMITS.awsJson,
      accessEntriesFromJson,
    );
  if (args.nodegroups !== undefined)
    evidence.nodegroups = jsonOption(args.nodegroups, '--nodegroups', INPUT_LIMITS.awsJson, nodegroupsFromJson);
  if (args.fargateProfiles !== undefined)
    evidence.fargateProfiles = jsonOption(
      args.fargateProfiles,
      '--fargate-profiles',
      INPUT_LIMITS.awsJson,
      fargateProfilesFromJson,
    );
  if (args.rbac !== undefined) evidence.rbac = jsonOption(args.rbac, '--rbac', INPUT_LIMITS.rbac, rbacFromJson);
  if (args.creator !== undefined) {
    const creator = canonicalizeArn(args.creator.trim());
    if (!creator.ok) throw new UsageError(`--creator: ${creator.error}`);
    evidence.creator = creatorFromArn(args.creator, 'flag');
  }
  return evidence;
}

function jsonOption<T>(path: string, flag: string, maxBytes: number, convert: (json: unknown) => Result<T>): T {
  const result = convert(parseJsonInput(readInput(path, flag, maxBytes), path, flag));
  if (!result.ok) throw new UsageError(`${flag} ${path}: ${result.error}`);
  return result.value;
}
