import {
  comment,
  hclAttr,
  hclBlock,
  hclComment,
  script,
  sh,
  visible,
  withStdin,
  type Command,
} from '../../src/core/command.js';
import { awsEks, fixTarget } from '../../src/core/fix-target.js';
import type { FixStep } from '../../src/core/types.js';
import type { AccessEntry, ApiProbe, Evidence, RbacBinding } from '../../src/model/evidence.js';
import { ACCESS_POLICY_RULES, ruleAllows, type PolicyRule } from '../../src/model/rbac-rules.js';
import type { Simulation } from '../../src/model/simulate.js';
import { associateCommand, EKSCTL_CANNOT_ASSOCIATE, entriesUsable, entryKey } from '../_fix.js';
import { isBuiltInGroup } from './bindings.js';

/** A request the API server refused: what `kubectl auth can-i` would ask. */
export interface DeniedRequest {
  verb: string;
  /** `configmaps`, or `pods/log` for a subresource. */
  resource: string;
  /** The API group (`''` for the core group). */
  group: string;
  /** Absent: cluster-wide. */
  namespace?: string;
}

type Review = NonNullable<ApiProbe['accessReviews']>[number];

const isWildcard = (r: Review): boolean => r.verb === '*' || r.resource === '*';

// The API server's own wording: `User "u" cannot update resource "configmaps" in API group "" in the namespace "default"`.
const FORBIDDEN_TEXT = /cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/;

/**
 * The requests to grant: the ones asked about (`--can`) and denied; else the denied samples that
 * name one verb on one resource (never the `*` on `*` sample: that is cluster-admin); else the one
 * the 403 text names.
 */
export function deniedRequests(probe: ApiProbe): DeniedRequest[] {
  const reviews = probe.accessReviews ?? [];
  const asked = reviews.filter((r) => r.requested && !r.allowed);
  const samples = reviews.filter((r) => !r.allowed && !isWildcard(r));
  const chosen = asked.length > 0 ? asked : samples;
  if (chosen.length > 0)
    return chosen.map((r) => ({
      verb: r.verb,
      resource: r.resource,
      group: r.group ?? '',
      ...(r.namespace ? { namespace: r.namespace } : {}),
    }));
  // Stryker disable next-line StringLiteral: FORBIDDEN_TEXT matches no fallback text
  const m = FORBIDDEN_TEXT.exec(probe.error ?? '');
  if (!m) return [];
  // Stryker disable next-line StringLiteral: groups 1-3 of FORBIDDEN_TEXT take part in every match, so no fallback is ever used
  return [{ verb: m[1] ?? '', resource: m[2] ?? '', group: m[3] ?? '', ...(m[4] ? { namespace: m[4] } : {}) }];
}

/** Who gets the grant: one of the principal's own groups, or its username when it has none. */
export interface GrantSubject {
  kind: 'Group' | 'User';
  name: string;
}

/** The Kubernetes ClusterRoles that ship with the API server or EKS: never edited, only bound. */
const SHIPPED_ROLES = new Set(['view', 'edit', 'admin', 'cluster-admin']);
const isShippedRole = (name: string): boolean =>
  SHIPPED_ROLES.has(name) || name.startsWith('system:') || name.startsWith('eks:');

/** A role whose rules get one more: it exists, and only the principal's own subjects are bound to it. */
export interface RoleToExtend {
  kind: 'Role' | 'ClusterRole';
  name: string;
  namespace?: string;
  subject: GrantSubject;
}

/** A rule this fix writes: always with its API groups and resources, in the order a Role lists them. */
export type GrantRule = Required<Pick<PolicyRule, 'apiGroups' | 'resources' | 'verbs'>>;

/** Everything one scope (a namespace, or the cluster) needs. */
export interface GrantPlan {
  namespace?: string;
  requests: DeniedRequest[];
  rules: GrantRule[];
  subject: GrantSubject;
  extend?: RoleToExtend;
  /** For a new role: its name and its binding's name (one not taken). */
  roleName: string;
  bindingName: string;
}

