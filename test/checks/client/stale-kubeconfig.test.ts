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

  test.each<[string, string]>([
    ['  https://X.example.com  ', 'https://x.example.com'],
    ['https://x.example.com///', 'https://x.example.com'],
    ['https://x.example.com:443', 'https://x.example.com'],
    ['https://x.example.com:4430', 'https://x.example.com:4430'],
    ['https://x.example.com:443/api', 'https://x.example.com:443/api'],
    ['http://x.example.com:443', 'http://x.example.com:443'],
    ['xhttps://x.example.com:443', 'xhttps://x.example.com:443'],
  ])('normalizeServer(%s) = %s', (url, normal) => {
    expect(normalizeServer(url)).toBe(normal);
  });

  test('the whole finding when only the CA differs: no server in kubeconfig, profile from the exec entry', () => {
    const hits = check.run(
      contextFor({
        cluster: { ...CLUSTER, endpoint: undefined },
        kubeconfig: kubeconfig(
          { server: undefined, caMatchesCluster: false },
          { args: ['eks', 'get-token'], env: { AWS_PROFILE: 'ops' } },
        ),
      }),
    );
    expect(hits).toEqual([
      {
        messageId: 'caDiffers',
        subject: { kind: 'kubeconfig', name: 'platform' },
        affectsPrincipal: true,
        data: {
          context: 'platform',
          path: '/home/me/.kube/config',
          server: '',
          endpoint: '',
          cluster: 'platform',
          caNote: '',
          region: 'eu-west-1',
          profileFlag: ['--profile', 'ops'],
          updateKubeconfig: expect.anything(),
        },
      },
    ]);
    expect(fixText(hits[0]?.data.updateKubeconfig)).toBe(
      'aws eks update-kubeconfig --name platform --region eu-west-1 --profile ops',
    );
  });

  test('only the server differs: no CA note', () => {
    const hits = check.run(contextFor({ cluster: CLUSTER, kubeconfig: kubeconfig({ server: OLD }) }));
    expect(hits).toMatchObject([{ messageId: 'serverDiffers', data: { caNote: '' } }]);
  });

  test('passes: the cluster has no endpoint to compare with', () => {
    const hits = check.run(
      contextFor({ cluster: { ...CLUSTER, endpoint: undefined }, kubeconfig: kubeconfig({ server: OLD }) }),
    );
    expect(hits).toEqual([]);
  });

  test('passes: no kubeconfig, or no cluster', () => {
    expect(check.run(contextFor({ cluster: CLUSTER }))).toEqual([]);
    expect(check.run(contextFor({ kubeconfig: kubeconfig({ server: OLD, caMatchesCluster: false }) }))).toEqual([]);
  });
});
