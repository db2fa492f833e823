import type { AwsAuth, BlockDiagnostic, BlockKey } from '../../src/model/aws-auth/types.js';
import { BLOCK_KEYS } from '../../src/model/aws-auth/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import type { Simulation } from '../../src/model/simulate.js';
import { defineCheck, type FixSpec, type FixStep, type Hit } from '../../src/core/types.js';
import { comment, hclAttr, hclComment, hclExpr, script, sh } from '../../src/core/command.js';
import { blockFixStep } from './_fix-rows.js';
import { manualEditLines, NO_AWS_CLI } from '../_fix.js';
import { isNodeRow, listText, nearMissAt, missedByRows, rowRef } from './_shared.js';

type Message = 'unquotedTemplate' | 'syntax' | 'notAList' | 'notAString';

const ID = 'aws-auth/yaml-invalid';

const RISKS = [
  'Never delete aws-auth to get past the error: in CONFIG_MAP and API_AND_CONFIG_MAP modes every node and every principal mapped only there loses access until it is re-created, and only the hidden cluster creator keeps working.',
  '`kubectl patch` carries the resourceVersion eksauth read: if someone changed aws-auth since, it fails with a conflict; run eksauth again rather than forcing it.',
  'The API server checks only that data values are strings, not the YAML inside them: run `eksauth lint` on the edited file before you replace it.',
];

const FIX: FixSpec = { risks: RISKS };