// Cut before trimming, so that a cut never leaves a trailing `-` or `.`. Never empty: callers always add a suffix.
const dnsName = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 200)
    .replace(/^[-.]+|[-.]+$/g, '');

/** One rule per (API group, resource), with every denied verb on it. */
function rulesFor(requests: readonly DeniedRequest[]): GrantRule[] {
  const byResource = new Map<string, GrantRule>();
  for (const r of requests) {
    const key = `${r.group}\u0000${r.resource}`;
    const rule = byResource.get(key) ?? { apiGroups: [r.group], resources: [r.resource], verbs: [] };
    if (!rule.verbs.includes(r.verb)) rule.verbs.push(r.verb);
    byResource.set(key, rule);
  }
  return [...byResource.values()];
}

/**
 * The role to extend in this scope, if one is safe to extend: bound in exactly this scope (a
 * RoleBinding to a Role in the namespace, or a ClusterRoleBinding to a ClusterRole for cluster-wide
 * requests), not shipped by Kubernetes or EKS, and bound to nobody but the principal's own subjects
 * (extending it must not grant anyone else anything).
 */
function roleToExtend(
  bindings: readonly RbacBinding[],
  namespace: string | undefined,
  username: string,
  ownGroups: readonly string[],
): RoleToExtend | undefined {
  const mine = (s: { kind: string; name: string }): boolean =>
    (s.kind === 'Group' && ownGroups.includes(s.name)) || (s.kind === 'User' && s.name === username);
  for (const binding of bindings) {
    const inScope =
      namespace !== undefined
        ? binding.kind === 'RoleBinding' && binding.namespace === namespace && binding.roleRef.kind === 'Role'
        : binding.kind === 'ClusterRoleBinding' && binding.roleRef.kind === 'ClusterRole';
    if (!inScope || isShippedRole(binding.roleRef.name)) continue;
    const subject = binding.subjects.find(mine);
    if (!subject) continue;
    const sharers = bindings.filter(
      (b) =>
        b.roleRef.kind === binding.roleRef.kind &&
        b.roleRef.name === binding.roleRef.name &&
        (binding.roleRef.kind === 'ClusterRole' || b.namespace === namespace),
    );
    if (!sharers.every((b) => b.subjects.every(mine))) continue;
    return {
      kind: binding.roleRef.kind as 'Role' | 'ClusterRole',
      name: binding.roleRef.name,
      ...(namespace !== undefined ? { namespace } : {}),
      subject: { kind: subject.kind === 'User' ? 'User' : 'Group', name: subject.name },
    };
  }
  return undefined;
}

