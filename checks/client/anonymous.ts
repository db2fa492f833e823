import { script, sh } from '../../src/core/command.js';
import { defineCheck } from '../../src/core/types.js';

import { liveClusterName, liveRegion, profileFlag, profileOf } from '../identity/_live-shared.js';

type Message = 'anonymous';

export const ANONYMOUS = 'system:anonymous';

export default defineCheck<Message>({
  meta: {
    id: 'client/anonymous',
    title: 'The request reached the API server without credentials (system:anonymous)',
    severity: 'error',
    stage: 'client',
    ref: 'C39',
    needs: ['probe'],
    messages: {
      anonymous: {
        text: 'The API server treated the request as {username}{statusNote}: it carried no token at all, so EKS never looked at an IAM identity{kubeconfigNote}.',
        remediation:
          'Make the client send a token: use a kubeconfig context whose user has an exec entry (`aws eks get-token`).',
        fix: {
          kubectl:
            '{updateKubeconfig}\nkubectl config view --minify   # the user must have an exec: section\nkubectl auth whoami',
          eksctl: 'eksctl utils write-kubeconfig --cluster {cluster} --region {region} {profileFlag}',
          aws: '{updateKubeconfig}',
          terraform:
            '# provider "kubernetes": without token, exec or config_path it sends no credentials\nprovider "kubernetes" {\n  host                   = module.eks.cluster_endpoint\n  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)\n  exec {\n    api_version = "client.authentication.k8s.io/v1beta1"\n    command     = "aws"\n    args        = ["eks", "get-token", "--cluster-name", "{cluster}", "--region", "{region}"]\n  }\n}',
          risks: [
            'Never bind a role to system:anonymous or system:unauthenticated to make the error go away: that opens the cluster to anyone who can reach the endpoint.',
            'Libraries that ignore kubeconfig exec entries (some older SDKs and CI actions) send no credentials: give them a token from `aws eks get-token` instead.',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const probe = evidence.probe;
    if (!probe) return [];
    const anonymous =
      probe.selfSubjectReview?.username === ANONYMOUS ||
      (probe.error ?? '').includes(`"${ANONYMOUS}"`) ||
      (probe.error ?? '').includes(`User ${ANONYMOUS}`);
    if (!anonymous) return [];
    const kubeconfig = evidence.kubeconfig;
    const name = liveClusterName(evidence);
    const region = liveRegion(evidence);
    const profile = profileOf(evidence);
    return [
      {
        messageId: 'anonymous',
        subject: { kind: 'kubeconfig', name: kubeconfig?.context ?? ANONYMOUS },
        affectsPrincipal: true,
        data: {
          username: ANONYMOUS,
          statusNote: probe.status !== null ? ` (HTTP ${probe.status}${probe.error ? `: ${probe.error}` : ''})` : '',
          kubeconfigNote:
            kubeconfig && !kubeconfig.exec
              ? `; the user of kubeconfig context ${kubeconfig.context} (${kubeconfig.path}) has no exec entry`
              : '',
          cluster: name,
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
