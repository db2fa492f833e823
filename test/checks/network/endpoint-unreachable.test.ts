import { describe, expect, test } from 'vitest';
import check, { isHandshakeFailure, isPrivateAddress } from '../../../checks/network/endpoint-unreachable.js';
import type { Evidence, NetworkProbe } from '../../../src/model/evidence.js';
import { contextFor } from '../../helpers/evidence.js';
import { fixText } from '../../helpers/check-table.js';
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
    ['FC00::1', true],
    ['fe80::1', false],
    ['172.15.0.1', false],
    ['172.31.255.1', true],
    ['192.169.0.1', false],
    ['110.1.2.3', false],
    ['8.10.1.1', false],
    ['1.192.168.1', false],
    ['1.172.16.1', false],
    ['2001:db8::fc00:1', false],
  ])('isPrivateAddress(%s) = %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  test.each<[string, boolean]>([
    [`no TLS handshake with ${HOST}:443 within 10000 ms`, true],
    ['connect ETIMEDOUT 52.1.2.3:443', true],
    ['read ECONNRESET', true],
    ['write EPIPE', true],
    ['Socket hang up', true],
    ['TLS handshake timed out', true],
    ['handshake timeout', true],
    ['Client network socket disconnected: time out', true],
    ['within ms', false],
    ['self-signed certificate in certificate chain', false],
    ['', false],
  ])('isHandshakeFailure(%s) = %s', (error, expected) => {
    expect(isHandshakeFailure(error)).toBe(expected);
  });

  test('isHandshakeFailure(undefined) = false', () => {
    expect(isHandshakeFailure(undefined)).toBe(false);
  });

  test('through a proxy: network/proxy-refused reads the answer, not this check', () => {
    const network = probe({
      dns: { ok: false, error: 'getaddrinfo ENOTFOUND' },
      proxy: { url: 'http://proxy:3128', source: 'HTTPS_PROXY', connect: { ok: false } },
    });
    expect(check.run(contextFor({ cluster: CLUSTER, network }))).toEqual([]);
  });

  test('the whole finding: subject, data and fix values, with no cluster information', () => {
    const hits = check.run(contextFor({ network: probe({ dns: { ok: false } }) }));
    expect(hits).toEqual([
      {
        messageId: 'dnsFailed',
        subject: { kind: 'cluster', name: 'CLUSTER_NAME' },
        affectsPrincipal: true,
        data: {
          host: HOST,
          port: 443,
          clusterName: 'CLUSTER_NAME',
          cluster: 'CLUSTER_NAME',
          region: 'REGION',
          accessNote: '',
          cidrList: 'EGRESS_IP/32',
          hclCidrs: ['EGRESS_IP/32'],
          vpcConfig: '{"endpointPublicAccess":true,"publicAccessCidrs":["EGRESS_IP/32"]}',
          error: 'no address',
        },
      },
    ]);
  });

  test('a TCP failure without an error or an address', () => {
    const hits = check.run(contextFor({ cluster: CLUSTER, network: probe({ dns: { ok: true }, tcp: { ok: false } }) }));
    expect(hits).toMatchObject([
      {
        messageId: 'tcpFailed',
        affectsPrincipal: true,
        data: { error: 'connection failed', addressNote: '', cluster: 'platform' },
      },
    ]);
  });

  test('TCP to several addresses: all named', () => {
    const hits = check.run(
      contextFor({
        cluster: CLUSTER,
        network: probe({ dns: { ok: true, addresses: ['52.1.2.3', '52.1.2.4'] }, tcp: timeout }),
      }),
    );
    expect(hits).toMatchObject([{ data: { addressNote: ' (52.1.2.3, 52.1.2.4)' } }]);
  });

  describe('what the endpoint settings say about who may connect', () => {
    const noteFor = (cluster: Evidence['cluster'], addresses = ['52.1.2.3']) =>
      check.run(contextFor({ cluster, network: probe({ dns: { ok: true, addresses }, tcp: timeout }) }))[0]?.data
        .accessNote;

    test('no public endpoint, even with CIDRs or private addresses', () => {
      expect(
        noteFor({ ...CLUSTER, endpointPublicAccess: false, publicAccessCidrs: ['203.0.113.0/24'] }, ['10.0.0.1']),
      ).toBe(
        '. The cluster has no public endpoint (endpointPublicAccess=false): it is reachable only from its VPC or a network connected to it (VPN, peering, Direct Connect)',
      );
    });

    test('an allow-list without 0.0.0.0/0: every CIDR named', () => {
      expect(
        noteFor({ ...CLUSTER, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'] }),
      ).toBe(
        '. Public access is limited to 203.0.113.0/24, 198.51.100.7/32: the address this machine leaves the internet from must be in one of them',
      );
    });

    test.each([['0.0.0.0/0'], ['::/0']])('an allow-list holding %s is open to all', (open) => {
      expect(noteFor({ ...CLUSTER, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24', open] })).toBe(
        '. The public endpoint is open to any address, so look at what is in between: proxy, firewall, VPN split tunnel',
      );
    });

    test('an empty allow-list, public endpoint unknown, public addresses: nothing to say', () => {
      expect(noteFor({ ...CLUSTER, publicAccessCidrs: [] })).toBe('');
    });

    test('private addresses: only the private ones are named, with the host', () => {
      expect(noteFor(CLUSTER, ['52.1.2.3', '10.0.1.5', '192.168.0.2'])).toBe(
        `. ${HOST} resolves to private addresses (10.0.1.5, 192.168.0.2): only hosts in or connected to the VPC can reach them`,
      );
    });

    test('the fix keeps the listed CIDRs but not an open one, and adds this machine', () => {
      const hits = check.run(
        contextFor({
          cluster: { ...CLUSTER, publicAccessCidrs: ['0.0.0.0/0', '203.0.113.0/24', '::/0'] },
          network: probe({ tcp: timeout }),
        }),
      );
      expect(hits[0]?.data).toMatchObject({
        cidrList: '203.0.113.0/24,EGRESS_IP/32',
        hclCidrs: ['203.0.113.0/24', 'EGRESS_IP/32'],
      });
      expect(fixText(hits[0]?.data.vpcConfig)).toBe(
        '{"endpointPublicAccess":true,"publicAccessCidrs":["203.0.113.0/24","EGRESS_IP/32"]}',
      );
    });
  });
});
