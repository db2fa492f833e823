import { describe, expect, test } from 'vitest';
import { clusterProxyFor, proxyConfigured, proxyFor, redactProxyUrl } from '../../src/collect/proxy.js';
import { P, TABLE } from './proxy-table.js';

describe('proxyFor: botocore (aws CLI) and Go (kubectl) rules', () => {
  test.each(TABLE)('%s %s %j → %s (%s)', (rules, target, env, expected) => {
    const choice = proxyFor(target, env, rules);
    expect(choice ? choice.url.href.replace(/\/$/, '') : null).toBe(expected);
  });

  test('the choice names the variable it came from', () => {
    expect(proxyFor('https://eks.amazonaws.com', { https_proxy: P }, 'aws')?.source).toBe('https_proxy');
    expect(proxyFor('https://eks.amazonaws.com', { HTTPS_PROXY: P }, 'kubectl')?.source).toBe('HTTPS_PROXY');
  });
});

describe("clusterProxyFor: kubeconfig proxy-url wins over the environment, like client-go's", () => {
  test('proxy-url applies to loopback and ignores NO_PROXY', () => {
    const choice = clusterProxyFor('https://127.0.0.1:6443', { NO_PROXY: '*' }, 'http://127.0.0.1:3128');
    expect(choice?.url.href).toBe('http://127.0.0.1:3128/');
    expect(choice?.source).toBe('proxy-url');
  });
  test('without proxy-url, Go rules', () => {
    expect(clusterProxyFor('https://127.0.0.1:6443', { HTTPS_PROXY: P })).toBeUndefined();
    expect(clusterProxyFor('https://abc.gr7.eu-west-1.eks.amazonaws.com', { HTTPS_PROXY: P })?.url.host).toBe(
      'proxy.corp:3128',
    );
  });
});

describe('credentials in a proxy URL never print', () => {
  test('redactProxyUrl', () => {
    const url = proxyFor('https://eks.amazonaws.com', { HTTPS_PROXY: 'http://me:hunter22@proxy:3128' }, 'aws')?.url;
    expect(url && redactProxyUrl(url)).toBe('http://<redacted>@proxy:3128');
    expect(redactProxyUrl(new URL('http://proxy:3128'))).toBe('http://proxy:3128');
  });
  test('proxyConfigured sees any spelling and ignores empty values', () => {
    expect(proxyConfigured({ Https_Proxy: P })).toBe(true);
    expect(proxyConfigured({ HTTPS_PROXY: '' })).toBe(false);
    expect(proxyConfigured({ NO_PROXY: 'x' })).toBe(false);
  });
});
