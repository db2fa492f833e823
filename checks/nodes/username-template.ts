import { sameArn, stripRolePath } from '../../src/model/arn.js';
import { effectiveRows } from '../../src/model/aws-auth/parse.js';
import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf, eksctlGroupFlags, hclList } from '../../src/core/fix-format.js';
import { awsCommands } from '../access-entry/commands.js';
import { NODE_USERNAME } from './node-mappings.js';

type Message = 'notNodeUsername' | 'principalNodeName' | 'sessionNameTemplate' | 'otherTemplate';

const RISKS = [
  'Changing the template of a role renames every node using it: nodes registered under the old name lose their Node-authorizer rights until they are replaced. Roll the node group after the change.',
  'aws-auth keeps one row per ARN (the later one wins): two rows with different templates for one role do not give two kinds of nodes.',
  'One YAML mistake in mapRoles drops every role row, node roles included: run `eksauth lint` on the edited file first.',
];

const FIX = {
  kubectl:
    '# In {where}, set: username: system:node:{{EC2PrivateDNSName}}\nkubectl edit configmap aws-auth -n kube-system',
  eksctl:
    "eksctl delete iamidentitymapping --cluster {cluster} --arn {arn}\neksctl create iamidentitymapping --cluster {cluster} --arn {arn} --username 'system:node:{{EC2PrivateDNSName}}' {groupFlags}",
  aws: '# In API_AND_CONFIG_MAP or API, an EC2_LINUX entry lets EKS derive the node name (it replaces the row):\n{aws}',
  terraform:
    '# terraform-aws-modules/eks//modules/aws-auth\naws_auth_roles = [{\n  rolearn  = "{arn}"\n  username = "system:node:{{EC2PrivateDNSName}}"\n  groups   = {hclGroups}\n}]',
  risks: RISKS,
};

export default defineCheck<Message>({
  meta: {
    id: 'nodes/username-template',
    title: "A node row's username template does not produce the node's name",
    severity: 'warning',
    stage: 'authentication',
    ref: 'C27',
    needs: ['awsAuth'],
    messages: {
      notNodeUsername: {
        severity: 'error',
        text: '{where} maps {arn} into system:nodes with the username {username}, which does not start with system:node:: the Node authorizer does not recognise these kubelets, so they get 403 Forbidden.',
        remediation: 'Set the username of {where} to system:node:{{EC2PrivateDNSName}}.',
        fix: FIX,
      },
      sessionNameTemplate: {
        text: '{where} maps the {whose} {arn} with the username {username}: each node becomes system:node:<instance id>, which matches only nodes that register by instance ID; nodes named by private DNS name get "no relationship found between node" 403s.',
        remediation:
          'Use system:node:{{EC2PrivateDNSName}} in {where} unless every node of {arn} registers by its instance ID.',
        fix: FIX,
      },
      principalNodeName: {
        severity: 'error',
        text: '{principal} authenticates through {where} as {rendered}: that is not the name of the node it runs on (EC2 nodes register by private DNS name), so the Node authorizer refuses its kubelet with 403 ("no relationship found between node").',
        remediation:
          'Set the username of {where} to system:node:{{EC2PrivateDNSName}}, or move {arn} to an EC2_LINUX access entry.',
        fix: FIX,
      },
      otherTemplate: {
        text: "{where} maps the {whose} {arn} with the username {username}, not system:node:{{EC2PrivateDNSName}}: the username must be system:node:<the node's name>, or the Node authorizer refuses the kubelet with 403.",
        remediation: 'Set the username of {where} to system:node:{{EC2PrivateDNSName}}.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const hits: Hit<Message>[] = [];
    const cluster = clusterNameOf(evidence);
    const nodeRoles = new Set((evidence.nodegroups ?? []).map((g) => stripRolePath(g.nodeRole.trim()).toLowerCase()));
    const fargateRoles = new Set(
      (evidence.fargateProfiles ?? []).map((p) => stripRolePath(p.podExecutionRoleArn.trim()).toLowerCase()),
    );
    for (const row of effectiveRows(evidence.awsAuth.configMap.roleRows)) {
      // Untrimmed, as the authenticator keys rows (a quoted ARN with spaces matches no role).
      const arn = row.arn;
      if (row.username === NODE_USERNAME.linux) continue;
      const key = arn.toLowerCase();
      const isNodegroupRole = nodeRoles.has(key);
      const isFargateRole = fargateRoles.has(key) || (!isNodegroupRole && row.groups.includes('system:node-proxier'));
      if (isFargateRole || (!isNodegroupRole && !row.groups.includes('system:nodes'))) continue;
      let messageId: Message;
      if (!row.username.startsWith('system:node:')) messageId = 'notNodeUsername';
      else if (row.username === 'system:node:{{SessionName}}' || row.username === 'system:node:{{SessionNameRaw}}')
        messageId = 'sessionNameTemplate';
      else messageId = 'otherTemplate';
      const isPrincipals =
        simulation !== undefined &&
        // Stryker disable next-line ConditionalExpression: only an aws-auth-row mapping has a row to compare (this narrows the type)
        simulation.via?.kind === 'aws-auth-row' &&
        simulation.via.row === row &&
        simulation.decision.authenticated;
      const allAllowed =
        evidence.probe?.accessReviews !== undefined && evidence.probe.accessReviews.every((r) => r.allowed);
      if (messageId !== 'notNodeUsername' && isPrincipals && !allAllowed) messageId = 'principalNodeName';
      const groups = row.groups.includes('system:nodes')
        ? row.groups
        : [...new Set(['system:bootstrappers', 'system:nodes', ...row.groups])];
      const where = `aws-auth ${row.block}[${row.index}] (line ${row.location.line})`;
      hits.push({
        messageId,
        subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
        location: row.fieldLocations.username ?? row.location,
        affectsPrincipal:
          messageId === 'principalNodeName' ||
          (messageId === 'notNodeUsername' &&
            simulation !== undefined &&
            sameArn(arn, simulation.principal.canonicalArn)),
        data: {
          where,
          arn,
          username: row.username === '' ? '(empty)' : row.username,
          principal: simulation?.principal.input ?? '',
          rendered: simulation?.decision.username ?? row.username,
          whose: isNodegroupRole ? 'node group role' : 'node role (groups system:nodes)',
          cluster,
          groupFlags: eksctlGroupFlags(groups),
          hclGroups: hclList(groups),
          aws: awsCommands(evidence, {
            principalArn: arn,
            type: row.groups.includes('eks:kube-proxy-windows') ? 'EC2_WINDOWS' : 'EC2_LINUX',
            groups: [],
            policies: [],
          }),
        },
      });
    }
    return hits;
  },
});
