import { CLUSTER_ADMIN_POLICY, isNodeEntryType, policyName } from '../../src/model/access-entries.js';
import { defineCheck, type CheckContext, type Hit } from '../../src/core/types.js';
import { clusterNameOf } from '../../src/core/fix-format.js';
import { comment } from '../../src/core/command.js';
import { associateCommand, policyArn, partitionOf } from './commands.js';
import { accessEntriesIgnored } from '../mode/resolve.js';
import { deniedRequests, entryGrantSteps } from '../rbac/_grant.js';

type Message =
  'deniedOutsideScope' | 'emptyNamespaces' | 'clusterAdminNamespaced' | 'namespaceScoped' | 'limitedPolicy';

/**
 * What the user-facing managed policies do not allow (access-policy-reference.adoc, via
 * eks-control-plane-facts.md §2.7; custom resources per C34's sources). Other policies are
 * described only by their scope.
 */
export const POLICY_LIMITS: Readonly<Record<string, string>> = {
  AmazonEKSAdminPolicy:
    'no cluster-scoped writes (nodes, namespaces, PersistentVolumes, CRDs, ClusterRoles and ClusterRoleBindings) and, per field reports, no custom resources such as ServiceMonitors',
  AmazonEKSEditPolicy:
    'no Roles or RoleBindings, no cluster-scoped writes, and, per field reports, no custom resources',
  AmazonEKSViewPolicy: 'read-only, and no Secrets and, per field reports, no custom resources',
  AmazonEKSAdminViewPolicy: 'read-only (it does read Secrets): no create, update, delete, exec or port-forward',
};

const STRONGER: Readonly<Record<string, string>> = {
  AmazonEKSViewPolicy: 'AmazonEKSEditPolicy',
  AmazonEKSAdminViewPolicy: 'AmazonEKSEditPolicy',
  AmazonEKSEditPolicy: 'AmazonEKSAdminPolicy',
  AmazonEKSAdminPolicy: CLUSTER_ADMIN_POLICY,
};

const RISKS = [
  'A wider scope or a stronger policy widens what every session of this principal can do; AmazonEKSClusterAdminPolicy at cluster scope equals `system:masters`.',
  'A policy is associated once per entry: associating it again with a new scope replaces the old scope.',
  'For custom resources, bind a ClusterRole of your own to a group on the entry instead of granting cluster admin.',
  'Access-entry changes are eventually consistent: allow a few seconds before testing.',
];

const FIX = {
  kubectl:
    '# For what the policy leaves out (custom resources, cluster-scoped objects), grant RBAC to a group on the entry: run eksauth doctor --can with the refused request (verb, resource, -n namespace) as the principal for the exact Role and binding',
  eksctl:
    '# eksctl manages policy associations through its config file (accessConfig.accessEntries[].accessPolicies); the aws CLI changes one in place:\n{aws}',
  aws: '{aws}',
  terraform:
    '# terraform-aws-modules/eks, in access_entries.<key>.policy_associations\n{policyKey} = {\n  policy_arn = "{policyArn}"\n  access_scope = {\n    type       = "{scopeType}"\n    namespaces = {scopeNamespaces}\n  }\n}',
  risks: RISKS,
};

