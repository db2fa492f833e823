import { creatorSourceWords } from '../model/principal.js';
import type { Evidence } from '../model/evidence.js';
import { parseAwsAuth } from '../model/aws-auth/parse.js';
import type { AwsAuth, BlockKey } from '../model/aws-auth/types.js';
import { isSeq, parseDocument, stringify } from 'yaml';
import { option, sh, withStdin, type Command, type Script } from './command.js';
import type { FixStep } from './types.js';

/** Where fix commands act: the cluster, its region, and the profile the run used (if any). */
export interface FixTarget {
  cluster: string;
  region: string;
  profile?: string;
}

/** The profile the run used: `--profile`/AWS_PROFILE, else the one kubeconfig's exec entry names. */
function profileOf(evidence: Evidence): string | undefined {
  if (evidence.credentialEnv?.profile) return evidence.credentialEnv.profile;
  const exec = evidence.kubeconfig?.exec;
  if (!exec) return undefined;
  const at = exec.args.indexOf('--profile');
  const inline = exec.args.find((a) => a.startsWith('--profile='));
  return (at >= 0 ? exec.args[at + 1] : inline?.slice('--profile='.length)) ?? exec.env.AWS_PROFILE;
}

export function fixTarget(evidence: Evidence): FixTarget {
  const profile = profileOf(evidence);
  return {
    cluster: evidence.cluster?.name ?? evidence.clusterLookup?.name ?? 'CLUSTER_NAME',
    region: evidence.cluster?.region ?? evidence.clusterLookup?.region ?? 'REGION',
    ...(profile !== undefined ? { profile } : {}),
  };
}

/** `--region R [--profile P]`: every aws CLI and eksctl command names both. */
export const regionArgs = (t: FixTarget): string[] => [
  ...option('--region', t.region),
  ...(t.profile !== undefined ? option('--profile', t.profile) : []),
];

/** `aws eks <sub> --cluster-name C --region R [--profile P] …` (update-kubeconfig and describe use `--name`). */
export const awsEks = (t: FixTarget, subcommand: string, args: readonly string[] = []): Command => {
  const nameFlag = ['update-cluster-config', 'describe-cluster', 'update-kubeconfig'].includes(subcommand)
    ? '--name'
    : '--cluster-name';
  return sh`aws eks ${subcommand} ${nameFlag} ${t.cluster} ${regionArgs(t)} ${[...args]}`;
};

/** `eksctl <verb> <noun> --cluster C --region R [--profile P] …`. */
export const eksctl = (t: FixTarget, verb: string, noun: string, args: readonly string[] = []): Command =>
  sh`eksctl ${verb} ${noun} --cluster ${t.cluster} ${regionArgs(t)} ${[...args]}`;

export const eksctlGroupArgs = (groups: readonly string[]): string[] => groups.flatMap((g) => option('--group', g));

const AWS_AUTH_PATCH_PREFIX = [
  'kubectl',
  'patch',
  'configmap',
  'aws-auth',
  '-n',
  'kube-system',
  '--type',
  'merge',
  '-p',
];

/** The data an `awsAuthPatch` command writes (null deletes a key), or undefined for any other argv. */
export function awsAuthPatchData(argv: readonly string[]): Record<string, string | null> | undefined {
  if (argv.length !== AWS_AUTH_PATCH_PREFIX.length + 1 || AWS_AUTH_PATCH_PREFIX.some((w, i) => argv[i] !== w))
    return undefined;
  try {
    const body = JSON.parse(argv[AWS_AUTH_PATCH_PREFIX.length] ?? '') as { data?: unknown };
    return typeof body.data === 'object' && body.data !== null
      ? (body.data as Record<string, string | null>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ConfigMap as EKS would read it once a merge patch of `data` is applied to the text the
 * evidence holds (every block and miscased key), or undefined when there is none or it does not load.
 */
export function awsAuthAfterPatch(
  evidence: Evidence,
  patch: Readonly<Record<string, string | null>>,
): AwsAuth | undefined {
  if (evidence.awsAuth?.state !== 'present') return undefined;
  const { configMap } = evidence.awsAuth;
  const data: Record<string, string> = {};
  for (const [key, block] of Object.entries(configMap.blocks))
    if (block.presence !== 'absent' && block.raw !== undefined) data[key] = block.raw;
  for (const miscased of configMap.miscasedKeys) data[miscased.key] = miscased.text;
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(data, key);
    else data[key] = value;
  }
  const metadata = { name: 'aws-auth', namespace: 'kube-system', ...configMap.metadata };
  const parsed = parseAwsAuth(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data }));
  return parsed.ok ? parsed.value : undefined;
}

