import { expect } from 'vitest';
import { unfilledPlaceholders } from '../../src/core/render.js';
import { renderHit } from '../../src/core/run-checks.js';
import type { Check, Hit } from '../../src/core/types.js';
import type { ClusterInfo, KubeconfigFacts } from '../../src/model/evidence.js';
import { ACCOUNT } from '../helpers/evidence.js';

/** Fixtures and assertions shared by the tests of the live (doctor) checks. */

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

/** Every placeholder of the message, remediation and fix is filled (`{{SessionName}}` in prose excepted). */
export function expectRendered(check: Check, hits: readonly Hit[]): void {
  expect(hits.length).toBeGreaterThan(0);
  for (const hit of hits) {
    const finding = renderHit(check, hit);
    const texts = [finding.message, finding.remediation, ...Object.values(finding.fix ?? {}).flat()];
    for (const text of texts)
      expect(unfilledPlaceholders(String(text).replace(/\{\{\w+\}\}/g, '')), String(text)).toEqual([]);
  }
}
