import { CLUSTER_ADMIN_POLICY, RESERVED_USERNAME_PREFIXES } from '../src/model/access-entries.js';
import type { Evidence } from '../src/model/evidence.js';
import {
  comment,
  hclAttr,
  toFile,
  hclComment,
  listOption,
  option,
  run,
  script,
  sh,
  withStdin,
  type Command,
  type HclScript,
  type Script,
} from '../src/core/command.js';
import {
  awsAuthPatch,
  awsEks,
  editedBlocks,
  eksctl,
  eksctlGroupArgs,
  fixTarget,
  regionArgs,
  type FixTarget,
  type RowEdit,
} from '../src/core/fix-target.js';
import type { FixStep } from '../src/core/types.js';
import { resolveMode } from './mode/resolve.js';

/** Fix steps several checks share (not a check itself). Commands are data: src/core/command.ts prints them. */

export const ONE_WAY_MODE =
  'EKS cannot switch an authentication mode back: once it reads access entries, CONFIG_MAP is gone for good.';

/** Whether access-entry commands work on this cluster now: yes, no (CONFIG_MAP), or unknown. */
export function entriesUsable(evidence: Evidence): 'yes' | 'no' | 'unknown' {
  const { mode, origin } = resolveMode(evidence);
  if (mode !== 'CONFIG_MAP') return 'yes';
  return origin === 'assumed' ? 'unknown' : 'no';
}

/** The one-way step that makes a CONFIG_MAP cluster read access entries as well. */
export function modeChangeStep(evidence: Evidence): FixStep {
  const t = fixTarget(evidence);
  return {
    title: 'Switch the cluster to API_AND_CONFIG_MAP so it reads access entries as well as aws-auth',
    // One change however many findings need it: the report's plan keeps the first.
    key: 'cluster:authentication-mode',
    oneWay: ONE_WAY_MODE,
    kubectl: [comment('the authentication mode is set through the EKS API: use the aws CLI, eksctl or Terraform')],
    eksctl: script(
      sh`eksctl utils update-authentication-mode --cluster ${t.cluster} ${regionArgs(t)} --authentication-mode API_AND_CONFIG_MAP`,
    ),
    aws: script(awsEks(t, 'update-cluster-config', ['--access-config', 'authenticationMode=API_AND_CONFIG_MAP'])),
    terraform: [
      hclComment('terraform-aws-modules/eks v20+ (module "eks"); EKS refuses to go back'),
      hclAttr('authentication_mode', 'API_AND_CONFIG_MAP'),
    ],
  };
}

