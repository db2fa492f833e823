import { describe, expect, it } from 'vitest';
import type { NetworkProbe } from '../../src/model/evidence.js';
import { networkError } from '../../src/model/network-path.js';

const base: NetworkProbe = { host: 'abc.gr7.eu-west-1.eks.amazonaws.com', port: 443, dns: { ok: true } };
const proxy = (connect: NonNullable<NetworkProbe['proxy']>['connect']): NetworkProbe['proxy'] => ({
  url: 'http://proxy.corp:3128',
  source: 'HTTPS_PROXY',
  connect,
});

describe('networkError names the first failure on the path', () => {
  it('a proxy that refused CONNECT is named with its answer', () => {
    expect(networkError({ ...base, proxy: proxy({ ok: false, status: 403, error: 'HTTP 403 Forbidden' }) })).toBe(
      'proxy http://proxy.corp:3128 (HTTPS_PROXY) answered CONNECT abc.gr7.eu-west-1.eks.amazonaws.com:443 with HTTP 403 Forbidden',
    );
    expect(networkError({ ...base, proxy: proxy({ ok: false }) })).toMatch(/ with nothing$/);
  });

  it('through a proxy that connected, the tunnel’s own failure counts', () => {
    const probe = {
      ...base,
      proxy: proxy({ ok: true }),
      tls: { ok: false, error: 'certificate signed by unknown authority' },
    };
    expect(networkError(probe)).toBe('certificate signed by unknown authority');
  });

  it('TLS, then TCP, then DNS; else unreachable', () => {
    expect(
      networkError({ ...base, tcp: { ok: false, error: 'ECONNREFUSED' }, dns: { ok: false, error: 'ENOTFOUND' } }),
    ).toBe('ECONNREFUSED');
    expect(networkError({ ...base, dns: { ok: false, error: 'ENOTFOUND' } })).toBe('ENOTFOUND');
    expect(networkError(base)).toBe('unreachable');
  });
});
