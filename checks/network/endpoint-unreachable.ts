import type { Evidence } from '../../src/model/evidence.js';
import { defineCheck } from '../../src/core/types.js';

import { liveClusterName, liveRegion } from '../identity/_live-shared.js';

type Message = 'dnsFailed' | 'tcpFailed' | 'handshakeFailed';

/** A TLS failure that is about the connection (timeout, reset), not about the certificate. */
export const isHandshakeFailure = (error: string | undefined): boolean =>
  /within \d+ ms|ETIMEDOUT|ECONNRESET|EPIPE|socket hang up|timed? ?out/i.test(error ?? '');

/** RFC 1918 and RFC 4193 addresses: a private endpoint resolves to these. */
export function isPrivateAddress(address: string): boolean {
  if (/^10\./.test(address) || /^192\.168\./.test(address)) return true;
  const m = /^172\.(\d+)\./.exec(address);
  if (m && Number(m[1]) >= 16 && Number(m[1]) <= 31) return true;
  return /^f[cd][0-9a-f]{2}:/i.test(address);
}

const OPEN = ['0.0.0.0/0', '::/0'];

/** What the cluster's endpoint settings say about who may connect. */
function accessNote(evidence: Evidence, addresses: readonly string[]): string {
  const cluster = evidence.cluster;
  const privateIps = addresses.filter(isPrivateAddress);
  if (cluster?.endpointPublicAccess === false)
    return '. The cluster has no public endpoint (endpointPublicAccess=false): it is reachable only from its VPC or a network connected to it (VPN, peering, Direct Connect)';
  const cidrs = cluster?.publicAccessCidrs;
  if (cidrs && cidrs.length > 0 && !cidrs.some((c) => OPEN.includes(c)))
    return `. Public access is limited to ${cidrs.join(', ')}: the address this machine leaves the internet from must be in one of them`;
  if (privateIps.length > 0)
    return `. ${evidence.network?.host ?? 'The endpoint'} resolves to private addresses (${privateIps.join(', ')}): only hosts in or connected to the VPC can reach them`;
  if (cluster?.endpointPublicAccess === true)
    return '. The public endpoint is open to any address, so look at what is in between: proxy, firewall, VPN split tunnel';
  return '';
}

const RISKS = [
  'Opening the public endpoint or widening publicAccessCidrs exposes the API server to more of the internet: add your egress address as a /32, never 0.0.0.0/0 for convenience.',
  'publicAccessCidrs replaces the whole list: keep the CIDRs already there (nodes without private access reach the API through them).',
  'An endpoint access update takes several minutes; the cluster is UPDATING meanwhile.',
];

const FIX = {
  kubectl:
    '# from a host inside the VPC (bastion, VPN, SSM session), or after the endpoint change below:\nkubectl get --raw /version',
  eksctl: 'eksctl utils set-public-access-cidrs --cluster {cluster} --region {region} {cidrList} --approve',
  aws: "curl -s https://checkip.amazonaws.com   # this machine's egress address; put it in place of EGRESS_IP\naws eks update-cluster-config --name {cluster} --region {region} --resources-vpc-config {vpcConfig}",
  terraform:
    '# terraform-aws-modules/eks v21 (v20: cluster_endpoint_public_access, cluster_endpoint_public_access_cidrs)\nendpoint_public_access       = true\nendpoint_public_access_cidrs = {hclCidrs}',
  risks: RISKS,
};

export default defineCheck<Message>({
  meta: {
    id: 'network/endpoint-unreachable',
    title: 'The cluster endpoint cannot be reached (DNS, TCP or timeout)',
    severity: 'error',
    stage: 'reachability',
    ref: 'C42',
    needs: ['network'],
    messages: {
      dnsFailed: {
        text: 'The endpoint name {host} does not resolve ({error}): the request never leaves this machine. This is not an authentication problem{accessNote}.',
        remediation:
          "Check that {host} is the current endpoint of {clusterName} and that this machine's DNS can resolve it.",
        fix: FIX,
      },
      tcpFailed: {
        text: 'No TCP connection to {host}:{port}{addressNote} ({error}): the request never reaches the API server, so it is not an authentication problem{accessNote}.',
        remediation:
          "Connect from a network the endpoint admits (the VPC, a VPN), or add this machine's egress address to publicAccessCidrs.",
        fix: FIX,
      },
      handshakeFailed: {
        text: 'A TCP connection to {host}:{port} opens, but the TLS handshake does not complete ({error}): something in between (a proxy, a firewall, a load balancer) holds or drops the connection. The API server never sees the request, so it is not an authentication problem{accessNote}.',
        remediation:
          'Find what intercepts TLS to {host} on this network (HTTPS_PROXY, firewall) and let the connection through.',
        fix: FIX,
      },
    },
  },
  run({ evidence }) {
    const network = evidence.network;
    // Through a proxy, the proxy resolves and connects: network/proxy-refused reads its answer.
    if (!network || network.proxy) return [];
    const addresses = network.dns.addresses ?? [];
    const cidrs = (evidence.cluster?.publicAccessCidrs ?? []).filter((c) => !OPEN.includes(c));
    const wanted = [...cidrs, 'EGRESS_IP/32'];
    const base = {
      host: network.host,
      port: network.port,
      clusterName: liveClusterName(evidence),
      cluster: liveClusterName(evidence),
      region: liveRegion(evidence),
      accessNote: accessNote(evidence, addresses),
      cidrList: wanted.join(','),
      hclCidrs: wanted,
      vpcConfig: JSON.stringify({ endpointPublicAccess: true, publicAccessCidrs: wanted }),
    };
    const subject = { kind: 'cluster' as const, name: liveClusterName(evidence) };
    if (!network.dns.ok)
      return [
        {
          messageId: 'dnsFailed',
          subject,
          affectsPrincipal: true,
          data: { ...base, error: network.dns.error ?? 'no address' },
        },
      ];
    if (network.tcp && !network.tcp.ok)
      return [
        {
          messageId: 'tcpFailed',
          subject,
          affectsPrincipal: true,
          data: {
            ...base,
            error: network.tcp.error ?? 'connection failed',
            addressNote: addresses.length > 0 ? ` (${addresses.join(', ')})` : '',
          },
        },
      ];
    if (network.tls && !network.tls.ok && isHandshakeFailure(network.tls.error))
      return [
        {
          messageId: 'handshakeFailed',
          subject,
          affectsPrincipal: true,
          // Stryker disable next-line StringLiteral: isHandshakeFailure(undefined) is false, so the error is set here
          data: { ...base, error: network.tls.error ?? '' },
        },
      ];
    return [];
  },
});
