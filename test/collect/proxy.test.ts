import { describe, expect, test } from 'vitest';
import {
  clusterProxyFor,
  proxyConfigured,
  proxyFor,
  redactProxyUrl,
  type ProxyRules,
} from '../../src/collect/proxy.js';

const P = 'http://proxy.corp:3128';

/**
 * [rules, target, env, expected proxy (or null for direct)]. Rows marked "differs" are where
 * botocore (the aws CLI) and Go's httpproxy (kubectl) disagree; the curl column in docs/proxies.md.
 */
const TABLE: [ProxyRules, string, Record<string, string>, string | null, string][] = [
  // Which variable, which case.
  ['aws', 'https://sts.us-east-1.amazonaws.com', { HTTPS_PROXY: P }, P, 'upper case alone'],
  ['aws', 'https://sts.us-east-1.amazonaws.com', { https_proxy: P }, P, 'lower case alone'],
  [
    'aws',
    'https://eks.amazonaws.com',
    { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' },
    'http://lower:2',
    'differs: urllib prefers lower case',
  ],
  [
    'kubectl',
    'https://eks.amazonaws.com',
    { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' },
    'http://upper:1',
    'differs: Go prefers upper case',
  ],
  [
    'aws',
    'https://eks.amazonaws.com',
    { HTTPS_PROXY: P, https_proxy: '' },
    null,
    'differs: an empty lower-case value switches urllib off',
  ],
  ['kubectl', 'https://eks.amazonaws.com', { HTTPS_PROXY: P, https_proxy: '' }, P, 'differs: Go skips empty values'],
  ['aws', 'https://eks.amazonaws.com', { HTTP_PROXY: P }, null, 'an https URL never uses HTTP_PROXY'],
  ['kubectl', 'https://eks.amazonaws.com', { HTTP_PROXY: P }, null, 'an https URL never uses HTTP_PROXY (Go)'],
  ['aws', 'http://127.0.0.1:4566', { HTTP_PROXY: P }, P, 'http URL, HTTP_PROXY'],
  ['aws', 'http://127.0.0.1:4566', { HTTP_PROXY: P, REQUEST_METHOD: 'GET' }, null, 'CGI forgets HTTP_PROXY (httpoxy)'],
  [
    'aws',
    'http://127.0.0.1:4566',
    { http_proxy: P, REQUEST_METHOD: 'GET' },
    P,
    'CGI keeps lower-case http_proxy in urllib',
  ],
  ['kubectl', 'http://10.0.0.1', { HTTP_PROXY: P, REQUEST_METHOD: 'GET' }, null, 'Go refuses HTTP_PROXY under CGI'],
  [
    'aws',
    'https://eks.amazonaws.com',
    { HTTPS_PROXY: 'proxy.corp:3128' },
    'http://proxy.corp:3128',
    'no scheme means http',
  ],
  [
    'kubectl',
    'https://eks.amazonaws.com',
    { HTTPS_PROXY: 'proxy.corp:3128' },
    'http://proxy.corp:3128',
    'no scheme means http (Go)',
  ],
  ['aws', 'https://eks.amazonaws.com', { ALL_PROXY: P }, null, 'ALL_PROXY is curl-only'],
  // Loopback.
  ['aws', 'http://127.0.0.1:4566', { HTTP_PROXY: P }, P, 'differs: botocore proxies loopback'],
  ['kubectl', 'https://127.0.0.1:6443', { HTTPS_PROXY: P }, null, 'differs: Go never proxies loopback'],
  ['kubectl', 'https://localhost:6443', { HTTPS_PROXY: P }, null, 'Go never proxies localhost'],
  ['kubectl', 'https://[::1]:6443', { HTTPS_PROXY: P }, null, 'Go never proxies ::1'],
  ['kubectl', 'https://10.0.0.1:6443', { HTTPS_PROXY: P }, P, 'a private address is proxied'],
  // NO_PROXY suffixes.
  ['aws', 'https://sts.amazonaws.com', { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com' }, null, 'suffix'],
  ['kubectl', 'https://sts.amazonaws.com', { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com' }, null, 'suffix (Go)'],
  [
    'aws',
    'https://amazonaws.com',
    { HTTPS_PROXY: P, NO_PROXY: '.amazonaws.com' },
    null,
    'differs: urllib strips the leading dot',
  ],
  [
    'kubectl',
    'https://amazonaws.com',
    { HTTPS_PROXY: P, NO_PROXY: '.amazonaws.com' },
    P,
    'differs: Go leading dot = subdomains only',
  ],
  [
    'kubectl',
    'https://x.amazonaws.com',
    { HTTPS_PROXY: P, NO_PROXY: '.amazonaws.com' },
    null,
    'Go leading dot matches subdomains',
  ],
  [
    'kubectl',
    'https://x.eks.amazonaws.com',
    { HTTPS_PROXY: P, NO_PROXY: '*.eks.amazonaws.com' },
    null,
    'Go *. is a leading dot',
  ],
  ['aws', 'https://notamazonaws.com', { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com' }, P, 'a suffix must start at a dot'],
  [
    'kubectl',
    'https://notamazonaws.com',
    { HTTPS_PROXY: P, NO_PROXY: 'amazonaws.com' },
    P,
    'a suffix must start at a dot (Go)',
  ],
  [
    'aws',
    'https://STS.AmazonAWS.com',
    { HTTPS_PROXY: P, NO_PROXY: ' foo.com , AMAZONAWS.COM ' },
    null,
    'case and spaces',
  ],
  [
    'aws',
    'https://sts.amazonaws.com',
    { HTTPS_PROXY: P, no_proxy: 'amazonaws.com', NO_PROXY: 'other.com' },
    null,
    'lower-case no_proxy wins (urllib)',
  ],
  [
    'kubectl',
    'https://x.amazonaws.com',
    { HTTPS_PROXY: P, no_proxy: 'amazonaws.com', NO_PROXY: 'other.com' },
    P,
    'upper-case NO_PROXY wins (Go)',
  ],
  ['aws', 'https://sts.amazonaws.com', { HTTPS_PROXY: P, NO_PROXY: '*' }, null, '* bypasses all'],
  [
    'aws',
    'https://sts.amazonaws.com',
    { HTTPS_PROXY: P, NO_PROXY: 'foo.com,*' },
    P,
    'differs: urllib honours * only alone',
  ],
  [
    'kubectl',
    'https://x.amazonaws.com',
    { HTTPS_PROXY: P, NO_PROXY: 'foo.com,*' },
    null,
    'differs: Go honours * in a list',
  ],
  // Ports.
  ['aws', 'http://127.0.0.1:4566', { HTTP_PROXY: P, NO_PROXY: '127.0.0.1:4566' }, null, 'host:port matches that port'],
  ['aws', 'http://127.0.0.1:4566', { HTTP_PROXY: P, NO_PROXY: '127.0.0.1:9999' }, P, 'host:port, another port'],
  ['kubectl', 'https://10.0.0.1:6443', { HTTPS_PROXY: P, NO_PROXY: '10.0.0.1:6443' }, null, 'Go ip:port'],
  ['kubectl', 'https://10.0.0.1:6443', { HTTPS_PROXY: P, NO_PROXY: '10.0.0.1:443' }, P, 'Go ip:port, another port'],
  [
    'kubectl',
    'https://api.example.com',
    { HTTPS_PROXY: P, NO_PROXY: 'example.com:443' },
    null,
    'Go fills in the default port',
  ],
  // IP literals and CIDRs.
  ['aws', 'http://10.1.2.3', { HTTP_PROXY: P, NO_PROXY: '10.0.0.0/8' }, P, 'differs: urllib knows no CIDR'],
  ['kubectl', 'https://10.1.2.3', { HTTPS_PROXY: P, NO_PROXY: '10.0.0.0/8' }, null, 'differs: Go matches CIDRs'],
  ['kubectl', 'https://11.1.2.3', { HTTPS_PROXY: P, NO_PROXY: '10.0.0.0/8' }, P, 'Go CIDR, outside'],
  ['kubectl', 'https://[fd00::5]', { HTTPS_PROXY: P, NO_PROXY: 'fd00::/8' }, null, 'Go IPv6 CIDR'],
  ['kubectl', 'https://[fd00::5]', { HTTPS_PROXY: P, NO_PROXY: '[fd00::5]:443' }, null, 'Go bracketed IPv6 with port'],
  [
    'kubectl',
    'https://sts.amazonaws.com',
    { HTTPS_PROXY: P, NO_PROXY: '10.0.0.0/8' },
    P,
    'a CIDR never matches a name',
  ],
  ['aws', 'http://10.1.2.3:80', { HTTP_PROXY: P, NO_PROXY: '10.1.2.3' }, null, 'an IP literal entry'],
];

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
