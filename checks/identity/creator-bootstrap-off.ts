import { isClusterAdminPolicy } from '../../src/model/access-entries.js';
import { effectiveRows } from '../../src/model/aws-auth/parse.js';
import { defineCheck } from '../../src/core/types.js';
import type { Script } from '../../src/core/command.js';
import { principalArnOf } from '../../src/model/arn.js';
import { eksctlCommand } from '../access-entry/commands.js';
import { clusterNameOf, regionOf } from '../../src/core/fix-format.js';

type Message = 'creatorHasNoAdmin' | 'nobodyIsAdmin';

const ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

export default defineCheck<Message>({
  meta: {
    id: 'identity/creator-bootstrap-off',
    title: 'The cluster was created without creator admin, and the creator has no other mapping',
    severity: 'error',
    stage: 'authentication',
    ref: 'C03',
    needs: ['cluster'],
    messages: {
      creatorHasNoAdmin: {
        text: '{creator} created cluster {cluster} with bootstrapClusterCreatorAdminPermissions=false, so it received no admin rights, and nothing else maps it.',
        remediation:
          'Give {creator} an access entry with the access policy it needs (someone with eks:CreateAccessEntry can do this without cluster access).',
        fix: {
          kubectl: '# nobody may have cluster access yet: fix it through the EKS API (see aws CLI)',
          eksctl: '{eksctlEntry}',
          aws: `aws eks create-access-entry --cluster-name {cluster} --region {region} --principal-arn {creator}\naws eks associate-access-policy --cluster-name {cluster} --region {region} --principal-arn {creator} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster`,
          terraform: `# terraform-aws-modules/eks v20+: it sends bootstrap=false and instead creates an explicit entry when asked\nenable_cluster_creator_admin_permissions = true`,
          risks: [
            'bootstrapClusterCreatorAdminPermissions cannot be changed after creation: the fix is an explicit access entry.',
            'In CONFIG_MAP mode access entries need a one-way move to API_AND_CONFIG_MAP first.',
          ],
        },
      },
      nobodyIsAdmin: {
        text: 'Cluster {cluster} was created with bootstrapClusterCreatorAdminPermissions=false, and no access entry holds AmazonEKSClusterAdminPolicy and no aws-auth row grants system:masters: nobody can administer it through Kubernetes.',
        remediation:
          'Create an access entry with AmazonEKSClusterAdminPolicy for the role that should administer the cluster.',
        severity: 'warning',
        fix: {
          kubectl: '# no admin identity exists to run kubectl with: fix it through the EKS API (see aws CLI)',
          eksctl: '{eksctlEntry}',
          aws: `aws eks create-access-entry --cluster-name {cluster} --region {region} --principal-arn ADMIN_ROLE_ARN\naws eks associate-access-policy --cluster-name {cluster} --region {region} --principal-arn ADMIN_ROLE_ARN --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster`,
          terraform: `# terraform-aws-modules/eks v20+\naccess_entries = { admin = { principal_arn = "ADMIN_ROLE_ARN", policy_associations = { admin = { policy_arn = "${ADMIN_POLICY}", access_scope = { type = "cluster" } } } } }`,
          risks: ['Cluster-admin is everything: give it to a role few people and no pipelines can assume.'],
        },
      },
    },
  },
  run({ evidence, simulation }) {
    const cluster = evidence.cluster;
    if (!cluster || cluster.bootstrapClusterCreatorAdminPermissions !== false) return [];
    // CloudTrail names the creator by its session (assumed-role ARN); an access entry takes the role.
    const creatorArn = evidence.creator ? principalArnOf(evidence.creator.arn) : undefined;
    const data = { cluster: cluster.name, region: regionOf(evidence), creator: creatorArn ?? 'the creator' };
    const adminEntryFor = (principalArn: string): Script =>
      eksctlCommand(evidence, [
        { principalArn, type: 'STANDARD', groups: [], policies: ['AmazonEKSClusterAdminPolicy'] },
      ]);
    if (simulation?.isCreator && !simulation.decision.authenticated) {
      return [
        {
          messageId: 'creatorHasNoAdmin',
          subject: { kind: 'principal', name: simulation.principal.canonicalArn },
          affectsPrincipal: true,
          data: { ...data, cluster: clusterNameOf(evidence), eksctlEntry: adminEntryFor(data.creator) },
        },
      ];
    }
    if (evidence.accessEntries === undefined) return [];
    const adminEntry = evidence.accessEntries.some((e) =>
      (e.associatedAccessPolicies ?? []).some(isClusterAdminPolicy),
    );
    const configMap =
      evidence.awsAuth?.state === 'present' && cluster.authenticationMode !== 'API'
        ? evidence.awsAuth.configMap
        : undefined;
    const mastersRow = configMap
      ? [...effectiveRows(configMap.roleRows), ...effectiveRows(configMap.userRows)].some((r) =>
          r.groups.includes('system:masters'),
        )
      : false;
    if (adminEntry || mastersRow || (cluster.authenticationMode !== 'API' && evidence.awsAuth === undefined)) return [];
    return [
      {
        messageId: 'nobodyIsAdmin',
        subject: { kind: 'cluster', name: cluster.name },
        affectsPrincipal: false,
        data: { ...data, eksctlEntry: adminEntryFor('ADMIN_ROLE_ARN') },
      },
    ];
  },
});
