import { run, script, sh, visible } from '../../src/core/command.js';
import { defineCheck, type FixStep, type Hit } from '../../src/core/types.js';
import type { MappingRow, SourceLocation } from '../../src/model/aws-auth/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { awsAuthStep } from '../_fix.js';
import { arnKeyOf } from '../aws-auth/_shared.js';
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
        // The steps are built from the row itself (see rowFix): its username and groups are kept.
        fix: {
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
      const row = rowAt(evidence, miss.location);
      const rowArn = row?.arn ?? principal.canonicalArn.replace(`::${principal.accountId}:`, `::${rowAccount}:`);
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
        ...(row ? { fix: [rowFix(evidence, row, principal.canonicalArn)] } : {}),
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

/** The decoded aws-auth row a near miss points at (by its ARN's position). */
function rowAt(evidence: Evidence, location: SourceLocation | undefined): MappingRow | undefined {
  if (evidence.awsAuth?.state !== 'present' || !location) return undefined;
  const { roleRows, userRows } = evidence.awsAuth.configMap;
  return [...roleRows, ...userRows].find((r) => {
    const at = r.fieldLocations.arn ?? r.location;
    return at.line === location.line && at.column === location.column;
  });
}

/**
 * The row's ARN rewritten to the principal's account, its username and groups kept: an exact patch
 * of the block at the version read (kubectl), a delete and re-create (eksctl), the row as Terraform
 * lists it. The aws CLI cannot edit aws-auth; it shows which account the credentials are in.
 */
function rowFix(evidence: Evidence, row: MappingRow, principalArn: string): FixStep {
  const where = `aws-auth ${row.block}[${row.index}] (line ${row.location.line})`;
  const arnKey = row.keys.find((k) => ['rolearn', 'userarn'].includes(k.toLowerCase())) ?? arnKeyOf(row.block);
  const step = awsAuthStep(
    evidence,
    `Write the ARN of ${where} in the principal's account: ${visible(row.arn)} → ${visible(principalArn)}`,
    [{ from: row.arn, to: { block: row.block, arn: principalArn, username: row.username, groups: row.groups } }],
    [`write ${row.arn} as ${principalArn} in ${where}`],
    [{ block: row.block, index: row.index, set: { [arnKey]: principalArn } }],
  );
  return {
    ...step,
    aws: script(
      run(
        sh`aws sts get-caller-identity --query Account --output text`,
        'the account your credentials are in: the row must name it',
      ),
    ),
  };
}
