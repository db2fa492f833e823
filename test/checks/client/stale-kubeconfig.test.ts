import { fixText } from '../../helpers/check-table.js';
import { describe, expect, test } from 'vitest';
import check, { normalizeServer } from '../../../checks/client/stale-kubeconfig.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered, kubeconfig } from '../_live.js';

const OLD = 'https://FEDCBA9876543210.gr7.eu-west-1.eks.amazonaws.com';

describe('client/stale-kubeconfig', () => {
  test.each<[string, Evidence]>([
    ['same server and CA', { cluster: CLUSTER, kubeconfig: kubeconfig() }],
    [
      'same server written differently',
      { cluster: CLUSTER, kubeconfig: kubeconfig({ server: `${(CLUSTER.endpoint ?? '').toLowerCase()}:443/` }) },
    ],
    ['CA not compared', { cluster: CLUSTER, kubeconfig: kubeconfig({ caMatchesCluster: undefined }) }],
    ['no server in the kubeconfig entry', { cluster: CLUSTER, kubeconfig: { path: '/k', context: 'c' } }],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails: the server is an older cluster of the same name, CA too', () => {
    const hits = check.run(
      contextFor({ cluster: CLUSTER, kubeconfig: kubeconfig({ server: OLD, caMatchesCluster: false }) }),
    );
    expect(hits).toMatchObject([
      {
        messageId: 'serverDiffers',
        affectsPrincipal: true,
        data: { server: OLD, endpoint: CLUSTER.endpoint, caNote: ', and its CA differs too' },
      },
    ]);
    expect(String(fixText(hits[0]?.data.updateKubeconfig))).toBe(
      'aws eks update-kubeconfig --name platform --region eu-west-1',
    );
    expectRendered(check, hits);
  });

  test('fails: only the CA differs', () => {
    const hits = check.run(contextFor({ cluster: CLUSTER, kubeconfig: kubeconfig({ caMatchesCluster: false }) }));
    expect(hits).toMatchObject([{ messageId: 'caDiffers', data: { context: 'platform' } }]);
    expectRendered(check, hits);
  });

  test('normalizes scheme-case, default port and trailing slash only', () => {
    expect(normalizeServer('https://X.example.com:443/')).toBe('https://x.example.com');
    expect(normalizeServer('https://x.example.com:8443')).toBe('https://x.example.com:8443');
  });
});
