import { describe, expect, test } from 'vitest';
import check from '../../../checks/network/proxy-refused.js';
import endpointUnreachable from '../../../checks/network/endpoint-unreachable.js';
import tlsUntrusted from '../../../checks/network/tls-untrusted.js';
import type { Evidence, NetworkProbe } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered } from '../_live.js';

const HOST = '0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';
const PROXY = { url: 'http://<redacted>@proxy.corp:3128', source: 'HTTPS_PROXY' };
const viaProxy = (connect: NonNullable<NetworkProbe['proxy']>['connect'], tls?: NetworkProbe['tls']): NetworkProbe => ({
  host: HOST,
  port: 443,
  dns: { ok: true, resolvedBy: 'proxy' },
  proxy: { ...PROXY, connect },
  ...(connect.ok ? { tcp: { ok: true, ms: 3 } } : {}),
  ...(tls ? { tls } : {}),
});

describe('network/proxy-refused', () => {
  test.each<[string, Evidence]>([
    [
      'no proxy on the path',
      { network: { host: HOST, port: 443, dns: { ok: true }, tls: { ok: false, error: 'ECONNRESET' } } },
    ],
    ['the tunnel and TLS work', { network: viaProxy({ ok: true, status: 200 }, { ok: true, ms: 5 }) }],
    [
      'a certificate the CA does not sign (network/tls-untrusted)',
      {
        network: viaProxy(
          { ok: true, status: 200 },
          { ok: false, error: 'SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain' },
        ),
      },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test.each<[string, NetworkProbe, string]>([
    [
      'the proxy is down',
      viaProxy({ ok: false, error: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3128' }),
      'proxyUnreachable',
    ],
    [
      'CONNECT is forbidden',
      viaProxy({ ok: false, status: 403, error: 'HTTP 403 Access violation' }),
      'connectRefused',
    ],
    ['the proxy wants credentials', viaProxy({ ok: false, status: 407, error: 'HTTP 407' }), 'connectRefused'],
    [
      'the proxy cannot reach the endpoint',
      viaProxy({ ok: false, status: 500, error: 'HTTP 500 Unable to connect' }),
      'upstreamFailed',
    ],
    [
      'TLS inside the tunnel is not TLS',
      viaProxy({ ok: true, status: 200 }, { ok: false, error: 'EPROTO: wrong version number' }),
      'tunnelBroken',
    ],
    [
      'TLS inside the tunnel is reset',
      viaProxy({ ok: true, status: 200 }, { ok: false, error: 'ECONNRESET: socket hang up' }),
      'tunnelBroken',
    ],
  ])('fails: %s', (_, network, messageId) => {
    const evidence = { cluster: CLUSTER, network };
    const hits = check.run(contextFor(evidence));
    expect(hits).toMatchObject([
      { messageId, affectsPrincipal: true, data: { host: HOST, proxy: PROXY.url, source: 'HTTPS_PROXY' } },
    ]);
    expectRendered(check, hits);
    // One finding for one failure: the endpoint checks leave the proxy's path to this check.
    expect(endpointUnreachable.run(contextFor(evidence))).toEqual([]);
    expect(tlsUntrusted.run(contextFor(evidence))).toEqual([]);
  });

  test('the whole finding: subject and data, with no cluster information', () => {
    const hits = check.run(contextFor({ network: viaProxy({ ok: false }) }));
    expect(hits).toEqual([
      {
        messageId: 'proxyUnreachable',
        subject: { kind: 'cluster', name: 'CLUSTER_NAME' },
        affectsPrincipal: true,
        data: {
          host: HOST,
          port: 443,
          proxy: PROXY.url,
          source: 'HTTPS_PROXY',
          cluster: 'CLUSTER_NAME',
          region: 'REGION',
          error: 'no answer',
        },
      },
    ]);
  });

  test.each<[number, string]>([
    [407, 'connectRefused'],
    [499, 'connectRefused'],
    [500, 'upstreamFailed'],
    [502, 'upstreamFailed'],
    [504, 'upstreamFailed'],
  ])('CONNECT answered %i: %s', (status, messageId) => {
    const hits = check.run(contextFor({ cluster: CLUSTER, network: viaProxy({ ok: false, status }) }));
    expect(hits).toMatchObject([{ messageId, data: { error: 'no answer', cluster: 'platform', region: 'eu-west-1' } }]);
  });

  test.each([
    ['write EPROTO 140:error:0A00010B:SSL routines::wrong version number'],
    ['packet length too long'],
    ['Unexpected EOF'],
    ['connect ECONNREFUSED'],
    ['Client network socket disconnected before secure TLS connection was established'],
    ['TLS handshake timed out'],
  ])('TLS inside the tunnel failing with "%s" is a broken tunnel', (error) => {
    const hits = check.run(
      contextFor({ cluster: CLUSTER, network: viaProxy({ ok: true, status: 200 }, { ok: false, error }) }),
    );
    expect(hits).toMatchObject([{ messageId: 'tunnelBroken', data: { error } }]);
  });

  test('passes: no network probe, or a tunnel through which TLS was not tried', () => {
    expect(check.run(contextFor({ cluster: CLUSTER }))).toEqual([]);
    expect(check.run(contextFor({ cluster: CLUSTER, network: viaProxy({ ok: true, status: 200 }) }))).toEqual([]);
  });

  test('TLS inside the tunnel failing without an error, or on something else, is not this check', () => {
    for (const tls of [{ ok: false }, { ok: false, error: 'unable to get local issuer certificate' }])
      expect(check.run(contextFor({ cluster: CLUSTER, network: viaProxy({ ok: true, status: 200 }, tls) }))).toEqual(
        [],
      );
  });
});
