import { describe, expect, test } from 'vitest';
import check from '../../../checks/network/tls-untrusted.js';
import type { Evidence, NetworkProbe } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { fixText } from '../../helpers/check-table.js';
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

  test('the whole finding: subject, data and the exact commands', () => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        credentialEnv: { profile: 'dev', staticKeys: false },
        network: probe({ ok: false }),
        kubeconfig: kubeconfig(),
      }),
    );
    expect(hits).toEqual([
      {
        messageId: 'untrusted',
        subject: { kind: 'cluster', name: 'platform' },
        affectsPrincipal: true,
        data: {
          host: HOST,
          clusterName: 'platform',
          cluster: 'platform',
          region: 'eu-west-1',
          error: 'verification failed',
          profileFlag: ['--profile', 'dev'],
          kubeconfigNote: '',
          peerIssuer: expect.anything(),
          updateKubeconfig: expect.anything(),
        },
      },
    ]);
    expect(fixText(hits[0]?.data.peerIssuer).split('\n')).toEqual([
      '# who signed the certificate you receive (s_client reads nothing: its input is /dev/null)',
      `openssl s_client -connect ${HOST}:443 -servername ${HOST} < /dev/null | openssl x509 -noout -issuer`,
    ]);
    expect(fixText(hits[0]?.data.updateKubeconfig)).toBe(
      'aws eks update-kubeconfig --name platform --region eu-west-1 --profile dev',
    );
  });

  test('passes: no network probe', () => {
    expect(check.run(contextFor({ cluster: CLUSTER }))).toEqual([]);
  });

  test('a stale CA in kubeconfig is named', () => {
    const hits = check.run(
      contextFor({ network: probe({ ok: false, error: 'x' }), kubeconfig: kubeconfig({ caMatchesCluster: false }) }),
    );
    expect(hits[0]?.data.kubeconfigNote).toBe("; the CA in kubeconfig context platform is not the cluster's either");
  });

  test.each([
    ['unable to verify the first certificate'],
    ["Hostname/IP does not match certificate's altnames"],
    ['X509: certificate signed by unknown authority'],
    ['self signed certificate'],
    ['unable to get issuer certificate'],
  ])('through a proxy, a certificate error (%s) is untrusted', (error) => {
    const network = {
      ...probe({ ok: false, error }),
      proxy: { url: 'http://proxy:3128', source: 'HTTPS_PROXY', connect: { ok: true, status: 200 } },
    };
    expect(check.run(contextFor({ cluster: CLUSTER, network }))).toMatchObject([{ messageId: 'untrusted' }]);
  });

  test('through a proxy, TLS that is not a certificate problem (or no error) is network/proxy-refused', () => {
    for (const tls of [{ ok: false, error: 'EPROTO: wrong version number' }, { ok: false }]) {
      const network = {
        ...probe(tls),
        proxy: { url: 'http://proxy:3128', source: 'HTTPS_PROXY', connect: { ok: true, status: 200 } },
      };
      expect(check.run(contextFor({ cluster: CLUSTER, network }))).toEqual([]);
    }
  });
});
