import { describe, expect, test } from 'vitest';
import check, { isPrivateAddress } from '../../../checks/network/endpoint-unreachable.js';
import type { Evidence, NetworkProbe } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { CLUSTER, expectRendered } from '../_live.js';

const HOST = '0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';
const probe = (fields: Partial<NetworkProbe>): NetworkProbe => ({
  host: HOST,
  port: 443,
  dns: { ok: true, addresses: ['52.1.2.3'] },
  tcp: { ok: true, ms: 20 },
  tls: { ok: true, ms: 30 },
  ...fields,
});
const timeout = { ok: false, error: 'connect ETIMEDOUT 10.0.1.5:443' };

describe('network/endpoint-unreachable', () => {
  test.each<[string, Evidence]>([
    ['DNS, TCP and TLS work', { network: probe({}) }],
    ['TCP not attempted', { network: probe({ tcp: undefined }) }],
    [
      'TLS fails on the certificate (network/tls-untrusted says so)',
      {
        network: probe({
          tls: { ok: false, error: 'SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain' },
        }),
      },
    ],
  ])('passes: %s', (_, evidence) => {
    expect(check.run(contextFor(evidence))).toEqual([]);
  });

  test('fails: the name does not resolve', () => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        network: probe({ dns: { ok: false, error: 'getaddrinfo ENOTFOUND' }, tcp: undefined }),
      }),
    );
    expect(hits).toMatchObject([
      { messageId: 'dnsFailed', affectsPrincipal: true, data: { host: HOST, error: 'getaddrinfo ENOTFOUND' } },
    ]);
    expectRendered(check, hits);
  });

  test('fails: private-only endpoint, TCP times out', () => {
    const hits = check.run(
      contextFor({
        cluster: { ...CLUSTER, endpointPublicAccess: false, endpointPrivateAccess: true },
        network: probe({ dns: { ok: true, addresses: ['10.0.1.5'] }, tcp: timeout }),
      }),
    );
    expect(hits).toMatchObject([
      { messageId: 'tcpFailed', data: { port: 443, addressNote: ' (10.0.1.5)', error: timeout.error } },
    ]);
    expect(String(hits[0]?.data.accessNote)).toContain('endpointPublicAccess=false');
    expectRendered(check, hits);
  });

  test('fails: outside publicAccessCidrs; the fix keeps the existing CIDRs', () => {
    const hits = check.run(
      contextFor({
        cluster: { ...CLUSTER, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
        network: probe({ tcp: { ok: false, error: 'connect ETIMEDOUT 52.1.2.3:443' } }),
      }),
    );
    expect(String(hits[0]?.data.accessNote)).toContain('203.0.113.0/24');
    expect(JSON.parse(String(hits[0]?.data.vpcConfig))).toEqual({
      endpointPublicAccess: true,
      publicAccessCidrs: ['203.0.113.0/24', 'EGRESS_IP/32'],
    });
    expect(hits[0]?.data.cidrList).toBe('203.0.113.0/24,EGRESS_IP/32');
  });

  test('fails: TCP connects but the TLS handshake times out', () => {
    const error = `no TLS handshake with ${HOST}:443 within 10000 ms`;
    const hits = check.run(contextFor({ cluster: CLUSTER, network: probe({ tls: { ok: false, error } }) }));
    expect(hits).toMatchObject([{ messageId: 'handshakeFailed', affectsPrincipal: true, data: { host: HOST, error } }]);
    expectRendered(check, hits);
  });

  test('fails: private addresses with no cluster info say so', () => {
    const hits = check.run(
      contextFor({ network: probe({ dns: { ok: true, addresses: ['172.20.0.9'] }, tcp: timeout }) }),
    );
    expect(String(hits[0]?.data.accessNote)).toContain('private addresses (172.20.0.9)');
  });

  test.each<[string, boolean]>([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['52.1.2.3', false],
    ['fd12:3456::1', true],
  ])('isPrivateAddress(%s) = %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