/** A name no binding of this scope has yet (so the fix never re-creates an existing binding). */
function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The grants, one per scope, in the order the requests came. */
export function grantPlans(
  requests: readonly DeniedRequest[],
  username: string,
  groups: readonly string[],
  bindings: readonly RbacBinding[],
): GrantPlan[] {
  const ownGroups = groups.filter((g) => !isBuiltInGroup(g) && !g.includes('{{'));
  const firstGroup = ownGroups[0];
  const fallback: GrantSubject =
    firstGroup !== undefined ? { kind: 'Group', name: firstGroup } : { kind: 'User', name: username };
  const scopes = [...new Set(requests.map((r) => r.namespace))];
  return scopes.map((namespace) => {
    const mine = requests.filter((r) => r.namespace === namespace);
    const rules = rulesFor(mine);
    const extend = roleToExtend(bindings, namespace, username, ownGroups);
    const subject = extend?.subject ?? fallback;
    const only = rules.length === 1 ? rules[0] : undefined;
    // A rule of rulesFor names exactly one resource.
    const what = only ? `${only.verbs.join('-')}-${String(only.resources)}` : 'access';
    const base = dnsName(`${subject.name}-${what}`);
    const taken = new Set(
      bindings
        .filter((b) =>
          namespace !== undefined
            ? b.kind === 'RoleBinding' && b.namespace === namespace
            : b.kind === 'ClusterRoleBinding',
        )
        .map((b) => b.name),
    );
    const name = freeName(base, taken);
    return {
      ...(namespace !== undefined ? { namespace } : {}),
      requests: mine,
      rules,
      subject,
      ...(extend ? { extend } : {}),
      roleName: name,
      bindingName: name,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Which access policy grants the requests (the alternative where the mode allows access entries).

/** The user-facing policies, narrowest first. */
const POLICIES_BY_BREADTH = [
  'AmazonEKSViewPolicy',
  'AmazonEKSAdminViewPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSAdminPolicy',
] as const;

/** `pods/log` as the resource `pods` and its subresource `log`. */
function splitResource(r: DeniedRequest): { resource: string; subresource: string | undefined } {
  const parts = r.resource.split('/');
  // Stryker disable next-line StringLiteral: split always yields a first element
  const [resource = '', subresource] = parts;
  return { resource, subresource };
}

// The namespace is left out: a rule grants the same anywhere; where is the association's access scope.
const attributes = (r: DeniedRequest) => ({ verb: r.verb, resource: { group: r.group, ...splitResource(r) } });

/**
 * The narrowest AWS-managed access policy that grants every request. AmazonEKSClusterAdminPolicy
 * (`*` on `*` in every API group) grants any resource request, so it is the last resort.
 */
export function narrowestPolicy(requests: readonly DeniedRequest[]): string {
  return (
    POLICIES_BY_BREADTH.find((name) =>
      // Stryker disable next-line ArrayDeclaration: every name of POLICIES_BY_BREADTH has its rules in ACCESS_POLICY_RULES
      requests.every((r) => (ACCESS_POLICY_RULES[name] ?? []).some((rule) => ruleAllows(rule, attributes(r)))),
    ) ?? 'AmazonEKSClusterAdminPolicy'
  );
}

/** Why the access-policy alternative is not offered, or the policy and the entry to associate it with. */
function policyAlternative(
  evidence: Evidence,
  simulation: Simulation | undefined,
  plan: GrantPlan,
): { policy: string; entryArn: string; namespaces?: string[] } | { why: string } {
  const usable = entriesUsable(evidence);
  if (usable === 'no')
    return {
      why: 'no access-policy alternative: this cluster is in CONFIG_MAP mode, where EKS reads no access entry (switching is one-way); grant through RBAC (kubectl or Terraform)',
    };
  if (usable === 'unknown')
    return {
      why: 'no access-policy alternative offered: the authentication mode was not read, and access policies work only in API or API_AND_CONFIG_MAP mode; grant through RBAC (kubectl or Terraform)',
    };
  const entryArn = simulation?.principalEntry?.principalArn;
  if (entryArn === undefined)
    return {
      why: 'no access-policy alternative: the principal has no access entry, and creating one would replace its aws-auth mapping (and the groups it brings); grant through RBAC (kubectl or Terraform)',
    };
  const policy = narrowestPolicy(plan.requests);
  return { policy, entryArn, ...(plan.namespace !== undefined ? { namespaces: [plan.namespace] } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Steps.

const RBAC_API = 'rbac.authorization.k8s.io';

const describeRequest = (r: DeniedRequest): string =>
  `${r.verb} ${r.resource}${r.group ? `.${r.group}` : ''}${r.namespace ? ` in namespace ${r.namespace}` : ' cluster-wide'}`;

/** `kubectl auth can-i` for one request, as the principal (impersonated: the admin who applies the fix may). */
function canI(r: DeniedRequest, username: string, groups: readonly string[]): Command {
  const { resource, subresource } = splitResource(r);
  return sh`kubectl auth can-i ${r.verb} ${r.group ? `${resource}.${r.group}` : resource} ${[
    ...(subresource !== undefined ? ['--subresource', subresource] : []),
    ...(r.namespace !== undefined ? ['-n', r.namespace] : []),
    `--as=${username}`,
    ...groups.filter((g) => g !== 'system:authenticated').map((g) => `--as-group=${g}`),
  ]}`;
}

function kubectlLines(plan: GrantPlan, username: string, groups: readonly string[]) {
  const ns = plan.namespace !== undefined ? ['-n', plan.namespace] : [];
  const change = plan.extend
    ? sh`kubectl patch ${plan.extend.kind.toLowerCase()} ${plan.extend.name} ${ns} --type json -p ${JSON.stringify(
        plan.rules.map((rule) => ({ op: 'add', path: '/rules/-', value: rule })),
      )}`
    : withStdin(sh`kubectl create -f -`, {
        format: 'yaml-documents',
        value: [
          {
            apiVersion: `${RBAC_API}/v1`,
            kind: plan.namespace !== undefined ? 'Role' : 'ClusterRole',
            metadata: { name: plan.roleName, namespace: plan.namespace },
            rules: plan.rules,
          },
          {
            apiVersion: `${RBAC_API}/v1`,
            kind: plan.namespace !== undefined ? 'RoleBinding' : 'ClusterRoleBinding',
            metadata: { name: plan.bindingName, namespace: plan.namespace },
            roleRef: {
              apiGroup: RBAC_API,
              kind: plan.namespace !== undefined ? 'Role' : 'ClusterRole',
              name: plan.roleName,
            },
            subjects: [{ apiGroup: RBAC_API, kind: plan.subject.kind, name: plan.subject.name }],
          },
        ],
      });
  return script(change, ...plan.requests.map((r) => canI(r, username, groups)));
}

/** A Terraform resource name for a Kubernetes object name: letters, digits and `_`, never a digit first. */
const hclName = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, '_');

const hclRule = (rule: GrantRule) =>
  hclBlock(
    'rule',
    [],
    [hclAttr('api_groups', rule.apiGroups), hclAttr('resources', rule.resources), hclAttr('verbs', rule.verbs)],
  );

function terraformItems(plan: GrantPlan) {
  if (plan.extend)
    return [
      hclComment(
        `hashicorp/kubernetes provider: add to the ${plan.extend.kind} ${plan.extend.namespace ? `${plan.extend.namespace}/` : ''}${plan.extend.name} where your configuration defines it`,
      ),
      ...plan.rules.map(hclRule),
    ];
  const namespaced = plan.namespace !== undefined;
  const metadata = (name: string) =>
    hclBlock(
      'metadata',
      [],
      [hclAttr('name', name), ...(plan.namespace !== undefined ? [hclAttr('namespace', plan.namespace)] : [])],
    );
  const key = hclName(plan.roleName);
  return [
    hclComment('hashicorp/kubernetes provider'),
    hclBlock(
      'resource',
      [namespaced ? 'kubernetes_role_v1' : 'kubernetes_cluster_role_v1', key],
      [metadata(plan.roleName), ...plan.rules.map(hclRule)],
    ),
    hclBlock(
      'resource',
      [namespaced ? 'kubernetes_role_binding_v1' : 'kubernetes_cluster_role_binding_v1', key],
      [
        metadata(plan.bindingName),
        hclBlock(
          'role_ref',
          [],
          [
            hclAttr('api_group', RBAC_API),
            hclAttr('kind', namespaced ? 'Role' : 'ClusterRole'),
            hclAttr('name', plan.roleName),
          ],
        ),
        hclBlock(
          'subject',
          [],
          [hclAttr('kind', plan.subject.kind), hclAttr('name', plan.subject.name), hclAttr('api_group', RBAC_API)],
        ),
      ],
    ),
  ];
}

/**
 * The steps that grant exactly the denied requests: per scope, a new Role (or ClusterRole) and its
 * binding to one of the principal's groups, or one more rule in a role only its own subjects are
 * bound to. The aws CLI and eksctl dialects carry the access-policy alternative where the
 * authentication mode allows it and a policy grants every request; else they say why not.
 */
export function grantSteps(
  evidence: Evidence,
  simulation: Simulation | undefined,
  requests: readonly DeniedRequest[],
  username: string,
  groups: readonly string[],
): FixStep[] {
  // Stryker disable next-line ArrayDeclaration: a binding list of one string extends nothing and takes no name
  const plans = grantPlans(requests, username, groups, evidence.rbac ?? []);
  const t = fixTarget(evidence);
  return plans.map((plan) => {
    const alternative = policyAlternative(evidence, simulation, plan);
    const [aws, eksctlLines] =
      'why' in alternative
        ? [[comment(alternative.why)], [comment(alternative.why)]]
        : [
            [
              comment(
                `alternative to RBAC: ${alternative.policy} grants ${plan.requests.map(describeRequest).join(', ')}`,
              ),
              ...script(associateCommand(t, alternative.entryArn, alternative.policy, alternative.namespaces)),
            ],
            [
              comment(
                `alternative to RBAC: ${alternative.policy} grants ${plan.requests.map(describeRequest).join(', ')}`,
              ),
              // The principal's entry exists, so only the aws CLI can add the policy.
              comment(EKSCTL_CANNOT_ASSOCIATE),
            ],
          ];
    const where = plan.namespace !== undefined ? `namespace ${plan.namespace}` : 'the cluster';
    const title = plan.extend
      ? `Add ${plan.requests.map(describeRequest).join(', ')} to ${plan.extend.kind} ${plan.extend.name}, which ${plan.subject.kind.toLowerCase()} ${plan.subject.name} is bound to`
      : `Grant ${plan.subject.kind.toLowerCase()} ${plan.subject.name} ${plan.requests.map(describeRequest).join(', ')}: a new ${plan.namespace !== undefined ? 'Role and RoleBinding' : 'ClusterRole and ClusterRoleBinding'} ${plan.roleName} in ${where}`;
    return {
      title,
      key: `rbac:${plan.namespace ?? ''}:${plan.extend ? `extend:${plan.extend.name}` : plan.roleName}`,
      identity: `a cluster administrator (someone who may create ${plan.namespace !== undefined ? 'Roles and RoleBindings in the namespace' : 'ClusterRoles and ClusterRoleBindings'})`,
      kubectl: [
        ...(evidence.rbac === undefined
          ? [
              comment(
                `the bindings were not read, so no existing role of ${plan.subject.name} could be extended: kubectl create refuses a name that exists; list the bindings of the ${plan.namespace !== undefined ? `namespace (kubectl get rolebindings -n ${plan.namespace} -o wide)` : 'cluster (kubectl get clusterrolebindings -o wide)'} to extend one instead`,
              ),
            ]
          : []),
        ...kubectlLines(plan, username, groups),
      ],
      eksctl: eksctlLines,
      aws,
      terraform: terraformItems(plan),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// An access entry with no Kubernetes group: RBAC can grant it nothing until it has one.

/** The group eksauth gives an entry that has none: named after the principal, never a `system:` group. */
export const chosenEntryGroup = (principalArn: string): string => dnsName(`${principalArn.replace(/.*\//, '')}-access`);

/**
 * eksctl (github.com/eksctl-io/eksctl at 99984adb, 2026-08-21) has no `update accessentry` (pkg/ctl/update
 * registers cluster, addon, iamserviceaccount, nodegroup, podidentityassociation, auto-mode-config and
 * capability only), and `create accessentry -f` deploys one CloudFormation stack per entry
 * (pkg/actions/accessentry/task.go, AWS::EKS::AccessEntry), which fails on an entry that exists. Its only
 * route, delete then create, leaves the principal without its entry (and its policies) in between.
 */
export const EKSCTL_CANNOT_UPDATE_ENTRY =
  'eksctl cannot change an existing access entry (it has no update accessentry, and create accessentry fails on an entry that exists; deleting and re-creating it locks the principal out in between): use the aws CLI form, aws eks update-access-entry';

/** Adds `group` to an entry that has no group (update-access-entry replaces the list, which is empty). */
function addEntryGroupStep(evidence: Evidence, entry: AccessEntry, group: string): FixStep {
  return {
    title: `Give the access entry for ${visible(entry.principalArn)} the Kubernetes group ${group} (a name eksauth chose: the entry has no group, and RBAC binds groups); the next step grants it`,
    identity: 'an IAM principal allowed eks:UpdateAccessEntry on the cluster',
    kubectl: [
      comment(
        'access entries are managed through the EKS API, not kubectl: use the aws CLI (or Terraform) for this step',
      ),
    ],
    eksctl: [comment(EKSCTL_CANNOT_UPDATE_ENTRY)],
    aws: script(
      awsEks(fixTarget(evidence), 'update-access-entry', [
        '--principal-arn',
        entry.principalArn,
        '--kubernetes-groups',
        group,
      ]),
    ),
    terraform: [
      hclComment(`terraform-aws-modules/eks v20+: in access_entries.${entryKey(entry.principalArn)}`),
      hclAttr('kubernetes_groups', [group]),
    ],
  };
}

/**
 * The steps that grant an access entry's principal exactly the denied requests through RBAC: bound
 * to one of the entry's groups, or, when it has none, to a group first added to the entry. Without a
 * known denied request, the group is bound to the `view` ClusterRole (reads only).
 */
export function entryGrantSteps(
  evidence: Evidence,
  simulation: Simulation | undefined,
  entry: AccessEntry,
  requests: readonly DeniedRequest[],
  username: string,
): FixStep[] {
  const own = entry.kubernetesGroups.filter((g) => !isBuiltInGroup(g) && !g.includes('{{'));
  const group = own[0] ?? chosenEntryGroup(entry.principalArn);
  const first = own.length > 0 ? [] : [addEntryGroupStep(evidence, entry, group)];
  const groups = own.length > 0 ? own : [group];
  if (requests.length > 0) return [...first, ...grantSteps(evidence, simulation, requests, username, groups)];
  // Stryker disable next-line ArrayDeclaration: a string in the binding list is no ClusterRoleBinding
  const taken = new Set((evidence.rbac ?? []).filter((b) => b.kind === 'ClusterRoleBinding').map((b) => b.name));
  const name = freeName(dnsName(`${group}-view`), taken);
  return [
    ...first,
    {
      title: `Bind group ${group} to the view ClusterRole (reads only; name the refused request with doctor --can for an exact grant)`,
      identity: 'a cluster administrator (someone who may create ClusterRoleBindings)',
      kubectl: script(
        sh`kubectl create clusterrolebinding ${name} --clusterrole=view --group=${group}`,
        sh`kubectl auth can-i --list ${[`--as=${username}`, `--as-group=${group}`]}`,
      ),
      eksctl: [comment('eksctl does not manage RBAC bindings: use kubectl or Terraform')],
      aws:
        entriesUsable(evidence) === 'no'
          ? [comment('the aws CLI cannot create RBAC bindings: use kubectl or Terraform')]
          : [
              comment('alternative to RBAC: AmazonEKSViewPolicy grants reads'),
              ...script(associateCommand(fixTarget(evidence), entry.principalArn, 'AmazonEKSViewPolicy')),
            ],
      terraform: [
        hclComment('hashicorp/kubernetes provider'),
        hclBlock(
          'resource',
          ['kubernetes_cluster_role_binding_v1', hclName(name)],
          [
            hclBlock('metadata', [], [hclAttr('name', name)]),
            hclBlock(
              'role_ref',
              [],
              [hclAttr('api_group', RBAC_API), hclAttr('kind', 'ClusterRole'), hclAttr('name', 'view')],
            ),
            hclBlock('subject', [], [hclAttr('kind', 'Group'), hclAttr('name', group), hclAttr('api_group', RBAC_API)]),
          ],
        ),
      ],
    },
  ];
}
