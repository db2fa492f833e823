import { script } from '../../src/core/command.js';
import { awsEks, eksctl, fixTarget } from '../../src/core/fix-target.js';
import { normaliseEntryType } from '../../src/model/access-entries.js';
import { sameArn, stripRolePath } from '../../src/model/arn.js';
import type { CheckContext, Hit, Subject } from '../../src/core/types.js';
import { resolveMode } from '../mode/resolve.js';
import { manualEditLines } from '../_fix.js';
import {
  correctedNodeRow,
  groupByRole,
  ENTRY_TYPE,
  missingNodeRows,
  indexRoleRows,
  NODE_ROW_GROUPS,
  NODE_USERNAME,
  nodeFixData,
  nodeMappingOf,
  type NodeKind,
} from './node-mappings.js';

/**
 * What nodes/node-role-unmapped and nodes/fargate-role-unmapped share: a role that must be mapped
 * as a node, looked up the same way, ending in one of the same six ways. Each check keeps its own
 * wording (and message ids); this decides which message applies and with what data.
 */
export type UnmappedOutcome =
  'noMapping' | 'rowIgnoredInApiMode' | 'lostWithBlock' | 'rowHasPath' | 'incompleteRow' | 'wrongEntryType';

export interface NodeRole {
  /** The role ARN as the node group or Fargate profile names it (an IAM path included). */
  role: string;
  kind: NodeKind;
  subject: Subject;
  /** Data the check's own messages use (`{nodegroups}`, `{profiles}`). */
  data: Record<string, string>;
}

export { groupByRole };

export function unmappedRoleHits<M extends string>(
  { evidence, simulation }: CheckContext,
  roles: readonly NodeRole[],
  messageIds: Record<UnmappedOutcome, M>,
): Hit<M>[] {
  const { mode } = resolveMode(evidence);
  const index = indexRoleRows(evidence);
  const hits: Hit<M>[] = [];
  for (const { role, kind, subject, data } of roles) {
    const mapping = nodeMappingOf(role, kind, evidence, mode, index);
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: the switch below has no case for these; skipping early only saves building the fix
    if (mapping.status === 'mapped' || mapping.status === 'unknown') continue;
    const canonical = stripRolePath(role);
    const expectedType = ENTRY_TYPE[kind];
    const groups = NODE_ROW_GROUPS[kind].join(', ');
    const base = {
      ...data,
      role,
      canonical,
      mode,
      entryType: expectedType,
      expectedType,
      username: NODE_USERNAME[kind],
      groups,
      ...nodeFixData(role, kind, evidence, mode),
    };
    const common = {
      subject,
      affectsPrincipal: simulation !== undefined && sameArn(canonical, simulation.principal.canonicalArn),
    };
    switch (mapping.status) {
      case 'none':
        if (mapping.ignoredRow) {
          hits.push({
            ...common,
            messageId: messageIds.rowIgnoredInApiMode,
            location: mapping.ignoredRow.location,
            data: { ...base, where: rowRef(mapping.ignoredRow) },
          });
          break;
        }
        hits.push({
          ...common,
          messageId: messageIds.noMapping,
          data: {
            ...base,
            expected:
              mode === 'CONFIG_MAP'
                ? 'no aws-auth row'
                : mode === 'API'
                  ? `no ${expectedType} access entry`
                  : `no ${expectedType} access entry and no aws-auth row`,
            remedy:
              mode === 'CONFIG_MAP'
                ? `add an aws-auth row with username ${NODE_USERNAME[kind]} and the groups ${groups}${alsoAdded(evidence, canonical)}`
                : `create ${article(expectedType)} ${expectedType} access entry`,
          },
        });
        break;
      case 'lost-with-block':
        hits.push({
          ...common,
          messageId: messageIds.lostWithBlock,
          location: mapping.location,
          data: {
            ...base,
            line: mapping.location.line,
            // The row exists: the fix is the block's YAML error, edited by hand and linted before replace.
            kubectl: manualEditLines([
              `the row is there but unreadable: fix the YAML error in data.mapRoles near line ${mapping.location.line} (quote values that start with {{)`,
            ]),
          },
        });
        break;
      case 'only-with-path':
        hits.push({
          ...common,
          messageId: messageIds.rowHasPath,
          location: mapping.row.fieldLocations.arn ?? mapping.row.location,
          data: {
            ...base,
            where: rowRef(mapping.row),
            rowArn: mapping.row.arn,
            kubectl: correctedNodeRow(evidence, mapping.row, kind, { arn: canonical }) ?? base.kubectl,
          },
        });
        break;
      case 'incomplete-row':
        hits.push({
          ...common,
          messageId: messageIds.incompleteRow,
          location: mapping.row.location,
          data: {
            ...base,
            where: rowRef(mapping.row),
            missing: mapping.missing.join(', '),
            kubectl: correctedNodeRow(evidence, mapping.row, kind, { missing: mapping.missing }) ?? base.kubectl,
          },
        });
        break;
      case 'wrong-entry':
        hits.push({
          ...common,
          messageId: messageIds.wrongEntryType,
          data: {
            ...base,
            entryType: normaliseEntryType(mapping.entry.type),
            aws: [
              ...script(
                awsEks(fixTarget(evidence), 'delete-access-entry', ['--principal-arn', mapping.entry.principalArn]),
              ),
              ...base.aws,
            ],
            eksctl: [
              ...script(
                eksctl(fixTarget(evidence), 'delete', 'accessentry', ['--principal-arn', mapping.entry.principalArn]),
              ),
              ...base.eksctl,
            ],
          },
        });
        break;
    }
  }
  return hits;
}

const rowRef = (row: { block: string; index: number; location: { line: number } }): string =>
  `aws-auth ${row.block}[${row.index}] (line ${row.location.line})`;

/** "an EC2_LINUX access entry", "a FARGATE_LINUX access entry". */
const article = (word: string): string => (/^[AEIOU]/.test(word) ? 'an' : 'a');

/** The other node roles the same patch maps (every unmapped node role is added by one step). */
function alsoAdded(evidence: CheckContext['evidence'], canonical: string): string {
  const others = missingNodeRows(evidence, 'CONFIG_MAP').filter((r) => !sameArn(r.rolearn, canonical));
  return others.length > 0
    ? ` (the same change adds the rows of the other unmapped node roles: ${others.map((r) => r.rolearn).join(', ')})`
    : '';
}