export default defineCheck<Message>({
  meta: {
    id: ID,
    title: 'A map block of aws-auth does not parse, so EKS ignores all of it',
    severity: 'error',
    stage: 'authentication',
    ref: 'C16',
    needs: ['awsAuth'],
    messages: {
      unquotedTemplate: {
        text: '{where} does not parse at line {line}, column {column} ({error}): `{written}` starts with `{{`, which YAML reads as a mapping, not a string. EKS ignores the whole block: {lost}{nodegroupNote}.',
        remediation: 'Quote every value that starts with `{{` ({corrected}) and replace the ConfigMap.',
        fix: FIX,
      },
      syntax: {
        text: '{where} does not parse at line {line}, column {column} ({error}). EKS ignores the whole block: {lost}{nodegroupNote}.',
        remediation: 'Correct the YAML of {where} at line {line} and replace the ConfigMap.',
        fix: FIX,
      },
      notAList: {
        text: '{where} at line {line} is {found}, not a list ({error}): EKS decodes nothing from it: {lost}{nodegroupNote}.',
        remediation: 'Write {where} as a YAML list with one `- {arnKey}: …` item per row and replace the ConfigMap.',
        fix: FIX,
      },
      notAString: {
        text: '`data.{block}` (line {line}) is a YAML {found}, not a string: the `|` after `{block}:` is missing, so the Kubernetes API rejects the whole ConfigMap and the cluster keeps its previous aws-auth.',
        remediation: 'Write `{block}: |` so that the rows become one string, then apply the file.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const configMap = evidence.awsAuth.configMap;
    const hits: Hit<Message>[] = [];
    for (const block of BLOCK_KEYS) {
      const result = configMap.blocks[block];
      if (!result.dropped) continue;
      const diagnostic = result.diagnostics.find(
        (d) => d.kind === 'yaml-syntax' || d.kind === 'not-a-list' || d.kind === 'not-a-string',
      );
      // mapAccounts that decodes but has the wrong shape is aws-auth/map-accounts-shape.
      if (!diagnostic || (block === 'mapAccounts' && diagnostic.kind === 'not-a-list')) continue;
      hits.push(hitFor(block, diagnostic, configMap, evidence, simulation));
    }
    return hits;
  },
});

function hitFor(
  block: BlockKey,
  diagnostic: BlockDiagnostic,
  configMap: AwsAuth,
  evidence: Evidence,
  simulation: Simulation | undefined,
): Hit<Message> {
  const { line, column } = diagnostic.location;
  const lost = configMap.lostRows.filter((r) => r.block === block);
  const affectsPrincipal =
    missedByRows(simulation) &&
    (lost.some((r) => nearMissAt(simulation, ID, r.location)) ||
      (block === 'mapAccounts' && (configMap.blocks.mapAccounts.raw ?? '').includes(simulation.principal.accountId)));
  const base = {
    block,
    where: block,
    line,
    column,
    error: diagnostic.message,
    ...describeLoss(block, lost),
    nodegroupNote:
      block === 'mapAccounts'
        ? ''
        : '; EKS managed node group create and delete may also fail with "AccessDenied: The aws-auth ConfigMap in your cluster is invalid"',
    arnKey: block === 'mapUsers' ? 'userarn' : 'rolearn',
  };
  const subject = { kind: 'aws-auth' as const, name: `data.${block}` };
  if (diagnostic.kind === 'not-a-string') {
    return {
      messageId: 'notAString',
      subject,
      location: diagnostic.location,
      affectsPrincipal: false,
      data: { ...base, found: 'list or mapping' },
      fix: [notAStringStep(block)],
    };
  }
  const fix = block === 'mapAccounts' ? [accountsStep(line)] : [blockFixStep(evidence, block)];
  if (diagnostic.kind === 'not-a-list') {
    const found = /unmarshal (\w+)/.exec(diagnostic.message)?.[1] ?? 'something else';
    return {
      messageId: 'notAList',
      subject,
      location: diagnostic.location,
      affectsPrincipal,
      data: { ...base, found: found === 'object' ? 'a mapping' : `a ${found}` },
      fix,
    };
  }
  const template = unquotedTemplateLine(configMap.blocks[block].raw ?? '');
  if (template && diagnostic.message.includes('invalid map key')) {
    return {
      messageId: 'unquotedTemplate',
      subject,
      location: diagnostic.location,
      affectsPrincipal,
      data: { ...base, written: template.written, corrected: template.corrected },
      fix,
    };
  }
  return { messageId: 'syntax', subject, location: diagnostic.location, affectsPrincipal, data: base, fix };
}

/** A block that is a YAML list or mapping instead of a string: the file needs `|` after the key. */
function notAStringStep(block: BlockKey): FixStep {
  return {
    title: `Write \`${block}: |\` in the file so that the rows become one string, then apply it`,
    kubectl: script(
      comment(`in aws-auth.yaml, write "${block}: |" (the rows below it become one string)`),
      sh`eksauth lint aws-auth.yaml`,
      sh`kubectl apply --dry-run=server -f aws-auth.yaml`,
      sh`kubectl apply -f aws-auth.yaml`,
    ),
    eksctl: [{ kind: 'comment', text: 'eksctl writes the block as a string itself; fix the file with kubectl first' }],
    aws: [NO_AWS_CLI],
    terraform: [
      hclComment('kubernetes_config_map_v1_data: a block must be a string, so encode the list'),
      hclAttr('data', { [block]: hclExpr`yamlencode(local.aws_auth_rows)` }),
    ],
  };
}

/** mapAccounts that does not parse: rewritten by hand (it holds only account ids). */
function accountsStep(line: number): FixStep {
  return {
    title: 'Rewrite mapAccounts as a YAML list of quoted 12-digit account ids',
    kubectl: manualEditLines([
      `fix mapAccounts at line ${line}: a list of quoted 12-digit account ids, e.g. - "111122223333"`,
    ]),
    eksctl: [{ kind: 'comment', text: 'eksctl has no flag for mapAccounts: fix it with kubectl or Terraform' }],
    aws: [NO_AWS_CLI],
    terraform: [
      hclComment('terraform-aws-modules/eks//modules/aws-auth'),
      hclAttr('aws_auth_accounts', ['111122223333']),
    ],
  };
}

/** The first `key: {{…}}` line: a plain value that opens a YAML flow mapping. */
function unquotedTemplateLine(raw: string): { written: string; corrected: string } | undefined {
  for (const line of raw.split('\n')) {
    const match = /^\s*-?\s*([A-Za-z]+:\s+)(\{\{.*?)\s*$/.exec(line);
    if (match) {
      const value = match[2] ?? '';
      return {
        written: `${match[1] ?? ''}${value}`.trim(),
        corrected: `${match[1] ?? ''}${JSON.stringify(value)}`.trim(),
      };
    }
  }
  return undefined;
}

type LostRow = AwsAuth['lostRows'][number];

/** What the block takes down with it, naming node rows and admin/SSO rows explicitly. */
function describeLoss(
  block: BlockKey,
  lost: readonly LostRow[],
): { lost: string; lostCount: number; nodeRows: string; adminRows: string; otherRows: string } {
  const ref = (r: LostRow): string => `${rowRef(r.block, r.index, r.location)} ${r.arn || '(no ARN)'}`;
  const nodes = lost.filter(isNodeRow);
  const admins = lost.filter(
    (r) => !isNodeRow(r) && (r.groups.includes('system:masters') || /AWSReservedSSO_/i.test(r.arn)),
  );
  const others = lost.filter((r) => !isNodeRow(r) && !admins.includes(r));
  const nodeRows = nodes.map(ref).join(', ');
  const adminRows = admins.map((r) => `${ref(r)} ${listText(r.groups)}`).join(', ');
  const otherRows = others.map(ref).join(', ');
  const summary = { lostCount: lost.length, nodeRows, adminRows, otherRows };
  if (block === 'mapAccounts') return { ...summary, lost: 'no account in mapAccounts is authenticated through it' };
  if (lost.length === 0) return { ...summary, lost: `every row of ${block} is lost` };
  const parts = [
    lost.length === 1 ? `the only row of ${block} is lost` : `all ${lost.length} rows of ${block} are lost`,
  ];
  if (nodeRows)
    parts.push(
      `node rows ${nodeRows}: nodes using these roles can no longer authenticate: new nodes cannot join; existing ones fail on token refresh`,
    );
  if (adminRows) parts.push(`admin and SSO rows ${adminRows}: these principals get 401 Unauthorized`);
  if (otherRows) parts.push(`other rows ${otherRows}: these principals get 401 Unauthorized`);
  return { ...summary, lost: parts.join('; ') };
}
