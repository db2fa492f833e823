import { defineCheck, type Hit } from '../../src/core/types.js';
import { comment, run, script, sh, type Script } from '../../src/core/command.js';
import { manualEditLines } from '../_fix.js';
import { eksctlCommand } from '../access-entry/commands.js';
import { appendedBlock, awsAuthPatch } from '../../src/core/fix-target.js';
import type { Evidence } from '../../src/model/evidence.js';
import { clusterNameOf, regionOf } from '../../src/core/fix-format.js';

type Message = 'notMappedConfigMap' | 'notMappedApi';

const ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

const COMMON_RISKS = [
  'Grant only what the principal needs: system:masters and AmazonEKSClusterAdminPolicy are full cluster-admin, and a system:masters mapping cannot be limited by RBAC. For read-only use AmazonEKSViewPolicy, or map to a group you bind with RBAC.',
  'Keep the cluster creator (or another working admin) until you have checked the new mapping with `eksauth doctor`.',
];

export default defineCheck<Message>({
  meta: {
    id: 'identity/principal-not-mapped',
    title: 'The principal is in no access entry, no aws-auth row, and is not the cluster creator',
    severity: 'error',
    stage: 'authentication',
    ref: 'C01',
    needs: [],
    needsSimulation: true,
    fallback: 'last-resort',
    messages: {
      notMappedConfigMap: {
        text: '{canonical} has no row in aws-auth ({rows}), and {creatorNote}. In CONFIG_MAP mode that is all EKS consults, so it answers 401 Unauthorized.',
        remediation:
          'Map {canonical} in aws-auth (or move the cluster to API_AND_CONFIG_MAP and give it an access entry).',
        fix: {
          kubectl: `{mapRow}`,
          eksctl: `eksctl create iamidentitymapping --cluster {cluster} --region {region} --arn {canonical} --username {usernameShell} --group system:masters`,
          aws: `# one-way: CONFIG_MAP cannot be restored afterwards\n{pathLookup}\naws eks update-cluster-config --name {cluster} --region {region} --access-config authenticationMode=API_AND_CONFIG_MAP\naws eks create-access-entry --cluster-name {cluster} --region {region} --principal-arn {entryArn}\naws eks associate-access-policy --cluster-name {cluster} --region {region} --principal-arn {entryArn} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster`,
          terraform: `# terraform-aws-modules/eks v19 (module "eks"), or v20+ with its aws-auth submodule\n{terraformBlock} = [{ {arnKey} = "{canonical}", username = "{username}", groups = ["system:masters"] }]`,
          risks: [
            ...COMMON_RISKS,
            'Editing aws-auth by hand can break it for everyone (one YAML error drops every row, node roles included): lint the file before `kubectl replace`, and never delete the ConfigMap.',
            'Changing the authentication mode is one-way: CONFIG_MAP → API_AND_CONFIG_MAP → API; there is no way back.',
          ],
        },
      },
      notMappedApi: {
        text: '{canonical} has no access entry ({entries}){awsAuthNote}, and {creatorNote}. EKS answers 401 Unauthorized.',
        remediation: 'Create an access entry for {entryArn} and associate the access policy it needs.',
        fix: {
          kubectl: `# access entries are managed through the EKS API, not kubectl; in API_AND_CONFIG_MAP an aws-auth row also works:\n#    - rolearn: {canonical}\n#      username: {username}\n#      groups: [system:masters]`,
          eksctl: `{pathLookup}\n{eksctlEntry}`,
          aws: `{pathLookup}\naws eks create-access-entry --cluster-name {cluster} --region {region} --principal-arn {entryArn}\naws eks associate-access-policy --cluster-name {cluster} --region {region} --principal-arn {entryArn} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster`,
          terraform: `# terraform-aws-modules/eks v20+ (module "eks")\naccess_entries = {\n  {entryKey} = {\n    principal_arn = "{entryArn}"\n    policy_associations = {\n      admin = {\n        policy_arn   = "${ADMIN_POLICY}"\n        access_scope = { type = "cluster" }\n      }\n    }\n  }\n}`,
          risks: [
            ...COMMON_RISKS,
            "Access entries store the role's unique id: if the role is deleted and re-created, delete and re-create the entry too.",
          ],
        },
      },
    },
  },
  run({ evidence, simulation }) {
    if (!simulation || simulation.decision.authenticated || !simulation.determined) return [];
    if (simulation.nearMisses.length > 0 || simulation.failureMessage !== 'identity is not mapped') return [];
    // The creator without its bootstrap grant has its own check, with its own fix.
    if (simulation.isCreator && evidence.cluster?.bootstrapClusterCreatorAdminPermissions === false) return [];
    const { principal, mode } = simulation;
    const creator = evidence.creator;
    const creatorNote = creator
      ? simulation.isCreator
        ? `although it created the cluster, its creator grant is gone (in ${mode} it lives in an access entry)`
        : `it did not create the cluster: ${creator.arn} did, which is why that identity works without any visible mapping`
      : 'it is not known to be the cluster creator (pass --creator to check)';
    const configMap = evidence.awsAuth?.state === 'present' ? evidence.awsAuth.configMap : undefined;
    const rowCount = configMap ? configMap.roleRows.length + configMap.userRows.length : 0;
    const block = principal.kind === 'user' ? 'mapUsers' : 'mapRoles';
    const arnKey = block === 'mapUsers' ? 'userarn' : 'rolearn';
    const details = evidence.principalDetails;
    const iamArn =
      principal.path !== undefined
        ? principal.iamArn
        : details && details.arn.split('/').pop() === principal.name
          ? details.arn
          : undefined;
    // Access entries want the role's real ARN, path included: from the input, else from IAM.
    const entryArn =
      iamArn ?? `arn:${principal.partition ?? 'aws'}:iam::${principal.accountId}:role/PATH/${principal.name}`;
    const hit: Hit<Message> = {
      messageId: mode === 'CONFIG_MAP' ? 'notMappedConfigMap' : 'notMappedApi',
      subject: { kind: 'principal', name: principal.canonicalArn },
      affectsPrincipal: true,
      data: {
        canonical: principal.canonicalArn,
        rows:
          evidence.awsAuth?.state === 'absent'
            ? 'the ConfigMap does not exist'
            : `${rowCount} row${rowCount === 1 ? '' : 's'} checked`,
        entries: `${evidence.accessEntries?.length ?? 0} checked`,
        awsAuthNote: mode === 'API' ? '' : configMap ? ' and no aws-auth row' : '',
        creatorNote,
        cluster: clusterNameOf(evidence),
        region: regionOf(evidence),
        username: principal.name,
        usernameShell: principal.name,
        entryArn,
        pathLookup:
          iamArn !== undefined
            ? [comment('the principal ARN below is the IAM one, path included')]
            : [
                run(
                  sh`aws iam get-role --role-name ${principal.name} --query Role.Arn --output text`,
                  'the role ARN with its path: put it in place of the ARN with PATH below',
                ),
              ],
        eksctlEntry: eksctlCommand(evidence, [
          { principalArn: entryArn, type: 'STANDARD', groups: [], policies: ['AmazonEKSClusterAdminPolicy'] },
        ]),
        mapRow: mapRowLines(evidence, block, {
          [arnKey]: principal.canonicalArn,
          username: principal.name,
          groups: ['system:masters'],
        }),
        terraformBlock: block === 'mapUsers' ? 'aws_auth_users' : 'aws_auth_roles',
        arnKey,
        entryKey: principal.name.replace(/[^A-Za-z0-9_]/g, '_'),
      },
    };
    return [hit];
  },
});

/**
 * The row added to aws-auth: a `kubectl patch` of the whole block at the version read, when the
 * block parses; else fetch, edit by hand, lint and replace.
 */
function mapRowLines(
  evidence: Evidence,
  block: 'mapRoles' | 'mapUsers',
  row: Record<string, string | string[]>,
): Script {
  const blocks = appendedBlock(evidence, block, row);
  if (blocks) return script(awsAuthPatch(evidence, blocks));
  const arnKey = block === 'mapUsers' ? 'userarn' : 'rolearn';
  return manualEditLines([
    `add under data.${block}: - ${arnKey}: ${String(row[arnKey])}, username: ${String(row.username)}, groups: [system:masters]`,
  ]);
}