/**
 * The aws-auth ConfigMap's blocks as a `kubectl patch` merge body, with the resourceVersion it was
 * read at; a null value removes that data key (a miscased `maproles` renamed to `mapRoles`).
 */
export function awsAuthPatch(
  evidence: Evidence,
  data: Partial<Record<BlockKey, string>> | Readonly<Record<string, string | null>>,
): Command {
  const resourceVersion =
    evidence.awsAuth?.state === 'present' ? evidence.awsAuth.configMap.metadata.resourceVersion : undefined;
  const body = {
    // With the version it was read at, the API server refuses the patch (409) if someone changed it since.
    ...(resourceVersion !== undefined ? { metadata: { resourceVersion } } : {}),
    data,
  };
  return sh`kubectl patch configmap aws-auth -n kube-system --type merge -p ${JSON.stringify(body)}`;
}

export interface RowEdit {
  block: 'mapRoles' | 'mapUsers';
  index: number;
  /** Fields to set on the row (`rolearn`, `username`, `groups`…); undefined deletes the row. */
  set?: Record<string, string | string[]>;
}

/**
 * The text of the blocks after the edits, from the text EKS holds (comments and order kept), or
 * undefined when a block does not parse, or EKS would still drop it after the edits
 * (aws-auth/yaml-invalid's fix comes first then).
 */
export function editedBlocks(
  evidence: Evidence,
  edits: readonly RowEdit[],
): Partial<Record<BlockKey, string>> | undefined {
  if (evidence.awsAuth?.state !== 'present') return undefined;
  const out: Partial<Record<BlockKey, string>> = {};
  for (const block of ['mapRoles', 'mapUsers'] as const) {
    const mine = edits.filter((e) => e.block === block);
    if (mine.length === 0) continue;
    const raw = evidence.awsAuth.configMap.blocks[block].raw;
    if (raw === undefined) return undefined;
    const doc = parseDocument(raw);
    if (doc.errors.length > 0) return undefined;
    // Deletions from the end, so earlier indexes stay valid.
    for (const edit of [...mine].sort((a, b) => b.index - a.index)) {
      if (!doc.hasIn([edit.index])) return undefined;
      if (edit.set === undefined) doc.deleteIn([edit.index]);
      else for (const [key, value] of Object.entries(edit.set)) doc.setIn([edit.index, key], value);
    }
    out[block] = doc.toString({ lineWidth: 0 });
  }
  // The yaml library reads some blocks go-yaml refuses; an edit that leaves a block EKS drops
  // (an edited row beside a broken one) is no exact fix. An edit that repairs the block passes.
  const after = awsAuthAfterPatch(evidence, out);
  if (!after || Object.keys(out).some((block) => after.blocks[block as BlockKey].dropped)) return undefined;
  return out;
}

/** aws CLI and eksctl commands that act on a cluster (not `aws --version`, not eksctl with a config file). */
const takesTargetFlags = (argv: readonly string[]): boolean => {
  const [program, first] = argv;
  if (program !== 'aws' && program !== 'eksctl') return false;
  if (first === undefined || first.startsWith('-') || first === 'version' || first === 'help') return false;
  // eksctl refuses --region next to a config file (the file names the region); eksctlEntryCommand adds --profile itself.
  return !(
    program === 'eksctl' && argv.some((a) => a === '-f' || a === '--config-file' || a.startsWith('--config-file='))
  );
};

const hasFlag = (argv: readonly string[], flag: string): boolean =>
  argv.some((a) => a === flag || a.startsWith(`${flag}=`));

/** A command with the cluster's `--region`, and the run's `--profile`, when it lacks them. */
export function withTarget(command: Command, t: FixTarget, options: { profile: boolean }): Command {
  if (!takesTargetFlags(command.argv)) return command;
  const argv = [...command.argv];
  // `aws configure` and `aws sso` set up credentials: a region there would only muddle what they show.
  const local = argv[0] === 'aws' && (argv[1] === 'configure' || argv[1] === 'sso');
  if (!local && !hasFlag(argv, '--region')) argv.push('--region', t.region);
  if (options.profile && t.profile !== undefined && !hasFlag(argv, '--profile')) argv.push('--profile', t.profile);
  return { ...command, argv };
}

/** Whether the step rewrites aws-auth (a Kubernetes object the blocked principal cannot write). */
function writesAwsAuth(step: FixStep): boolean {
  if (step.key?.startsWith('aws-auth:')) return true;
  const commands = [...(step.kubectl ?? []), ...(step.eksctl ?? [])].flatMap((l) =>
    l.kind === 'run' ? l.chain.flat() : [],
  );
  return commands.some(
    ({ argv }) =>
      (argv[0] === 'kubectl' &&
        ['patch', 'replace', 'apply', 'edit'].includes(argv[1] ?? '') &&
        argv.includes('aws-auth')) ||
      (argv[0] === 'eksctl' && argv[2] === 'iamidentitymapping' && argv[1] !== 'get'),
  );
}

