import { isAccountId } from '../../src/model/arn.js';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { defineCheck, type FixSpec, type FixStep, type Hit } from '../../src/core/types.js';
import { templateSteps } from '../../src/core/fix.js';
import { comment, hclAttr, hclComment } from '../../src/core/command.js';
import type { Evidence } from '../../src/model/evidence.js';
import { exactPatchLines } from './_exact-edit.js';
import { clusterNameOf } from '../../src/core/fix-format.js';
import { missedByRows } from './_shared.js';

type Message = 'notAList' | 'badItem' | 'badAccount' | 'accountWide';

const FIX: FixSpec = {
  kubectl: `kubectl get configmap aws-auth -n kube-system -o yaml > aws-auth.yaml\n# mapAccounts must be a list of quoted 12-digit account ids:\n#   mapAccounts: |\n#     - "{example}"\neksauth lint aws-auth.yaml && kubectl replace -f aws-auth.yaml`,
  eksctl: `# eksctl has no flag for mapAccounts; map the account's roles instead:\neksctl create iamidentitymapping --cluster {cluster} --arn arn:aws:iam::{example}:role/ROLE_NAME --username 'ROLE_NAME:{{SessionName}}' --group GROUP`,
  aws: `# access entries have no account-wide form: create one per role (mode API_AND_CONFIG_MAP or API):\naws eks create-access-entry --cluster-name {cluster} --principal-arn arn:aws:iam::{example}:role/ROLE_NAME`,
  terraform: `# terraform-aws-modules/eks//modules/aws-auth\naws_auth_accounts = ["{example}"]`,
  risks: [
    'mapAccounts authenticates every role and user of the account, including ones created later: prefer explicit rows or access entries.',
    'Access entries cannot replace mapAccounts: moving to mode API removes account-wide access altogether.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/map-accounts-shape',
    title: 'mapAccounts is not a list of 12-digit account ids, or grants a whole account',
    severity: 'error',
    stage: 'authentication',
    ref: 'C23',
    needs: ['awsAuth'],
    messages: {
      notAList: {
        text: 'The mapAccounts block (line {line}) is {found}, not a list of account ids ({error}): EKS reads no account from it.',
        remediation: 'Write mapAccounts as a YAML list of quoted 12-digit account ids.',
        fix: FIX,
      },
      badItem: {
        text: '{where} (line {line}) is {found}, not an account id ({error}): EKS skips that item and keeps the others.',
        remediation: 'Write every item of mapAccounts as a quoted 12-digit account id.',
        fix: FIX,
      },
      badAccount: {
        text: '{where} (line {line}) is "{account}", not a 12-digit account id: it never equals an account, so it authenticates nobody.',
        remediation: 'Write the account id as 12 digits in quotes (keep its leading zeros), or remove the item.',
        fix: FIX,
      },
      accountWide: {
        text: '{where} (line {line}) lists account {account}: every IAM role and user of that account that no row maps is authenticated, with its ARN as username and no groups, so it gets 403 Forbidden unless RBAC binds that username.',
        remediation:
          'Map the roles and users of {account} on their own rows and remove the account from mapAccounts, unless account-wide authentication is intended.',
        severity: 'info',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const { configMap } = evidence.awsAuth;
    const block = configMap.blocks.mapAccounts;
    const cluster = clusterNameOf(evidence);
    const example =
      configMap.accounts.find((a) => isAccountId(a.id))?.id ?? evidence.cluster?.accountId ?? '111122223333';
    const subject = { kind: 'aws-auth' as const, name: 'data.mapAccounts' };
    const hits: Hit<Message>[] = [];
    // A syntax error or a missing `|` is aws-auth/yaml-invalid.
    for (const d of block.diagnostics) {
      if (d.kind !== 'not-a-list' && d.kind !== 'type-error') continue;
      const found = describeFound(d.message);
      const data = { where: d.location.key, line: d.location.line, found, error: d.message, cluster, example };
      hits.push({
        messageId: d.kind === 'not-a-list' ? 'notAList' : 'badItem',
        subject,
        location: d.location,
        // A principal of an account written in the unreadable block (or item) relied on it.
        affectsPrincipal:
          missedByRows(simulation) &&
          !configMap.accounts.some((a) => a.id === simulation.principal.accountId) &&
          (block.raw ?? '').includes(simulation.principal.accountId),
        data,
        ...exactFix(
          evidence,
          data,
          d.kind === 'not-a-list'
            ? 'Write mapAccounts as a YAML list of quoted 12-digit account ids.'
            : 'Write every item of mapAccounts as a quoted 12-digit account id.',
        ),
      });
    }
    if (block.dropped) return hits;
    configMap.accounts.forEach((account, index) => {
      const where = `mapAccounts[${index}]`;
      const data = { where, line: account.location.line, account: account.id, cluster, example };
      if (!isAccountId(account.id)) {
        const meant =
          simulation !== undefined &&
          !simulation.decision.authenticated &&
          account.id.replace(/\D/g, '') !== '' &&
          simulation.principal.accountId.endsWith(account.id.replace(/\D/g, ''));
        hits.push({ messageId: 'badAccount', subject, location: account.location, affectsPrincipal: meant, data });
        return;
      }
      const via = simulation?.via;
      hits.push({
        messageId: 'accountWide',
        subject,
        location: account.location,
        affectsPrincipal: via?.kind === 'aws-auth-account' && via.accountId === account.id,
        data,
      });
    });
    return hits;
  },
});

function describeFound(message: string): string {
  if (message.includes('!!map')) return 'a mapping';
  if (message.includes('!!seq')) return 'a nested list';
  // go-yaml names the scalar by what it resolves to: `111122223333` is an !!int.
  if (/!!(str|int|float|bool|timestamp|binary)\b/.test(message)) return 'a single string';
  return 'something else';
}

/** The template step with its kubectl form an exact patch, when the corrected list can be computed. */
function exactFix(evidence: Evidence, data: Record<string, string | number>, remediation: string): { fix?: FixStep[] } {
  const corrected = correctedAccounts(evidence);
  const kubectl = corrected
    ? exactPatchLines(evidence, { data: { mapAccounts: corrected.text }, accounts: corrected.ids }, corrected.notes)
    : undefined;
  const [step] = templateSteps(FIX, data, remediation);
  if (!kubectl || !step || !corrected) return {};
  const terraform = [
    hclComment('terraform-aws-modules/eks//modules/aws-auth'),
    hclAttr('aws_auth_accounts', corrected.ids),
  ];
  // Access entries have no account-wide form, so the aws CLI has no part in this edit.
  const aws = [comment('access entries have no account-wide form: mapAccounts is edited with kubectl or Terraform')];
  return { fix: [{ ...step, kubectl, aws, terraform }] };
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * mapAccounts as the list its author meant: a mapping or a lone string becomes the list of the
 * 12-digit ids it holds, an unquoted number is quoted as written, a one-id mapping item becomes
 * the id. Undefined (a hand edit) when any item or the block has no single reading.
 */
function correctedAccounts(evidence: Evidence): { text: string; ids: string[]; notes: string[] } | undefined {
  if (evidence.awsAuth?.state !== 'present') return undefined;
  const raw = evidence.awsAuth.configMap.blocks.mapAccounts.raw;
  if (raw === undefined) return undefined;
  const doc = parseDocument(raw, { schema: 'failsafe', uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  const idsIn = (node: unknown): string[] => {
    if (isScalar(node)) return ACCOUNT_ID.test(String(node.value)) ? [String(node.value)] : [];
    if (isMap(node)) return node.items.flatMap((p) => idsIn(p.value));
    if (isSeq(node)) return node.items.flatMap(idsIn);
    return [];
  };
  let ids: string[];
  const notes: string[] = [];
  if (isSeq(doc.contents)) {
    ids = [];
    for (const item of doc.contents.items) {
      const found = idsIn(item);
      // A string item that is not an id stays as written (aws-auth/map-accounts-shape says so).
      if (isScalar(item) && item.type !== 'PLAIN') ids.push(String(item.value));
      else if (found.length === 1 && found[0] !== undefined) ids.push(found[0]);
      else if (isScalar(item) && found.length === 0 && !/^\d+$/.test(String(item.value))) ids.push(String(item.value));
      else return undefined;
    }
    notes.push('mapAccounts: every item written as a quoted account id');
  } else {
    ids = [...new Set(idsIn(doc.contents))];
    if (ids.length === 0) return undefined;
    notes.push(
      `mapAccounts becomes the list of the account ids it held (${ids.join(', ')}): each grants its whole account`,
    );
  }
  const text = ids.map((id) => `- ${JSON.stringify(id)}\n`).join('');
  return { text, ids, notes };
}
