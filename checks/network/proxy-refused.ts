import { defineCheck } from '../../src/core/types.js';

import { liveClusterName, liveRegion } from '../identity/_live-shared.js';
import { isHandshakeFailure } from './endpoint-unreachable.js';

type Message = 'proxyUnreachable' | 'connectRefused' | 'upstreamFailed' | 'tunnelBroken';

const FIX = {
  // NO_PROXY is shell configuration, not a command: the line that tries it sets it for one program via env(1).
  kubectl:
    "# kubectl takes the proxy from HTTPS_PROXY / https_proxy (or the kubeconfig's proxy-url); to go direct, add {host} to NO_PROXY in your shell profile; to try it once:\nenv NO_PROXY={host} kubectl get --raw /version",
  eksctl:
    '# eksctl and kubectl read the same HTTPS_PROXY and NO_PROXY: add {host} to NO_PROXY in your shell profile; to try it once:\nenv NO_PROXY={host} eksctl get cluster --name {cluster} --region {region}',
  aws: "curl -sv --proxy {proxy} https://{host}:{port}/version -o /dev/null   # the proxy's answer to CONNECT, as kubectl gets it",
  terraform:
    '# the kubernetes and helm providers read HTTPS_PROXY and NO_PROXY from the environment terraform runs in\n# proxy_url = "http://proxy.example.com:3128"   # provider "kubernetes", when it must differ',
  risks: [
    'Bypassing a corporate proxy may be against your network policy: ask for CONNECT to *.eks.amazonaws.com:443 to be allowed instead.',
    'A proxy URL can carry a password (http://user:pass@proxy): do not paste it into tickets or logs.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'network/proxy-refused',
    title: 'The proxy kubectl uses does not open a working tunnel to the cluster endpoint',
    severity: 'error',
    stage: 'reachability',
    needs: ['network'],
    messages: {
      proxyUnreachable: {
        text: 'The requests for {host}:{port} go through the proxy {proxy} (from {source}), as kubectl sends them, and the proxy does not answer ({error}): the request never leaves this machine, so it is not an authentication problem.',
        remediation:
          'Fix the proxy address in {source}, or start the proxy; if {host} needs no proxy, add it to NO_PROXY.',
        fix: FIX,
      },
      connectRefused: {
        text: 'The proxy {proxy} (from {source}) refuses to open a tunnel to {host}:{port} (CONNECT answered {error}): the API server never sees the request, so it is not an authentication problem.',
        remediation:
          'Ask for CONNECT to {host}:{port} to be allowed on the proxy (a 407 means it wants credentials), or go direct with NO_PROXY if this network allows it.',
        fix: FIX,
      },
      upstreamFailed: {
        text: "The proxy {proxy} (from {source}) could not connect to {host}:{port} itself (CONNECT answered {error}): the endpoint is not reachable from the proxy's network (a private endpoint, or publicAccessCidrs without the proxy's egress address). It is not an authentication problem.",
        remediation:
          "Reach a private endpoint without the proxy (NO_PROXY={host} from inside the VPC or VPN), or add the proxy's egress address to publicAccessCidrs.",
        fix: FIX,
      },
      tunnelBroken: {
        text: 'The proxy {proxy} (from {source}) opened a tunnel to {host}:{port}, but TLS inside it fails ({error}): the proxy, or something behind it, breaks the TLS connection. The API server never sees the request, so it is not an authentication problem.',
        remediation:
          'Have the proxy pass TLS to {host} through untouched (no inspection for *.eks.amazonaws.com), or go direct with NO_PROXY.',
        fix: FIX,
      },
    },
  },
  run({ evidence }) {
    const network = evidence.network;
    const proxy = network?.proxy;
    if (!network || !proxy) return [];
    const data = {
      host: network.host,
      port: network.port,
      proxy: proxy.url,
      source: proxy.source,
      cluster: liveClusterName(evidence),
      region: liveRegion(evidence),
    };
    const subject = { kind: 'cluster' as const, name: liveClusterName(evidence) };
    const hit = (messageId: Message, error: string) => [
      { messageId, subject, affectsPrincipal: true, data: { ...data, error } },
    ];
    const { connect } = proxy;
    if (!connect.ok) {
      const error = connect.error ?? 'no answer';
      if (connect.status === undefined) return hit('proxyUnreachable', error);
      return hit(connect.status >= 500 ? 'upstreamFailed' : 'connectRefused', error);
    }
    // A certificate the cluster's CA does not sign is network/tls-untrusted (an inspecting proxy among its causes).
    if (
      network.tls &&
      !network.tls.ok &&
      (isHandshakeFailure(network.tls.error) || isProtocolFailure(network.tls.error))
    )
      // Stryker disable next-line StringLiteral: both tests are false for no error, so the error is set here
      return hit('tunnelBroken', network.tls.error ?? 'TLS failed');
    return [];
  },
});

/** TLS that is not TLS at all: the far end of the tunnel spoke something else. */
const isProtocolFailure = (error: string | undefined): boolean =>
  /EPROTO|wrong version number|packet length too long|unexpected eof|ECONNREFUSED|disconnected before/i.test(
    error ?? '',
  );
