import { Document, isMap, isSeq, isScalar } from 'yaml';
import { canonicalizeArn, iamPathOf, parseArn, stripRolePath } from '../../src/model/arn.js';
import { editDistance } from '../../src/model/text-match.js';
import { KNOWN_TEMPLATE_VARIABLES, unknownTemplateVariables } from '../../src/model/templates.js';
import type { Evidence } from '../../src/model/evidence.js';
import { comment, option, script } from '../../src/core/command.js';
import { awsAuthPatch, eksctl, eksctlGroupArgs, fixTarget } from '../../src/core/fix-target.js';
import { hclAttr, hclComment, type HclScript, type Script } from '../../src/core/command.js';
import type { FixStep } from '../../src/core/types.js';
import { rowViews } from './_shared.js';
import { NO_AWS_CLI } from '../_fix.js';
import { blockDocument, dataNode } from './_exact-edit.js';

/**
 * Every aws-auth row check fixes a block the same way: the whole block rewritten with every row
 * corrected (path, STS session ARN, misspelt template variable), so a row with two problems is fixed
 * by one step, and two checks about one block print the same step (the report keeps it once).
 */

/** The known variable the author most likely meant: same letters ignoring case and spaces, a prefix, else within 3 edits. */
export function closestKnown(name: string): string | undefined {
  const norm = name.replace(/\s+/g, '').toLowerCase();
  const exact = KNOWN_TEMPLATE_VARIABLES.find((k) => k.toLowerCase() === norm);
  if (exact) return exact;
  // `{{Session}}`, `{{EC2}}`: the shortest known name it starts.
  // Stryker disable ArithmeticOperator: KNOWN_TEMPLATE_VARIABLES lists SessionName before SessionNameRaw and AccountID before AccessKeyID, so a comparator that never reorders keeps the shortest first too
  const prefixed =
    norm.length >= 3
      ? KNOWN_TEMPLATE_VARIABLES.filter((k) => k.toLowerCase().startsWith(norm)).sort((a, b) => a.length - b.length)[0]
      : undefined;
  // Stryker restore ArithmeticOperator
  if (prefixed) return prefixed;
  // `{{SessionID}}`, `{{AccountNumber}}`: the known name sharing the longest start (5 letters at least).
  const shared = (known: string): number => {
    const k = known.toLowerCase();
    let n = 0;
    while (n < k.length && n < norm.length && k[n] === norm[n]) n++;
    return n;
  };
  const byPrefix = [...KNOWN_TEMPLATE_VARIABLES].sort((a, b) => shared(b) - shared(a) || a.length - b.length)[0];
  if (byPrefix && shared(byPrefix) >= 5) return byPrefix;
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_TEMPLATE_VARIABLES) {
    const distance = editDistance(norm, known.toLowerCase());
    if (distance <= 3 && (!best || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name;
}

/** A template with each unknown variable that has a likely meaning replaced by it. */
export function correctTemplate(value: string): string {
  let out = value;
  for (const name of new Set(unknownTemplateVariables(value))) {
    const known = closestKnown(name);
    if (known) out = out.replaceAll(`{{${name}}}`, `{{${known}}}`);
  }
  return out;
}

/** The ARN EKS can match: the role ARN of an STS session, without the IAM path. */
export function correctArn(arn: string): string {
  const trimmed = arn.trim();
  const parsed = parseArn(trimmed);
  if (parsed.ok && parsed.value.service === 'sts' && parsed.value.resource.startsWith('assumed-role/')) {
    const canonical = canonicalizeArn(trimmed);
    if (canonical.ok) return canonical.value.canonicalArn;
  }
  const path = iamPathOf(trimmed);
  if (path !== undefined && path !== '/' && !trimmed.endsWith('/')) return stripRolePath(trimmed);
  return trimmed;
}

export interface CorrectRow {
  block: 'mapRoles' | 'mapUsers';
  index: number;
  arn: string;
  username: string;
  groups: string[];
  /** The ARN as written, when the correction changed the row. */
  changedFrom?: string;
}

const correctRow = (row: {
  block: 'mapRoles' | 'mapUsers';
  index: number;
  arn: string;
  username: string;
  groups: string[];
}): CorrectRow => {
  const arn = row.block === 'mapRoles' ? correctArn(row.arn) : row.arn.trim();
  const username = correctTemplate(row.username);
  const groups = row.groups.map(correctTemplate);
  const changed = arn !== row.arn || username !== row.username || groups.some((g, i) => g !== row.groups[i]);
  return { block: row.block, index: row.index, arn, username, groups, ...(changed ? { changedFrom: row.arn } : {}) };
};

/** The rows of a block as they should read, in order (a dropped block's rows recovered from its text). */
export function correctedRows(evidence: Evidence, block: 'mapRoles' | 'mapUsers'): CorrectRow[] {
  if (evidence.awsAuth?.state !== 'present') return [];
  return rowViews(evidence.awsAuth.configMap)
    .filter((r) => r.block === block)
    .sort((a, b) => a.index - b.index)
    .map(correctRow);
}

/**
 * The text of the block with every row corrected. A block that parses keeps its comments, key
 * spellings and the text of every value it does not correct; a dropped block is written afresh from
 * its rows, as data. Written values are quoted wherever go-yaml v2 (YAML 1.1) would read something
 * other than the string (`yes`, `on`, `1_000`), so that the corrected row decodes as planned.
 */
export function correctedBlockText(evidence: Evidence, block: 'mapRoles' | 'mapUsers'): string | undefined {
  if (evidence.awsAuth?.state !== 'present') return undefined;
  const rows = correctedRows(evidence, block);
  const arnKey = block === 'mapRoles' ? 'rolearn' : 'userarn';
  const doc = blockDocument(evidence, block);
  if (doc && isSeq(doc.contents)) {
    doc.contents.items.forEach((item, index) => {
      const row = rows.find((r) => r.index === index);
      if (!row?.changedFrom || !isMap(item)) return;
      for (const pair of item.items) {
        const key = isScalar(pair.key) ? String(pair.key.value).toLowerCase() : '';
        const value =
          key === arnKey ? row.arn : key === 'username' ? row.username : key === 'groups' ? row.groups : undefined;
        if (value !== undefined) pair.value = dataNode(doc, value);
      }
    });
    return doc.toString({ lineWidth: 0 });
  }
  const fresh = new Document(null, { schema: 'failsafe' });
  fresh.contents = dataNode(
    fresh,
    rows.map((r) => ({ [arnKey]: r.arn, ...(r.username !== '' ? { username: r.username } : {}), groups: r.groups })),
  );
  return fresh.toString({ lineWidth: 0 });
}

/** The one step that rewrites a block of aws-auth with every row corrected. */
export function blockFixStep(evidence: Evidence, block: 'mapRoles' | 'mapUsers'): FixStep {
  const t = fixTarget(evidence);
  const text = correctedBlockText(evidence, block);
  const rows = correctedRows(evidence, block);
  const changed = rows.filter((r) => r.changedFrom !== undefined);
  const kubectl: Script =
    text !== undefined
      ? script(awsAuthPatch(evidence, { [block]: text }))
      : [comment('aws-auth was not read: nothing to patch')];
  const dropped = evidence.awsAuth?.state === 'present' && evidence.awsAuth.configMap.blocks[block].dropped;
  // eksctl re-creates the rows it changes; a dropped block must be rewritten whole first (kubectl or Terraform).
  const eksctlLines: Script = dropped
    ? [
        comment(
          `a ${block} block that does not parse cannot be edited with eksctl: rewrite it with kubectl or Terraform first`,
        ),
      ]
    : changed.flatMap((r) => [
        ...script(eksctl(t, 'delete', 'iamidentitymapping', [...option('--arn', r.changedFrom ?? r.arn), '--all'])),
        ...script(
          eksctl(t, 'create', 'iamidentitymapping', [
            ...option('--arn', r.arn),
            ...(r.username !== '' ? option('--username', r.username) : []),
            ...eksctlGroupArgs(r.groups),
          ]),
        ),
      ]);
  const arnKey = block === 'mapRoles' ? 'rolearn' : 'userarn';
  const terraform: HclScript = [
    hclComment('terraform-aws-modules/eks v19 (module "eks"), or v20+ with its aws-auth submodule: the whole list'),
    hclAttr(
      block === 'mapRoles' ? 'aws_auth_roles' : 'aws_auth_users',
      rows.map((r) => ({ [arnKey]: r.arn, username: r.username, groups: r.groups })),
    ),
  ];
  return {
    title: `Rewrite aws-auth ${block} with every row corrected${changed.length > 0 ? ` (${changed.map((r) => `${block}[${r.index}]`).join(', ')})` : ''}`,
    key: `aws-auth:${block}`,
    kubectl,
    eksctl: eksctlLines.length > 0 ? eksctlLines : [comment('no row to re-create')],
    aws: [NO_AWS_CLI],
    terraform,
  };
}