/** The access-entry types CreateAccessEntry takes (EKS API reference, CreateAccessEntry `type`). */
export const ENTRY_TYPES = [
  'STANDARD',
  'EC2',
  'EC2_LINUX',
  'EC2_WINDOWS',
  'FARGATE_LINUX',
  'HYBRID_LINUX',
  'HYPERPOD_LINUX',
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** An association's scope, exactly as EKS holds it: a namespace scope is never widened to the cluster. */
export type PlanScope = { type: 'cluster' } | { type: 'namespace'; namespaces: readonly string[] };

/** An access entry to create, in the words of CreateAccessEntry and AssociateAccessPolicy. */
export interface EntryPlan {
  principalArn: string;
  type: EntryType;
  /** Only STANDARD entries take a username; omitted: EKS's default. */
  username?: string;
  /** Groups EKS accepts (none starting with `system:`). */
  groups: string[];
  /** Access policies to associate, by name, at cluster scope or in these namespaces. */
  policies: string[];
  namespaces?: string[];
  /** Further associations, each with its own scope (a recreated entry keeps every one as it was). */
  associations?: readonly { policy: string; scope: PlanScope }[];
}

/** The scope of `namespaces`: those namespaces, or the cluster when there are none. */
const scopeOf = (namespaces: readonly string[] | undefined): PlanScope =>
  namespaces && namespaces.length > 0 ? { type: 'namespace', namespaces } : { type: 'cluster' };

/** Every association of a plan with its scope: `policies` (sharing `namespaces`), then `associations`. */
export function associationsOf(plan: EntryPlan): { policy: string; scope: PlanScope }[] {
  const shared = scopeOf(plan.namespaces);
  return [...plan.policies.map((policy) => ({ policy, scope: shared })), ...(plan.associations ?? [])];
}

/** A scope as eksctl's `accessScope` and the module's `access_scope` take it. */
const scopeValue = (scope: PlanScope): { type: string; namespaces?: string[] } =>
  scope.type === 'namespace' ? { type: 'namespace', namespaces: [...scope.namespaces] } : { type: 'cluster' };

export const policyArn = (partition: string, name: string): string =>
  `arn:${partition}:eks::aws:cluster-access-policy/${name}`;

export const partitionOf = (arn: string): string => /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';

/** `{{SessionName}}` in an access-entry username needs a `:` somewhere before it. */
export function sessionNameHasColon(username: string): boolean {
  const at = username.indexOf('{{SessionName}}');
  return at < 0 || username.slice(0, at).includes(':');
}

/**
 * The access entry that reproduces an aws-auth row: node rows become EC2_LINUX (or FARGATE_LINUX)
 * entries, `system:masters` becomes AmazonEKSClusterAdminPolicy (entries refuse `system:` groups),
 * and a username is kept only when EKS accepts it.
 */
export function planFromRow(principalArn: string, row: { username: string; groups: readonly string[] }): EntryPlan {
  if (row.groups.includes('system:node-proxier') && row.username.startsWith('system:node:'))
    return { principalArn, type: 'FARGATE_LINUX', groups: [], policies: [] };
  if (row.groups.includes('system:nodes') && row.username.startsWith('system:node:')) {
    return {
      principalArn,
      type: row.groups.includes('eks:kube-proxy-windows') ? 'EC2_WINDOWS' : 'EC2_LINUX',
      groups: [],
      policies: [],
    };
  }
  const username =
    row.username !== '' &&
    !RESERVED_USERNAME_PREFIXES.some((p) => row.username.startsWith(p)) &&
    sessionNameHasColon(row.username)
      ? row.username
      : undefined;
  return {
    principalArn,
    type: 'STANDARD',
    ...(username !== undefined ? { username } : {}),
    groups: row.groups.filter((g) => !g.startsWith('system:') && !g.includes('{{')),
    policies: row.groups.includes('system:masters') ? [CLUSTER_ADMIN_POLICY] : [],
  };
}

/** `--access-scope` in the aws CLI's shorthand; a namespace scope without namespaces stays one (EKS refuses it). */
const scopeArgs = (scope: PlanScope): string[] =>
  scope.type === 'namespace'
    ? [
        '--access-scope',
        `type=namespace${scope.namespaces.length > 0 ? `,namespaces=${scope.namespaces.join(',')}` : ''}`,
      ]
    : ['--access-scope', 'type=cluster'];

/** `aws eks associate-access-policy …` at cluster scope, or in the given namespaces when there are any. */
export function associateCommand(
  t: FixTarget,
  principalArn: string,
  policy: string,
  namespaces?: readonly string[],
): Command {
  return associateInScope(t, principalArn, policy, scopeOf(namespaces));
}

/** `aws eks associate-access-policy …` in exactly this scope. */
export function associateInScope(t: FixTarget, principalArn: string, policy: string, scope: PlanScope): Command {
  return awsEks(t, 'associate-access-policy', [
    '--principal-arn',
    principalArn,
    '--policy-arn',
    policyArn(partitionOf(principalArn), policy),
    ...scopeArgs(scope),
  ]);
}

/**
 * eksctl attaches access policies only while it creates an entry (`create accessentry` with
 * accessPolicies in its config); it has no command that adds one to an existing entry.
 */
export const EKSCTL_CANNOT_ASSOCIATE =
  'eksctl cannot add a policy to an existing access entry (it attaches policies only when it creates one): use the aws CLI form, aws eks associate-access-policy';

/** aws CLI commands creating the entry and associating its policies. */
export function awsEntryCommands(t: FixTarget, plan: EntryPlan): Command[] {
  const create = awsEks(t, 'create-access-entry', [
    '--principal-arn',
    plan.principalArn,
    ...(plan.type !== 'STANDARD' ? ['--type', plan.type] : []),
    ...(plan.username !== undefined ? option('--username', plan.username) : []),
    ...(plan.groups.length > 0 ? listOption('--kubernetes-groups', plan.groups) : []),
  ]);
  return [create, ...associationsOf(plan).map((a) => associateInScope(t, plan.principalArn, a.policy, a.scope))];
}

/** eksctl reads access entries from a config file; this feeds one on standard input. */
export function eksctlEntryCommand(t: FixTarget, plans: readonly EntryPlan[]): Command {
  const config = {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: t.cluster, region: t.region },
    accessConfig: {
      accessEntries: plans.map((plan) => ({
        principalARN: plan.principalArn,
        ...(plan.type !== 'STANDARD' ? { type: plan.type } : {}),
        ...(plan.username !== undefined ? { kubernetesUsername: plan.username } : {}),
        ...(plan.groups.length > 0 ? { kubernetesGroups: plan.groups } : {}),
        ...(associationsOf(plan).length > 0
          ? {
              accessPolicies: associationsOf(plan).map((a) => ({
                policyARN: policyArn(partitionOf(plan.principalArn), a.policy),
                accessScope: scopeValue(a.scope),
              })),
            }
          : {}),
      })),
    },
  };
  const profile = t.profile !== undefined ? option('--profile', t.profile) : [];
  return withStdin(sh`eksctl create accessentry -f - ${profile}`, { format: 'yaml', value: config });
}