export default defineCheck<Message>({
  meta: {
    id: 'access-entry/policy-scope',
    title: 'An access policy is scoped or limited more narrowly than it may seem',
    severity: 'info',
    stage: 'authentication',
    ref: 'C34',
    needs: ['accessEntries'],
    messages: {
      deniedOutsideScope: {
        severity: 'error',
        text: 'The API server denied {arn} "{request}", and its access policies reach only the namespaces {namespaces} ({policies}): {why}, and no group of the entry grants it.',
        remediation:
          'Associate {policy} with {arn} for {target} as well (or at cluster scope), or grant the request with RBAC on a group of the entry.',
        fix: FIX,
      },
      emptyNamespaces: {
        severity: 'warning',
        text: '{policy} is associated with {arn} at namespace scope with no namespace listed: it allows nothing.',
        remediation: 'Associate {policy} again with the namespaces {arn} works in, or at cluster scope.',
        fix: FIX,
      },
      clusterAdminNamespaced: {
        severity: 'warning',
        text: 'AmazonEKSClusterAdminPolicy is associated with {arn} only in the namespaces {namespaces}: that is not cluster-admin, and nothing cluster-scoped (nodes, namespaces, CRDs, ClusterRoles) or in other namespaces is allowed by it.',
        remediation:
          'Associate AmazonEKSClusterAdminPolicy with {arn} at cluster scope if it must be cluster-admin; otherwise use AmazonEKSAdminPolicy for those namespaces.',
        fix: FIX,
      },
      namespaceScoped: {
        text: '{policy} is associated with {arn} only in the namespaces {namespaces}: it allows nothing cluster-scoped (nodes, namespaces, PersistentVolumes, CRDs, ClusterRoles) and nothing in other namespaces{limits}.',
        remediation: 'Widen the scope of {policy} for {arn} only if it must act outside {namespaces}.',
        fix: FIX,
      },
      limitedPolicy: {
        text: '{policy} is associated with {arn} at cluster scope, and it allows {limits}.',
        remediation:
          'Grant what {policy} leaves out with RBAC on a group of the entry, or with a stronger policy if {arn} really needs it.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (accessEntriesIgnored(evidence)) return [];
    const hits: Hit<Message>[] = [];
    const cluster = clusterNameOf(evidence);
    const denied = deniedOutsideScope(evidence, simulation);
    if (denied) hits.push(denied);
    for (const entry of evidence.accessEntries ?? []) {
      if (isNodeEntryType(entry.type)) continue;
      const policies = entry.associatedAccessPolicies ?? [];
      const isPrincipals =
        simulation !== undefined && simulation.principalEntry === entry && simulation.via?.kind === 'access-entry';
      const grantsSomething =
        entry.kubernetesGroups.length > 0 ||
        policies.some((p) => p.accessScope.type === 'cluster' || p.accessScope.namespaces.length > 0);
      for (const policy of policies) {
        const name = policyName(policy.policyArn);
        const namespaces = policy.accessScope.namespaces;
        let messageId: Message | undefined;
        if (policy.accessScope.type === 'namespace' && namespaces.length === 0) messageId = 'emptyNamespaces';
        else if (policy.accessScope.type === 'namespace' && name === CLUSTER_ADMIN_POLICY)
          messageId = 'clusterAdminNamespaced';
        else if (policy.accessScope.type === 'namespace') messageId = 'namespaceScoped';
        else if (POLICY_LIMITS[name]) messageId = 'limitedPolicy';
        if (!messageId) continue;
        const limits = POLICY_LIMITS[name];
        // An empty scope is re-associated with the namespaces the principal asked about (--can … -n),
        // else at cluster scope: which namespaces it works in is in no other evidence.
        const scopeFor = namespaces.length > 0 ? namespaces : isPrincipals ? askedNamespaces(evidence) : [];
        const widen =
          messageId === 'limitedPolicy' || messageId === 'clusterAdminNamespaced' || scopeFor.length === 0
            ? 'type=cluster'
            : `type=namespace,namespaces=${scopeFor.join(',')}`;
        const arn = policyArn(partitionOf(entry.principalArn), name);
        hits.push({
          messageId,
          subject: { kind: 'access-entry', name: entry.principalArn },
          affectsPrincipal: isPrincipals && messageId === 'emptyNamespaces' && !grantsSomething,
          data: {
            arn: entry.principalArn,
            policy: name,
            namespaces: namespaces.join(', ') || '(none)',
            limits:
              messageId === 'namespaceScoped' ? (limits ? `; inside them it allows ${limits}` : '') : (limits ?? ''),
            cluster,
            aws:
              messageId === 'limitedPolicy'
                ? [
                    comment(`To go beyond ${name}, for example:`),
                    ...associateCommand(evidence, entry.principalArn, STRONGER[name] ?? CLUSTER_ADMIN_POLICY),
                  ]
                : [
                    ...(messageId === 'emptyNamespaces' && widen === 'type=cluster'
                      ? [
                          comment(
                            `no evidence names the namespaces ${entry.principalArn} works in (eksauth doctor --can with -n names one): at cluster scope, every namespace`,
                          ),
                        ]
                      : []),
                    ...associateCommand(evidence, entry.principalArn, name, scopeNamespaces(widen)),
                  ],
            policyKey:
              name
                .replace(/^AmazonEKS/, '')
                .replace(/Policy$/, '')
                .toLowerCase() || 'policy',
            policyArn: arn,
            scopeType: widen === 'type=cluster' ? 'cluster' : 'namespace',
            scopeNamespaces: scopeNamespaces(widen) ?? [],
          },
        });
      }
    }
    return hits;
  },
});

/** `dev-*` style namespace patterns, as access scopes accept them. */
export function namespaceCovered(namespace: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('*') ? namespace.startsWith(p.slice(0, -1)) : p === namespace));
}

