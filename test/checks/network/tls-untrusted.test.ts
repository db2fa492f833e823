import { describe, expect, test } from 'vitest';
import check from '../../../checks/network/tls-untrusted.js';
import type { Evidence, NetworkProbe } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered, kubeconfig } from '../_live.js';

const HOST = '0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';
const probe = (tls: NetworkProbe['tls']): NetworkProbe => ({
  host: HOST,
  port: 443,
  dns: { ok: true },
  tcp: { ok: true },
  ...(tls ? { tls } : {}),
});

describe('network/tls-untrusted', () => {
  test.each<[string, Evidence]>([
    ['TLS verifies', { network: probe({ ok: true }) }],
    [
      'the handshake timed out (network/endpoint-unreachable)',
      { network: probe({ ok: false, error: `no TLS handshake with ${HOST}:443 within 10000 ms` }) },
    ],
    [
      'the connection was reset (network/endpoint-unreachable)',
      { network: probe({ ok: false, error: 'ECONNRESET: socket hang up' }) },
    ],
    ['TLS not attempted (TCP failed)', { network: { host: HOST, port: 443, dns: { ok: true }, tcp: { ok: false } } }],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails: the certificate does not chain to the cluster CA', () => {
    const error = 'self-signed certificate in certificate chain';
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        network: probe({ ok: false, error }),
        kubeconfig: kubeconfig({ caMatchesCluster: false }),
      }),
    );
    expect(hits).toMatchObject([
      { messageId: 'untrusted', affectsPrincipal: true, data: { host: HOST, error, clusterName: 'platform' } },
    ]);
    expect(String(hits[0]?.data.kubeconfigNote)).toContain('context platform');
    expectRendered(check, hits);
  });
});
