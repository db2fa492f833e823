import { groupVersion, RESOURCE_TYPES } from './resources.js';

/** `/version` for a cluster of this minor version, in the shape EKS builds report. */
export function versionInfo(version: string): unknown {
  const [major = '1', minor = '31'] = version.split('.');
  return {
    major,
    minor: `${minor}+`,
    gitVersion: `v${major}.${minor}.4-eks-a737599`,
    gitCommit: '0f9a2b5d8c1e4a7b3f6d9e2c5a8b1d4e7f0a3c6b',
    gitTreeState: 'clean',
    buildDate: '2024-12-10T21:58:33Z',
    goVersion: 'go1.22.9',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const groups = (): string[] => [...new Set(RESOURCE_TYPES.filter((t) => t.group !== '').map((t) => t.group))];

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups().map((name) => {
      const gv = { groupVersion: `${name}/v1`, version: 'v1' };
      return { name, versions: [gv], preferredVersion: gv };
    }),
  };
}

/** `/api/v1` or `/apis/GROUP/VERSION`; undefined when the sandbox does not serve that group version. */
export function apiResourceList(group: string, version: string): unknown {
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: types.map((t) => ({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    })),
  };
}