/**
 * With a live probe: a request the principal was denied lies outside every namespace its
 * (namespace-scoped only) policies reach, and the entry has no group that could grant it.
 */
function deniedOutsideScope(
  evidence: CheckContext['evidence'],
  simulation: CheckContext['simulation'],
): Hit<Message> | undefined {
  const entry = simulation?.via?.kind === 'access-entry' ? simulation.via.entry : undefined;
  const reviews = evidence.probe?.accessReviews;
  if (!simulation || !entry || !reviews || isNodeEntryType(entry.type) || entry.kubernetesGroups.length > 0)
    return undefined;
  const policies = simulation.policies;
  if (policies.length === 0 || policies.some((p) => p.accessScope.type === 'cluster')) return undefined;
  const namespaces = [...new Set(policies.flatMap((p) => p.accessScope.namespaces))];
  const review = reviews.find(
    (r) => !r.allowed && (r.namespace === undefined || !namespaceCovered(r.namespace, namespaces)),
  );
  if (!review) return undefined;
  const first = policies[0];
  const policy = first ? policyName(first.policyArn) : 'AmazonEKSViewPolicy';
  const request = `${review.verb} ${review.resource}${review.namespace ? ` in namespace ${review.namespace}` : ' (cluster-scoped)'}`;
  const target = review.namespace ? `namespace ${review.namespace}` : 'cluster scope';
  const scope = review.namespace
    ? `type=namespace,namespaces=${[...namespaces, review.namespace].join(',')}`
    : 'type=cluster';
  const widened = associateCommand(evidence, entry.principalArn, policy, scopeNamespaces(scope));
  const username = simulation.decision.username ?? entry.principalArn;
  // RBAC on a group of the entry (the entry has none: one is added first); the aws form widens the
  // policy instead, keeping the namespaces it had (associating again replaces the old scope).
  // Every refused request the policies cannot reach, so that one application unblocks them all.
  const outside = (evidence.probe ? deniedRequests(evidence.probe) : []).filter(
    (r) => r.namespace === undefined || !namespaceCovered(r.namespace, namespaces),
  );
  const steps = entryGrantSteps(evidence, simulation, entry, outside, username);
  const fix = steps.map((step, i) =>
    i === 0 && steps.length > 1
      ? step
      : {
          ...step,
          aws:
            i === steps.length - 1
              ? [comment(`alternative to RBAC for ${request}: associate ${policy} for ${target} as well`), ...widened]
              : [comment('the aws CLI cannot create RBAC roles or bindings: use kubectl or Terraform')],
        },
  );
  return {
    messageId: 'deniedOutsideScope',
    subject: { kind: 'access-entry', name: entry.principalArn },
    affectsPrincipal: true,
    fix,
    data: {
      arn: entry.principalArn,
      request,
      namespaces: namespaces.join(', ') || '(none)',
      policies: policies.map((p) => policyName(p.policyArn)).join(', '),
      why: review.namespace
        ? `namespace ${review.namespace} is not among them`
        : 'a namespace scope never covers cluster-scoped requests',
      policy,
      target,
      limits: '',
      cluster: clusterNameOf(evidence),
      aws: widened,
      policyKey:
        policy
          .replace(/^AmazonEKS/, '')
          .replace(/Policy$/, '')
          .toLowerCase() || 'policy',
      policyArn: policyArn(partitionOf(entry.principalArn), policy),
      scopeType: review.namespace ? 'namespace' : 'cluster',
      scopeNamespaces: review.namespace ? [...namespaces, review.namespace] : [],
    },
  };
}

/** The namespaces of the requests the user asked doctor about (`--can VERB RESOURCE -n NS`). */
const askedNamespaces = (evidence: CheckContext['evidence']): string[] => [
  ...new Set(
    (evidence.probe?.accessReviews ?? []).flatMap((r) =>
      r.requested && r.namespace !== undefined ? [r.namespace] : [],
    ),
  ),
];

/** The namespaces of a `type=namespace,namespaces=a,b` scope; none for cluster scope. */
const scopeNamespaces = (scope: string): string[] | undefined =>
  /namespaces=(.*)$/.exec(scope)?.[1]?.split(',') ?? undefined;
