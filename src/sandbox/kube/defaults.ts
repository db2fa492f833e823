import type { KubeObject } from '../scenario/types.js';
import { ADMIN_RULES, CLUSTER_ADMIN_RULES, EDIT_RULES, VIEW_RULES, type PolicyRule } from './rules.js';

const RBAC = 'rbac.authorization.k8s.io/v1';

const clusterRole = (name: string, rules: PolicyRule[]): KubeObject => ({
  apiVersion: RBAC,
  kind: 'ClusterRole',
  metadata: { name },
  rules,
});
const clusterRoleBinding = (name: string, role: string, subjects: { kind: string; name: string }[]): KubeObject => ({
  apiVersion: RBAC,
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: subjects.map((s) => ({ ...s, apiGroup: 'rbac.authorization.k8s.io' })),
});

const DISCOVERY_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/openapi',
  '/openapi/*',
  '/readyz',
  '/version',
  '/version/',
];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

/**
 * What every new EKS cluster has: the namespaces, the upstream bootstrap ClusterRoles that
 * decide discovery and self-reviews, the user-facing roles, and EKS's own `eks:node-manager`
 * (whose loss is the most common cause of node-group AccessDenied, facts §4.3).
 */
export function defaultObjects(): KubeObject[] {
  const namespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((name): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }));
  return [
    ...namespaces,
    clusterRole('cluster-admin', CLUSTER_ADMIN_RULES),
    clusterRoleBinding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
    clusterRole('admin', ADMIN_RULES),
    clusterRole('edit', EDIT_RULES),
    clusterRole('view', VIEW_RULES),
    clusterRole('system:discovery', [{ nonResourceURLs: DISCOVERY_URLS, verbs: ['get'] }]),
    clusterRoleBinding('system:discovery', 'system:discovery', [{ kind: 'Group', name: 'system:authenticated' }]),
    clusterRole('system:basic-user', [
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        verbs: ['create'],
      },
    ]),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [{ kind: 'Group', name: 'system:authenticated' }]),
    clusterRole('system:public-info-viewer', [{ nonResourceURLs: PUBLIC_INFO_URLS, verbs: ['get'] }]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
      { kind: 'Group', name: 'system:authenticated' },
      { kind: 'Group', name: 'system:unauthenticated' },
    ]),
    clusterRole('eks:node-manager', [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'delete'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'patch'] },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    ]),
    clusterRoleBinding('eks:node-manager', 'eks:node-manager', [{ kind: 'User', name: 'eks:node-manager' }]),
  ];
}

export function awsAuthConfigMap(data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'aws-auth', namespace: 'kube-system' },
    data: { ...data },
  };
}
