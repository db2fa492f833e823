/**
 * Just enough OpenAPI v3 for kubectl apply, replace and edit. Before writing they ask the server
 * whether it validates fields itself (a `fieldValidation` query parameter on the kind's PATCH
 * operation); when it does they skip client-side validation, which would need the protobuf
 * OpenAPI v2 document. The sandbox says so for the kinds it can write.
 */
const WRITABLE = [
  { group: '', version: 'v1', kind: 'ConfigMap', path: '/api/v1/namespaces/{namespace}/configmaps/{name}' },
  ...[
    ['Role', 'namespaces/{namespace}/roles/{name}'],
    ['RoleBinding', 'namespaces/{namespace}/rolebindings/{name}'],
    ['ClusterRole', 'clusterroles/{name}'],
    ['ClusterRoleBinding', 'clusterrolebindings/{name}'],
  ].map(([kind = '', path = '']) => ({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind,
    path: `/apis/rbac.authorization.k8s.io/v1/${path}`,
  })),
];

const groupVersionPath = (group: string, version: string): string =>
  group ? `apis/${group}/${version}` : `api/${version}`;

/** `/openapi/v3`: one entry per group version, pointing at its document. */
export function openApiV3Root(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const w of WRITABLE) {
    const gv = groupVersionPath(w.group, w.version);
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=sandbox` };
  }
  return { paths };
}

/** `/openapi/v3/api/v1` and the like; undefined for group versions the sandbox does not describe. */
export function openApiV3Document(gvPath: string, version: string): unknown {
  const kinds = WRITABLE.filter((w) => groupVersionPath(w.group, w.version) === gvPath);
  if (kinds.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const w of kinds) {
    paths[w.path] = {
      patch: {
        'x-kubernetes-group-version-kind': { group: w.group, version: w.version, kind: w.kind },
        'x-kubernetes-action': 'patch',
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: `v${version}.0` },
    paths,
    components: { schemas: {} },
  };
}
