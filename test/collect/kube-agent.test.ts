import type { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { describe, expect, test } from 'vitest';
import { chooseKubeAgent } from '../../src/collect/kube-client.js';

// The library's own agent, told apart from the proxy decision's by identity.
const libraryAgent = new HttpsAgent();
const library = (): Agent => libraryAgent;
const eks = { name: 'eks', server: 'https://ABC123.gr7.eu-west-1.eks.amazonaws.com', skipTLSVerify: false };

describe('chooseKubeAgent: which way eksauth reaches the API server, as kubectl would', () => {
  test('HTTPS_PROXY applies to a remote cluster without proxy-url', () => {
    const agent = chooseKubeAgent(eks, {}, library, { HTTPS_PROXY: 'http://proxy.corp:3128' });
    expect(agent).not.toBe(libraryAgent);
  });

  test("a kubeconfig proxy-url wins: the library's agent carries it", () => {
    const agent = chooseKubeAgent({ ...eks, proxyUrl: 'http://other:8080' }, {}, library, {
      HTTPS_PROXY: 'http://proxy.corp:3128',
    });
    expect(agent).toBe(libraryAgent);
  });

  test('NO_PROXY, loopback and an empty environment go direct', () => {
    const env = { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.eks.amazonaws.com' };
    expect(chooseKubeAgent(eks, {}, library, env)).toBe(libraryAgent);
    const loopback = { ...eks, server: 'https://127.0.0.1:6443' };
    expect(chooseKubeAgent(loopback, {}, library, { HTTPS_PROXY: 'http://proxy.corp:3128' })).toBe(libraryAgent);
    expect(chooseKubeAgent(eks, {}, library, {})).toBe(libraryAgent);
    expect(chooseKubeAgent(eks, {}, library)).toBe(libraryAgent);
  });
});
