/**
 * RBAC rules and what the user-facing EKS access policies grant, as the sandbox authorizer applies them
 * and as rbac/forbidden picks the narrowest policy that grants a denied request.
 */

/** An RBAC PolicyRule. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/** What the upstream `view` ClusterRole reads (no Secrets, no RBAC objects), simplified to the groups the sandbox knows. */
const VIEWABLE: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'pods',
      'pods/log',
      'pods/status',
      'replicationcontrollers',
      'serviceaccounts',
      'services',
      'events',
      'limitranges',
      'resourcequotas',
      'namespaces',
    ],
    verbs: READ,
  },
  {
    apiGroups: ['apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'discovery.k8s.io'],
    resources: ['*'],
    verbs: READ,
  },
];

export const VIEW_RULES: PolicyRule[] = VIEWABLE;

export const EDIT_RULES: PolicyRule[] = [
  ...VIEWABLE,
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'pods',
      'replicationcontrollers',
      'serviceaccounts',
      'services',
      'secrets',
    ],
    verbs: [...READ, ...WRITE],
  },
  { apiGroups: [''], resources: ['pods/exec', 'pods/attach', 'pods/portforward'], verbs: ['create', 'get'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  {
    apiGroups: ['apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io'],
    resources: ['*'],
    verbs: [...READ, ...WRITE],
  },
];

export const ADMIN_RULES: PolicyRule[] = [
  ...EDIT_RULES,
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
];

export const CLUSTER_ADMIN_RULES: PolicyRule[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
  { nonResourceURLs: ['*'], verbs: ['*'] },
];

/** Each user-facing EKS access policy, as the rules it grants (access-policy-reference; approximations for admin/edit/view). */
export const ACCESS_POLICY_RULES: Record<string, PolicyRule[]> = {
  AmazonEKSClusterAdminPolicy: CLUSTER_ADMIN_RULES,
  AmazonEKSAdminPolicy: ADMIN_RULES,
  AmazonEKSEditPolicy: EDIT_RULES,
  AmazonEKSViewPolicy: VIEW_RULES,
  AmazonEKSAdminViewPolicy: [{ apiGroups: ['*'], resources: ['*'], verbs: READ }],
};

export interface RequestAttributes {
  verb: string;
  /** Resource requests. */
  resource?: { group: string; resource: string; subresource?: string; namespace?: string; name?: string };
  /** Non-resource requests (`/version`, `/api`). */
  path?: string;
}

export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(attrs.verb)) return false;
  const path = attrs.path;
  if (path !== undefined) {
    // NonResourceURLMatches: the exact path, or a prefix ending in `*` (strings.TrimRight: every
    // trailing `*` goes; `*` alone is the empty prefix, so it matches every path).
    return (
      rule.nonResourceURLs?.some((u) => u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, '')))) ??
      false
    );
  }
  const r = attrs.resource;
  if (!r || !rule.resources) return false;
  if (!rule.apiGroups?.some((g) => g === '*' || g === r.group)) return false;
  const full = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  // Kubernetes' ResourceMatches (plugin/pkg/auth/authorizer/rbac): `*`, the exact
  // resource[/subresource], or `*/subresource` (any resource's); `pods/*` names nothing.
  if (
    !rule.resources.some((x) => x === '*' || x === full || (r.subresource !== undefined && x === `*/${r.subresource}`))
  )
    return false;
  if (rule.resourceNames && rule.resourceNames.length > 0 && !(r.name && rule.resourceNames.includes(r.name)))
    return false;
  return true;
}
