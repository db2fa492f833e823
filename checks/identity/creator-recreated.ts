import { script } from '../../src/core/command.js';
import { eksctlEntryCommand } from '../_fix.js';
import { shellTemplate } from '../../src/core/command.js';
import { defineCheck } from '../../src/core/types.js';

import { liveClusterName, liveRegion } from './_live-shared.js';

type Message = 'recreated' | 'idChanged' | 'deleted';

const ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

const FIX = {
  kubectl:
    '# the creator grant cannot be restored from inside the cluster; an admin that still works can map {creatorArn} in aws-auth (CONFIG_MAP modes):\nkubectl edit configmap aws-auth -n kube-system',
  eksctl: '{eksctlFix}',
  aws:
    '{modeStep}\naws eks create-access-entry --cluster-name {cluster} --region {region} --principal-arn {creatorArn}\naws eks associate-access-policy --cluster-name {cluster} --region {region} --principal-arn {creatorArn} --policy-arn ' +
    ADMIN_POLICY +
    ' --access-scope type=cluster',
  terraform: `# terraform-aws-modules/eks v20+\naccess_entries = {\n  admin = {\n    principal_arn = "{creatorArn}"\n    policy_associations = {\n      admin = {\n        policy_arn   = "${ADMIN_POLICY}"\n        access_scope = { type = "cluster" }\n      }\n    }\n  }\n}`,
  risks: [
    'Changing the authentication mode is one-way (CONFIG_MAP → API_AND_CONFIG_MAP → API); there is no way back.',
    'Before deleting or re-creating an admin principal, make sure another admin exists (an access entry with AmazonEKSClusterAdminPolicy): the creator grant does not follow the name.',
    'In API modes, delete the old access entry of the re-created principal first (`aws eks delete-access-entry`): it is bound to the old unique id and blocks a new one for the same ARN.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'identity/creator-recreated',
    title: 'The cluster creator was deleted, or deleted and re-created',
    severity: 'error',
    stage: 'authentication',
    ref: 'C02',
    needs: ['creator'],
    messages: {
      recreated: {
        text: "{creatorArn} created cluster {clusterName} on {clusterCreatedAt}, but IAM says this principal was created on {principalCreatedAt}, later: it was deleted and re-created, and EKS ties the creator grant to the old principal's unique id, not to the ARN{principalNote}.",
        remediation:
          'Give {creatorArn} (or another admin) an access entry with AmazonEKSClusterAdminPolicy, from an identity that can still change the cluster.',
        fix: FIX,
      },
      idChanged: {
        text: 'CloudTrail recorded the creator of cluster {clusterName} as {creatorArn} with unique id {recordedId}; IAM now has {currentId} for that ARN: it is a different principal with the same name, and the creator grant does not apply to it{principalNote}.',
        remediation:
          'Give {creatorArn} (or another admin) an access entry with AmazonEKSClusterAdminPolicy, from an identity that can still change the cluster.',
        fix: FIX,
      },
      deleted: {
        text: 'The creator of cluster {clusterName}, {creatorArn}, no longer exists ({error}): nobody holds the creator grant any more{principalNote}.',
        remediation:
          'Give a surviving principal an access entry with AmazonEKSClusterAdminPolicy, from an identity that can still change the cluster.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const creator = evidence.creator;
    if (!creator) return [];
    const details = evidence.creatorDetails;
    const cluster = evidence.cluster;
    let messageId: Message | undefined;
    const extra: Record<string, string> = {};
    const recordedId = creator.principalId?.split(':')[0];
    if (details?.uniqueId && recordedId && details.uniqueId !== recordedId) {
      messageId = 'idChanged';
      extra.recordedId = recordedId;
      extra.currentId = details.uniqueId;
    } else if (
      details?.createDate &&
      cluster?.createdAt &&
      Date.parse(details.createDate) > Date.parse(cluster.createdAt)
    ) {
      messageId = 'recreated';
      extra.principalCreatedAt = details.createDate;
      extra.clusterCreatedAt = cluster.createdAt;
    } else if (!details && evidence.failures?.creatorDetails?.code === 'not-found') {
      messageId = 'deleted';
      extra.error = evidence.failures.creatorDetails.message;
    }
    if (!messageId) return [];
    // The principal under diagnosis loses exactly what the simulation credited to the creator grant.
    const reliesOnGrant =
      simulation?.isCreator === true && (simulation.via === undefined || simulation.via.kind === 'cluster-creator');
    const name = liveClusterName(evidence);
    const region = liveRegion(evidence);
    const mode = cluster?.authenticationMode;
    return [
      {
        messageId,
        subject: { kind: 'principal', name: creator.arn },
        affectsPrincipal: reliesOnGrant,
        data: {
          ...extra,
          creatorArn: creator.arn,
          clusterName: name,
          cluster: name,
          region,
          principalNote: reliesOnGrant
            ? '; the principal under diagnosis relies on that grant, so EKS answers it 401 Unauthorized'
            : '',
          modeStep:
            mode === 'CONFIG_MAP' || mode === undefined
              ? shellTemplate(
                  '# CONFIG_MAP clusters must first allow access entries (ONE-WAY: EKS cannot go back; skip if the mode is already API_AND_CONFIG_MAP or API):\naws eks update-cluster-config --name {name} --region {region} --access-config authenticationMode=API_AND_CONFIG_MAP',
                  { name, region },
                )
              : [],
          eksctlFix: script(
            eksctlEntryCommand({ cluster: name, region }, [
              { principalArn: creator.arn, type: 'STANDARD', groups: [], policies: ['AmazonEKSClusterAdminPolicy'] },
            ]),
          ),
        },
      },
    ];
  },
});
