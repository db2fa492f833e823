import { stripRolePath } from '../../src/model/arn.js';
import { defineCheck, type FixSpec, type Hit } from '../../src/core/types.js';
import { clusterNameOf, hclList } from '../../src/core/fix-format.js';
import { isNodeRow, listText, resourceName, rowRef, rowViews, viaRow } from './_shared.js';

type Message = 'humanRole' | 'notANodeRole';

/** Words in a role name that point at a person or a pipeline rather than an EC2 instance. */
const HUMAN_WORDS = [
  'admin',
  'administrator',
  'terraform',
  'ci',
  'cicd',
  'deploy',
  'deployer',
  'github',
  'gitlab',
  'jenkins',
  'developer',
  'developers',
  'user',
  'users',
  'engineer',
  'readonly',
  'poweruser',
];
const HUMAN_SUBSTRINGS = ['admin', 'terraform', 'github', 'gitlab', 'jenkins', 'developer', 'deploy'];
/** Words that say the role is for machines that run pods (a CI runner node group is still nodes). */
const NODE_WORDS = ['node', 'nodes', 'worker', 'workers', 'nodegroup', 'ng', 'karpenter', 'fargate', 'instance'];
const NODE_SUBSTRINGS = ['noderole', 'nodeinstance', 'workernode', 'podexecution', 'nodegroup'];

const FIX: FixSpec = {
  kubectl: `kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml\n# in {where}: give {name} its own identity, e.g. username "{name}:{{SessionName}}" and the groups it needs,\n# and give the nodes a dedicated node role with its own row\neksauth lint aws-auth.yaml && kubectl replace -f aws-auth.yaml`,
  eksctl: `eksctl delete iamidentitymapping --cluster {cluster} --arn {arn}\neksctl create iamidentitymapping --cluster {cluster} --arn {arn} --username {name}:{{SessionName}} --group GROUP`,
  aws: `# an access entry for the human or CI role (mode API_AND_CONFIG_MAP or API); nodes keep their own role:\naws eks create-access-entry --cluster-name {cluster} --principal-arn {arn}\naws eks associate-access-policy --cluster-name {cluster} --principal-arn {arn} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope type=cluster`,
  terraform: `# terraform-aws-modules/eks: nodes get their own role (eks_managed_node_groups create one by default);\n# the human or CI role gets an ordinary mapping:\naws_auth_roles = [{ rolearn = "{arn}", username = "{name}:{{SessionName}}", groups = {hclGroups} }]`,
  risks: [
    'If nodes really run with {arn}, removing its node mapping stops them from joining: move those nodes to a dedicated node role first.',
    'EKS says a node role must not be the role that creates or administers clusters: separating the roles is the fix, not a wider mapping.',
    'AmazonEKSViewPolicy is read-only: pick the narrowest policy the role really needs.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/human-role-as-node',
    title: 'A human or CI role is mapped with a node username or node groups',
    severity: 'error',
    stage: 'authentication',
    ref: 'C29',
    needs: ['awsAuth'],
    messages: {
      humanRole: {
        text: '{where} maps {arn} as a node (username "{username}", groups {groups}), but {reason}: whoever uses it {effect}.',
        remediation: 'Map {name} with its own username and groups, and run nodes under a dedicated node role.',
        fix: FIX,
      },
      notANodeRole: {
        text: '{where} maps {arn} as a node (username "{username}", groups {groups}), but it is the role of no node group or Fargate profile given ({known}): unless self-managed nodes or Karpenter use it, whoever uses it {effect}.',
        remediation: 'Check who uses {name}; if it is not a node role, map it with its own username and groups.',
        severity: 'warning',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const knownNodeRoles = [
      ...(evidence.nodegroups ?? []).map((n) => n.nodeRole),
      ...(evidence.fargateProfiles ?? []).map((f) => f.podExecutionRoleArn),
    ].map((arn) => stripRolePath(arn).toLowerCase());
    const known = new Set(knownNodeRoles);
    const nodeInventory = known.size > 0;
    const hits: Hit<Message>[] = [];
    for (const row of rowViews(evidence.awsAuth.configMap)) {
      if (row.block !== 'mapRoles' || row.arn === '' || !isNodeRow(row)) continue;
      const canonical = stripRolePath(row.arn.trim());
      if (known.has(canonical.toLowerCase())) continue;
      const name = resourceName(row.arn);
      const reason = humanReason(name);
      if (!reason && !nodeInventory) continue;
      const mapped = !row.lost && viaRow(simulation, row.block, row.index);
      hits.push({
        messageId: reason ? 'humanRole' : 'notANodeRole',
        subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
        location: row.location,
        affectsPrincipal: mapped,
        data: {
          where: rowRef(row.block, row.index, row.location),
          arn: row.arn,
          name: name || 'ROLE',
          username: row.username,
          groups: listText(row.groups),
          reason: reason ?? '',
          effect: row.username.includes('{{EC2PrivateDNSName}}')
            ? 'gets 401 Unauthorized: the session name is not an EC2 instance id, so EKS cannot render the username ("SessionName did not contain an instance id")'
            : 'is treated as a node, and the node authorizer refuses almost everything else (403 Forbidden)',
          known: [
            ...new Set([
              ...(evidence.nodegroups ?? []).map((n) => n.nodegroupName),
              ...(evidence.fargateProfiles ?? []).map((f) => f.fargateProfileName),
            ]),
          ].join(', '),
          cluster: clusterNameOf(evidence),
          hclGroups: hclList(row.groups.filter((g) => !g.startsWith('system:node') && g !== 'system:bootstrappers')),
        },
      });
    }
    return hits;
  },
});

/** Why the role looks like a person's or a pipeline's, or undefined. */
function humanReason(name: string): string | undefined {
  if (/^AWSReservedSSO_/i.test(name)) return `${name} is an IAM Identity Center (SSO) role, assumed by people`;
  const lower = name.toLowerCase();
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  if (words.some((w) => NODE_WORDS.includes(w)) || NODE_SUBSTRINGS.some((s) => lower.includes(s))) return undefined;
  const word = words.find((w) => HUMAN_WORDS.includes(w)) ?? HUMAN_SUBSTRINGS.find((s) => lower.includes(s));
  return word ? `its name ${name} ("${word}") looks like a human or CI role` : undefined;
}
