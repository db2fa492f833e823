import { script, sh } from '../../src/core/command.js';
import { defineCheck } from '../../src/core/types.js';

import { liveClusterName, liveRegion, profileFlag, profileOf } from '../identity/_live-shared.js';

type Message = 'serverDiffers' | 'caDiffers';

/** `https://X.eks.amazonaws.com:443/` and `https://x.eks.amazonaws.com` are the same server. */
export function normalizeServer(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/^(https:\/\/[^/]+):443$/, '$1');
}

const FIX = {
  kubectl:
    "{updateKubeconfig}\nkubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}'   # should print {endpoint}",
  eksctl: 'eksctl utils write-kubeconfig --cluster {cluster} --region {region} {profileFlag}',
  aws: '{updateKubeconfig}',
  terraform:
    '# provider "kubernetes": read endpoint and CA from the cluster on every run, never from a saved kubeconfig\nhost                   = module.eks.cluster_endpoint\ncluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)',
  risks: [
    '`update-kubeconfig` replaces the cluster, user and context entries of this cluster in the file (matched by the cluster ARN); other contexts stay. Keep a copy if you edited the entry by hand.',
    'A kubeconfig with a stale CA must not be "fixed" with `insecure-skip-tls-verify: true`: that accepts any server, including one that collects your tokens.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'client/stale-kubeconfig',
    title: 'kubeconfig points at another server or CA than the cluster has now',
    severity: 'error',
    stage: 'client',
    ref: 'C43',
    needs: ['kubeconfig', 'cluster'],
    messages: {
      serverDiffers: {
        text: 'Context {context} in {path} sends requests to {server}, but DescribeCluster says {cluster} is at {endpoint}{caNote}: the kubeconfig was written for another (probably earlier) cluster of that name.',
        remediation: 'Regenerate the kubeconfig entry from the cluster as it is now.',
        fix: FIX,
      },
      caDiffers: {
        text: "The CA certificate of context {context} in {path} is not the one DescribeCluster reports for {cluster}: kubectl will refuse the server's certificate (`x509: certificate signed by unknown authority`). The cluster was probably re-created under the same name.",
        remediation: 'Regenerate the kubeconfig entry from the cluster as it is now.',
        fix: FIX,
      },
    },
  },
  run({ evidence }) {
    const kubeconfig = evidence.kubeconfig;
    const cluster = evidence.cluster;
    if (!kubeconfig || !cluster) return [];
    const serverDiffers =
      kubeconfig.server !== undefined &&
      cluster.endpoint !== undefined &&
      normalizeServer(kubeconfig.server) !== normalizeServer(cluster.endpoint);
    const caDiffers = kubeconfig.caMatchesCluster === false;
    if (!serverDiffers && !caDiffers) return [];
    const name = liveClusterName(evidence);
    const region = liveRegion(evidence);
    const profile = profileOf(evidence);
    return [
      {
        messageId: serverDiffers ? 'serverDiffers' : 'caDiffers',
        subject: { kind: 'kubeconfig', name: kubeconfig.context },
        affectsPrincipal: true,
        data: {
          context: kubeconfig.context,
          path: kubeconfig.path,
          server: kubeconfig.server ?? '',
          endpoint: cluster.endpoint ?? '',
          cluster: name,
          caNote: serverDiffers && caDiffers ? ', and its CA differs too' : '',
          region,
          profileFlag: profileFlag(profile),
          updateKubeconfig: script(
            sh`aws eks update-kubeconfig --name ${name} --region ${region} ${profileFlag(profile)}`,
          ),
        },
      },
    ];
  },
});
