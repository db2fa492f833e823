import { defineCheck } from '../../src/core/types.js';

import { liveRegion } from '../identity/_live-shared.js';

type Message = 'creating' | 'updating' | 'deleting' | 'failed';

const MESSAGE_OF: Readonly<Record<string, Message>> = {
  CREATING: 'creating',
  PENDING: 'creating',
  UPDATING: 'updating',
  DELETING: 'deleting',
  FAILED: 'failed',
};

const WAIT_FIX = {
  kubectl: 'aws eks wait cluster-active --name {cluster} --region {region}\nkubectl get --raw /version',
  eksctl: 'eksctl get cluster --name {cluster} --region {region}',
  aws: 'aws eks describe-cluster --name {cluster} --region {region} --query cluster.status\naws eks wait cluster-active --name {cluster} --region {region}',
  terraform:
    '# Terraform waits for ACTIVE itself when it creates or updates the cluster; run plan again once it is ACTIVE.',
  risks: ['Do not re-create a cluster that is still CREATING: the name stays taken until the first one is gone.'],
};

export default defineCheck<Message>({
  meta: {
    id: 'cluster/not-active',
    title: 'The cluster is not ACTIVE',
    severity: 'error',
    stage: 'reachability',
    needs: ['cluster'],
    messages: {
      creating: {
        text: 'Cluster {cluster} in {region} is {status}: its API server is not serving yet, so every request fails whatever the credentials.',
        remediation: 'Wait until the cluster is ACTIVE (`aws eks wait cluster-active`), then try again.',
        fix: WAIT_FIX,
      },
      updating: {
        severity: 'warning',
        text: 'Cluster {cluster} in {region} is UPDATING: the API server keeps serving during most updates, but endpoint-access and version updates can interrupt or change access until they finish.',
        remediation:
          'Check which update is running (`aws eks list-updates`) and retry once the cluster is ACTIVE again.',
        fix: {
          ...WAIT_FIX,
          aws: 'aws eks list-updates --name {cluster} --region {region}\naws eks describe-update --name {cluster} --region {region} --update-id UPDATE_ID',
          risks: [
            'Do not start a second configuration change while one is in progress: EKS rejects it with ResourceInUseException.',
          ],
        },
      },
      deleting: {
        text: 'Cluster {cluster} in {region} is DELETING: it is going away, and no access change can bring it back.',
        remediation: 'Use another cluster; once deletion finishes, remove its context from kubeconfig.',
        fix: {
          kubectl: 'kubectl config delete-context CONTEXT_OF_{clusterUpper}',
          eksctl: 'eksctl get cluster --region {region}',
          aws: 'aws eks list-clusters --region {region}',
          terraform: '# if Terraform did not start the deletion, find out who did: CloudTrail event DeleteCluster',
          risks: [
            'A cluster re-created under the same name has a new endpoint and CA: regenerate kubeconfig entries, do not reuse the old ones.',
          ],
        },
      },
      failed: {
        text: 'Cluster {cluster} in {region} is FAILED: it has no working API server, so no access fix helps.',
        remediation:
          'Read the cluster health issues (`aws eks describe-cluster --query cluster.health`), fix their cause, then delete and re-create the cluster.',
        fix: {
          ...WAIT_FIX,
          aws: 'aws eks describe-cluster --name {cluster} --region {region} --query cluster.health',
          risks: [
            'Deleting and re-creating the cluster changes its endpoint, CA and creator: every kubeconfig and access mapping tied to the old one must be redone.',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const cluster = evidence.cluster;
    const status = cluster?.status?.toUpperCase();
    if (!cluster || !status) return [];
    const messageId = MESSAGE_OF[status];
    if (!messageId) return [];
    return [
      {
        messageId,
        subject: { kind: 'cluster', name: cluster.name },
        affectsPrincipal: messageId !== 'updating',
        data: {
          cluster: cluster.name,
          clusterUpper: cluster.name.toUpperCase().replace(/[^A-Z0-9]/g, '_'),
          region: liveRegion(evidence),
          status,
        },
      },
    ];
  },
});
