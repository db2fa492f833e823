import type { ClusterInfo, KubeconfigFacts } from '../../src/model/evidence.js';
import { ACCOUNT } from '../helpers/evidence.js';

/** Fixtures and assertions shared by the tests of the live (doctor) checks. */

export { expectRendered } from '../helpers/check-table.js';

export const CLUSTER: ClusterInfo = {
  name: 'platform',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'API_AND_CONFIG_MAP',
  status: 'ACTIVE',
  endpoint: 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
  createdAt: '2024-03-01T10:00:00Z',
};

export function kubeconfig(
  fields: Partial<KubeconfigFacts> = {},
  exec: Partial<NonNullable<KubeconfigFacts['exec']>> = {},
): KubeconfigFacts {
  return {
    path: '/home/me/.kube/config',
    context: 'platform',
    server: CLUSTER.endpoint,
    caMatchesCluster: true,
    exec: {
      command: 'aws',
      args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'platform'],
      env: {},
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      commandFound: true,
      ...exec,
    },
    ...fields,
  };
}