/** Who may write aws-auth: the creator when CloudTrail (or the user) named one, else any system:masters member. */
export function awsAuthWriter(evidence: Evidence): string {
  const creator = evidence.creator;
  if (!creator) return 'someone who may write the aws-auth ConfigMap in kube-system (a system:masters member)';
  return `someone who may write the aws-auth ConfigMap in kube-system: the cluster creator ${creator.arn} (${creatorSourceWords(creator)}), or a system:masters member`;
}

/** The diagnosis ran as the principal it diagnoses (no role assumed, no target credentials). */
const ranAsPrincipal = (evidence: Evidence): boolean => !evidence.assumeRole && !evidence.targetCaller;

/**
 * The one place fix steps are completed from the evidence: a step that rewrites aws-auth says who
 * may run it, and every aws CLI and eksctl command carries the cluster's `--region`, and
 * `--profile` when the run used one, except in a step that needs another identity when the run's
 * profile is the blocked principal's own (that step says whose credentials to use instead).
 */
export function targetSteps(steps: readonly FixStep[], evidence: Evidence): FixStep[] {
  const t = fixTarget(evidence);
  return steps.map((step) => {
    const identity = step.identity ?? (writesAwsAuth(step) ? awsAuthWriter(evidence) : undefined);
    const options = { profile: identity === undefined || !ranAsPrincipal(evidence) };
    const target = (lines: Script | undefined): Script | undefined =>
      lines?.map((line) =>
        line.kind === 'run'
          ? { ...line, chain: line.chain.map((pipeline) => pipeline.map((c) => withTarget(c, t, options))) }
          : line,
      );
    const out: FixStep = { ...step, ...(identity !== undefined ? { identity } : {}) };
    for (const dialect of ['kubectl', 'eksctl', 'aws'] as const) {
      const lines = target(step[dialect]);
      if (lines) out[dialect] = lines;
    }
    return out;
  });
}

/**
 * The block's text with `row` added at the end (comments and order kept), or undefined when the
 * block does not parse (its own check's fix comes first then). An absent block becomes a new list.
 */
export function appendedBlock(
  evidence: Evidence,
  block: 'mapRoles' | 'mapUsers',
  row: Record<string, string | string[]>,
): Partial<Record<BlockKey, string>> | undefined {
  return appendedRows(evidence, block, [row]);
}

/** The block's text with `rows` added at the end, in order: see appendedBlock. */
export function appendedRows(
  evidence: Evidence,
  block: 'mapRoles' | 'mapUsers',
  rows: readonly Record<string, string | string[]>[],
): Partial<Record<BlockKey, string>> | undefined {
  if (evidence.awsAuth?.state !== 'present') return undefined;
  const read = evidence.awsAuth.configMap.blocks[block];
  // The yaml library (YAML 1.2) reads some blocks go-yaml refuses (`username: {{SessionName}}` is a
  // flow map to it); appending to those would write the broken rows back. Go's verdict decides.
  if (read.dropped) return undefined;
  const raw = read.raw ?? '';
  const doc = parseDocument(raw.trim() === '' ? '[]' : raw);
  if (doc.errors.length > 0 || !isSeq(doc.contents)) return undefined;
  doc.contents.flow = false;
  for (const row of rows) doc.add(doc.createNode(row));
  try {
    return { [block]: doc.toString({ lineWidth: 0 }) };
  } catch {
    // A block the yaml library reads but cannot write back (an alias inside its own anchor,
    // `!&a [*a]`): no exact patch, so the caller prints the hand edit instead.
    return undefined;
  }
}

/**
 * The kubectl command that adds rows to aws-auth exactly: a patch of the block at the version read
 * when the ConfigMap exists and the block parses, a `kubectl create` of the ConfigMap when EKS holds
 * none; undefined when neither is known (aws-auth not read, or its block unreadable).
 */
export function addRowsCommand(
  evidence: Evidence,
  block: 'mapRoles' | 'mapUsers',
  rows: readonly Record<string, string | string[]>[],
): Command | undefined {
  if (evidence.awsAuth?.state === 'absent')
    return withStdin(sh`kubectl create -f -`, {
      format: 'yaml',
      value: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'aws-auth', namespace: 'kube-system' },
        data: { [block]: stringify(rows, { lineWidth: 0 }) },
      },
    });
  const blocks = appendedRows(evidence, block, rows);
  return blocks ? awsAuthPatch(evidence, blocks) : undefined;
}
