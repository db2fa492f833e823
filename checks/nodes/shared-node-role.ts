import { script, sh, withStdin } from '../../src/core/command.js';
import { fixTarget } from '../../src/core/fix-target.js';
import { stripRolePath } from '../../src/model/arn.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf, regionOf } from '../../src/core/fix-format.js';
import { groupByRole } from './node-mappings.js';

type Message = 'sharedWithSelfManaged' | 'sharedWithFargate';

export default defineCheck<Message>({
  meta: {
    id: 'nodes/shared-node-role',
    title: 'A managed node group shares its IAM role with other nodes',
    severity: 'warning',
    stage: 'authentication',
    ref: 'C26',
    needs: ['nodegroups'],
    messages: {
      sharedWithSelfManaged: {
        text: 'The role {role} is the node role of the managed node groups {managed} and of the self-managed groups {selfManaged}: EKS removes its aws-auth row when the last managed group using it is deleted, and the self-managed nodes then go NotReady.',
        remediation:
          'Give the self-managed groups {selfManaged} a node role of their own, mapped in aws-auth or by an EC2_LINUX access entry.',
        fix: {
          kubectl:
            '# After deleting the last managed group that uses {role}, check the row is still there:\nkubectl get configmap aws-auth -n kube-system -o yaml | grep -n -F --regexp {roleName}',
          eksctl:
            "# A new role for the self-managed groups, mapped as a node:\neksctl create iamidentitymapping --cluster {cluster} --arn arn:{partition}:iam::{account}:role/{roleName}-self-managed --username 'system:node:{{EC2PrivateDNSName}}' --group system:bootstrappers --group system:nodes",
          aws: 'aws iam create-role --role-name {roleName}-self-managed --assume-role-policy-document \'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}\'\naws eks create-access-entry --cluster-name {cluster} --principal-arn arn:{partition}:iam::{account}:role/{roleName}-self-managed --type EC2_LINUX',
          terraform:
            '# terraform-aws-modules/eks: let each self-managed group create its own role\nself_managed_node_groups = {\n  {firstSelfManaged} = {\n    create_iam_role = true\n  }\n}',
          risks: [
            'Moving self-managed nodes to a new role means new instances (launch template with the new instance profile): roll them, do not edit running ones.',
            'Attach the same IAM policies (AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly, the CNI policy) to the new role before the nodes use it.',
            'Until then, re-add the row for {role} by hand right after deleting the last managed group that uses it.',
          ],
        },
      },
      sharedWithFargate: {
        text: "The role {role} is both the node role of {nodegroups} and the pod execution role of {profiles}: aws-auth keeps one row per ARN and an access entry has one type, so either the EC2 nodes get Fargate's system:node:{{SessionName}} username or Fargate gets the EC2 one.",
        remediation: 'Give Fargate a pod execution role of its own, trusted by eks-fargate-pods.amazonaws.com.',
        fix: {
          kubectl:
            '# Check which username the single row for {role} has now:\nkubectl get configmap aws-auth -n kube-system -o yaml | grep -n -A3 -F --regexp {roleName}',
          eksctl: '{fargateProfileFix}',
          aws: 'aws iam create-role --role-name {roleName}-fargate --assume-role-policy-document \'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks-fargate-pods.amazonaws.com"},"Action":"sts:AssumeRole"}]}\'\naws iam attach-role-policy --role-name {roleName}-fargate --policy-arn arn:{partition}:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy',
          terraform:
            '# terraform-aws-modules/eks: let each Fargate profile create its own role\nfargate_profiles = {\n  {firstProfile} = {\n    create_iam_role = true\n  }\n}',
          risks: [
            'A Fargate profile cannot change its pod execution role: create a new profile with the new role, then delete the old one; pods move when they are recreated.',
            'Do not delete the shared row while either kind of node still uses the role.',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const cluster = clusterNameOf(evidence);
    const hits: Hit<Message>[] = [];
    for (const groups of groupByRole(evidence.nodegroups ?? [], (g) => g.nodeRole)) {
      const role = groups[0].nodeRole.trim();
      const key = stripRolePath(role).toLowerCase();
      const parts = /^arn:([^:]+):iam::(\d*):role\/([^/]+)$/.exec(stripRolePath(role));
      const common = {
        role,
        cluster,
        region: regionOf(evidence),
        partition: parts?.[1] ?? 'aws',
        account: parts?.[2] ?? 'ACCOUNT_ID',
        roleName: parts?.[3] ?? 'ROLE_NAME',
      };
      const affectsPrincipal = false;
      const managed = groups.filter((g) => !g.selfManaged);
      const selfManaged = groups.filter((g) => g.selfManaged);
      const [firstSelfManaged] = selfManaged;
      if (managed.length > 0 && firstSelfManaged) {
        hits.push({
          messageId: 'sharedWithSelfManaged',
          subject: { kind: 'nodegroup', name: groups.map((g) => g.nodegroupName).join(', ') },
          affectsPrincipal,
          data: {
            ...common,
            managed: managed.map((g) => g.nodegroupName).join(', '),
            selfManaged: selfManaged.map((g) => g.nodegroupName).join(', '),
            firstSelfManaged: firstSelfManaged.nodegroupName,
          },
        });
      }
      const profiles = (evidence.fargateProfiles ?? []).filter(
        (p) => stripRolePath(p.podExecutionRoleArn.trim()).toLowerCase() === key,
      );
      const [firstProfile] = profiles;
      if (firstProfile) {
        hits.push({
          messageId: 'sharedWithFargate',
          subject: { kind: 'nodegroup', name: groups.map((g) => g.nodegroupName).join(', ') },
          affectsPrincipal,
          data: {
            ...common,
            nodegroups: groups.map((g) => `node group ${g.nodegroupName}`).join(', '),
            profiles: profiles.map((p) => `Fargate profile ${p.fargateProfileName}`).join(', '),
            firstProfile: firstProfile.fargateProfileName,
            fargateProfileFix: script(
              withStdin(sh`eksctl create fargateprofile -f -`, {
                // Stryker disable next-line StringLiteral: YAML is also what an unknown format renders as
                format: 'yaml',
                value: {
                  apiVersion: 'eksctl.io/v1alpha5',
                  kind: 'ClusterConfig',
                  metadata: { name: fixTarget(evidence).cluster, region: fixTarget(evidence).region },
                  fargateProfiles: [
                    {
                      name: `${firstProfile.fargateProfileName}-own-role`,
                      podExecutionRoleARN: `arn:${String(common.partition)}:iam::${String(common.account)}:role/${String(common.roleName)}-fargate`,
                      selectors: [{ namespace: 'NAMESPACE' }],
                    },
                  ],
                },
              }),
            ),
          },
        });
      }
    }
    return hits;
  },
});
