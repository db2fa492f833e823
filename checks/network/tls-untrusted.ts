import { comment, pipe, script, sh } from '../../src/core/command.js';
import { defineCheck } from '../../src/core/types.js';

import { liveClusterName, liveRegion, profileFlag, profileOf } from '../identity/_live-shared.js';
import { isHandshakeFailure } from './endpoint-unreachable.js';

type Message = 'untrusted';

export default defineCheck<Message>({
  meta: {
    id: 'network/tls-untrusted',
    title: "The endpoint's certificate does not chain to the cluster's CA",
    severity: 'error',
    stage: 'reachability',
    ref: 'C43',
    needs: ['network'],
    messages: {
      untrusted: {
        text: "The TLS certificate {host} presented does not verify against the CA that DescribeCluster reports for {clusterName} ({error}): either something in between re-signs TLS (a corporate proxy or inspection appliance), or {host} is not this cluster's endpoint. kubectl prints `x509: certificate signed by unknown authority`{kubeconfigNote}.",
        remediation:
          'Connect without the TLS-inspecting proxy for {host} (NO_PROXY), and take the endpoint and CA from DescribeCluster.',
        fix: {
          kubectl:
            '# if HTTPS_PROXY is set, add {host} to NO_PROXY in your shell profile; the check below goes direct once\n{updateKubeconfig}\nenv NO_PROXY={host} kubectl get --raw /version',
          eksctl: 'eksctl utils write-kubeconfig --cluster {cluster} --region {region} {profileFlag}',
          aws: 'aws eks describe-cluster --name {cluster} --region {region} --query cluster.endpoint\n{peerIssuer}',
          terraform:
            '# provider "kubernetes": the CA from the cluster, not a copy\ncluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)',
          risks: [
            'Never set `insecure-skip-tls-verify: true` to get past this: whatever answers would receive your bearer token.',
            'Bypassing a corporate proxy may be against your network policy: ask for an exception for *.eks.amazonaws.com instead.',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const network = evidence.network;
    // A handshake that times out or is reset is reachability (network/endpoint-unreachable), not trust.
    if (!network?.tls || network.tls.ok || isHandshakeFailure(network.tls.error)) return [];
    // Not a certificate at all (the tunnel carried something else): network/proxy-refused.
    if (network.proxy && !/cert|x509|self.signed|verify|altname|issuer/i.test(network.tls.error ?? '')) return [];
    const name = liveClusterName(evidence);
    const region = liveRegion(evidence);
    const profile = profileOf(evidence);
    const kubeconfig = evidence.kubeconfig;
    return [
      {
        messageId: 'untrusted',
        subject: { kind: 'cluster', name },
        affectsPrincipal: true,
        data: {
          host: network.host,
          clusterName: name,
          cluster: name,
          region,
          error: network.tls.error ?? 'verification failed',
          profileFlag: profileFlag(profile),
          kubeconfigNote:
            kubeconfig?.caMatchesCluster === false
              ? `; the CA in kubeconfig context ${kubeconfig.context} is not the cluster's either`
              : '',
          peerIssuer: script(
            comment('who signed the certificate you receive (s_client reads nothing: its input is /dev/null)'),
            pipe(
              {
                ...sh`openssl s_client -connect ${network.host}:443 -servername ${network.host}`,
                stdinFile: '/dev/null',
              },
              sh`openssl x509 -noout -issuer`,
            ),
          ),
          updateKubeconfig: script(
            sh`aws eks update-kubeconfig --name ${name} --region ${region} ${profileFlag(profile)}`,
          ),
        },
      },
    ];
  },
});