const snake = (name: string): string =>
  name
    .replace(/^AmazonEKS/, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase() || 'policy';

/** A plan's associations with their keys in `policy_associations` (the policy's name; a repeated name numbered). */
export function associationKeys(plan: EntryPlan): { key: string; policy: string; scope: PlanScope }[] {
  const seen = new Map<string, number>();
  return associationsOf(plan).map(({ policy, scope }) => {
    const base = snake(policy);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { key: n === 1 ? base : `${base}_${n}`, policy, scope };
  });
}

/** The key of an entry in `access_entries`: the role or user name. */
export function entryKey(arn: string, index = 0): string {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const key = name.replace(/[^A-Za-z0-9_-]/g, '_').toLowerCase();
  return /^[a-z_]/.test(key) ? key : `entry_${index}`;
}

/** terraform-aws-modules/eks `access_entries`. */
export function terraformEntries(plans: readonly EntryPlan[]): HclScript {
  // Two principals with the same name (a role and a user, or roles of two accounts) must not share a key:
  // the later would silently replace the earlier in the map.
  const used = new Set<string>();
  const keyOf = (plan: EntryPlan, i: number): string => {
    const key = entryKey(plan.principalArn, i);
    const unique = used.has(key) ? `${key}_${i}` : key;
    used.add(unique);
    return unique;
  };
  const entries = Object.fromEntries(
    plans.map((plan, i) => [
      keyOf(plan, i),
      {
        principal_arn: plan.principalArn,
        ...(plan.type !== 'STANDARD' ? { type: plan.type } : {}),
        ...(plan.username !== undefined ? { user_name: plan.username } : {}),
        ...(plan.groups.length > 0 ? { kubernetes_groups: plan.groups } : {}),
        ...(associationsOf(plan).length > 0
          ? {
              policy_associations: Object.fromEntries(
                associationKeys(plan).map(({ key, policy, scope }) => [
                  key,
                  { policy_arn: policyArn(partitionOf(plan.principalArn), policy), access_scope: scopeValue(scope) },
                ]),
              ),
            }
          : {}),
      },
    ]),
  );
  return [hclComment('terraform-aws-modules/eks v20+ (module "eks")'), hclAttr('access_entries', entries)];
}

/** The steps that create access entries: after the one-way mode change where the cluster is in CONFIG_MAP. */
export function entrySteps(evidence: Evidence, title: string, plans: readonly EntryPlan[]): FixStep[] {
  const t = fixTarget(evidence);
  const usable = entriesUsable(evidence);
  const step: FixStep = {
    title,
    kubectl: [
      comment('access entries are managed through the EKS API, not kubectl: use the aws CLI, eksctl or Terraform'),
    ],
    eksctl: script(eksctlEntryCommand(t, plans)),
    aws: [
      ...(usable === 'unknown'
        ? [comment('only where the cluster reads access entries (authentication mode API_AND_CONFIG_MAP or API)')]
        : []),
      ...script(...plans.flatMap((plan) => awsEntryCommands(t, plan))),
    ],
    terraform: terraformEntries(plans),
  };
  return usable === 'no' ? [modeChangeStep(evidence), step] : [step];
}

/** A row of aws-auth as it should read. */
export interface RowTarget {
  block: 'mapRoles' | 'mapUsers';
  arn: string;
  username: string;
  groups: string[];
}

/**
 * A step that edits aws-auth rows: kubectl patches the edited block (at the version it was read) when
 * the edits are known exactly, else fetches, edits by the instructions, lints and replaces; eksctl
 * deletes and re-creates the rows; Terraform lists them as the aws-auth module takes them. aws-auth is
 * a Kubernetes object, so the aws CLI has no part in it.
 */
export function awsAuthStep(
  evidence: Evidence,
  title: string,
  rows: readonly { from?: string; to: RowTarget }[],
  instructions: string[],
  edits: readonly RowEdit[] = [],
): FixStep {
  const t = fixTarget(evidence);
  const blocks = edits.length > 0 ? editedBlocks(evidence, edits) : undefined;
  const kubectl: Script = blocks ? script(awsAuthPatch(evidence, blocks)) : manualEditLines(instructions);
  const eksctlLines: Script = rows.flatMap((r) => [
    ...(r.from !== undefined
      ? script(eksctl(t, 'delete', 'iamidentitymapping', [...option('--arn', r.from), '--all']))
      : []),
    ...script(
      eksctl(t, 'create', 'iamidentitymapping', [
        ...option('--arn', r.to.arn),
        ...(r.to.username !== '' ? option('--username', r.to.username) : []),
        ...eksctlGroupArgs(r.to.groups),
      ]),
    ),
  ]);
  const roles = rows.filter((r) => r.to.block === 'mapRoles');
  const users = rows.filter((r) => r.to.block === 'mapUsers');
  const terraform: HclScript = [
    hclComment('terraform-aws-modules/eks v19 (module "eks"), or v20+ with its aws-auth submodule'),
    ...(roles.length > 0
      ? [
          hclAttr(
            'aws_auth_roles',
            roles.map((r) => ({ rolearn: r.to.arn, username: r.to.username, groups: r.to.groups })),
          ),
        ]
      : []),
    ...(users.length > 0
      ? [
          hclAttr(
            'aws_auth_users',
            users.map((r) => ({ userarn: r.to.arn, username: r.to.username, groups: r.to.groups })),
          ),
        ]
      : []),
  ];
  return {
    title,
    kubectl,
    eksctl: eksctlLines.length > 0 ? eksctlLines : [comment('eksctl cannot make this edit: use kubectl or Terraform')],
    aws: [NO_AWS_CLI],
    terraform,
  };
}

export const NO_AWS_CLI = comment(
  'aws-auth is a Kubernetes object: the aws CLI cannot edit it (use kubectl, eksctl or Terraform)',
);

/** For a fix that edits aws-auth by hand: fetch, edit, lint, replace. */
export function manualEditLines(instructions: readonly string[]): Script {
  return [
    run(toFile(sh`kubectl get configmap aws-auth -n kube-system -o yaml`, 'aws-auth.yaml')),
    ...instructions.map((i) => comment(`edit aws-auth.yaml: ${i}`)),
    run(sh`eksauth lint aws-auth.yaml`),
    run(sh`kubectl replace -f aws-auth.yaml`),
  ];
}

export const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];
export const FARGATE_GROUPS = ['system:bootstrappers', 'system:nodes', 'system:node-proxier'];
