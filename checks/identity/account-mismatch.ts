import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf } from '../../src/core/fix-format.js';

type Message = 'rowInOtherAccount' | 'principalInOtherAccount';

export default defineCheck<Message>({
  meta: {
    id: 'identity/account-mismatch',
    title: 'Principal, mapping and cluster are in different AWS accounts',
    severity: 'error',
    stage: 'client',
    ref: 'C08',
    needs: [],
    needsSimulation: true,
    messages: {
      rowInOtherAccount: {
        text: '{detail}: the row names the right role in the wrong account, so it never matches.',
        remediation:
          'Use the account the principal really lives in ({principalAccount}) in the mapping, or run as the principal in account {rowAccount}.',
        fix: {
          kubectl: `kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml\n# edit aws-auth.yaml: write {rowArn} as {principalArn}\neksauth lint aws-auth.yaml\nkubectl replace -f aws-auth.yaml`,
          eksctl: `eksctl create iamidentitymapping --cluster {cluster} --arn {principalArn} --username {username} --group system:masters`,
          aws: `aws sts get-caller-identity   # confirm which account your credentials are in`,
          terraform: `# use the account id of the principal, e.g. data.aws_caller_identity.current.account_id\naws_auth_roles = [{ rolearn = "{principalArn}", username = "{username}", groups = ["system:masters"] }]`,
          risks: [
            'If the wrong account was the intended one, the fix is to use other credentials (check AWS_PROFILE and the exec entry of your kubeconfig), not to edit the mapping.',
          ],
        },
      },
      principalInOtherAccount: {
        text: 'The principal is in account {principalAccount} but cluster {cluster} is in account {clusterAccount}.',
        remediation:
          'Check that you meant a cross-account principal; if not, switch to credentials of account {clusterAccount} (AWS_PROFILE, or the exec entry of your kubeconfig).',
        severity: 'info',
        fix: {
          kubectl:
            "kubectl config view --minify -o jsonpath='{.users[0].user.exec.env}'   # which profile kubectl uses",
          eksctl:
            '# cross-account principals are mapped like any other; node-type entries must be in the cluster account',
          aws: 'aws sts get-caller-identity --query Account --output text',
          terraform: '# provider "aws" { allowed_account_ids = ["{clusterAccount}"] } catches this early',
          risks: [
            'Cross-account access is legitimate for STANDARD entries; node and Fargate roles must be in the cluster account.',
          ],
        },
      },
    },
  },
  run({ evidence, simulation }) {
    if (!simulation) return [];
    const { principal } = simulation;
    const hits: Hit<Message>[] = [];
    for (const miss of simulation.nearMisses.filter((m) => m.checkId === 'identity/account-mismatch')) {
      const rowAccount = /in account (\d+)/.exec(miss.detail)?.[1] ?? '';
      const rowArn = principal.canonicalArn.replace(`::${principal.accountId}:`, `::${rowAccount}:`);
      hits.push({
        messageId: 'rowInOtherAccount',
        subject: { kind: 'aws-auth', name: miss.detail.split(' ')[0] ?? 'aws-auth' },
        ...(miss.location ? { location: miss.location } : {}),
        affectsPrincipal: !simulation.decision.authenticated,
        data: {
          detail: miss.detail,
          principalAccount: principal.accountId,
          rowAccount,
          principalArn: principal.canonicalArn,
          cluster: clusterNameOf(evidence),
          username: principal.name,
          rowArn,
        },
      });
    }
    const clusterAccount = evidence.cluster?.accountId;
    if (clusterAccount && clusterAccount !== principal.accountId) {
      hits.push({
        messageId: 'principalInOtherAccount',
        subject: { kind: 'principal', name: principal.canonicalArn },
        affectsPrincipal: false,
        data: { principalAccount: principal.accountId, clusterAccount, cluster: clusterNameOf(evidence) },
      });
    }
    return hits;
  },
});
