import type { BlockDiagnostic, MappingRow } from '../../src/model/aws-auth/types.js';
import { defineCheck, type FixSpec, type FixStep, type Hit } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { isScalar, isSeq, type Document, type Scalar, type YAMLMap } from 'yaml';
import { awsAuthStep } from '../_fix.js';
import { exactPatchLines, fieldPairs, renameKey, rowsPlan, setField, type RowShape } from './_exact-edit.js';
import { arnKeyOf, isPrincipalArn, namesPrincipal, missedByRows, rowRef, viaRow } from './_shared.js';

type Message = 'typeError' | 'dropped' | 'duplicateKey' | 'foldedList';

const FIX: FixSpec = {
  risks: [
    '`kubectl replace` fails if someone changed aws-auth since you read it: read it again and retry rather than forcing it.',
    'A YAML mistake while editing drops the whole block, node rows included: run `eksauth lint` on the edited file before replacing it.',
    'Access entries may not use groups starting with `system:`: keep node and `system:masters` rows in aws-auth or use access policies instead.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/entry-shape',
    title: 'An aws-auth row parses but has wrong types, missing fields or repeated keys',
    severity: 'error',
    stage: 'authentication',
    ref: 'C16',
    needs: ['awsAuth'],
    messages: {
      typeError: {
        text: '{where} {field} has the wrong type ({error}): EKS keeps the row with {effect}.',
        remediation: 'Write {field} in {where} as {expected}.',
        fix: FIX,
      },
      dropped: {
        text: '{where} is dropped by EKS: {reason}{detail}. The row maps nobody.',
        remediation: '{remedy}.',
        fix: FIX,
      },
      duplicateKey: {
        text: '{where} gives {field} twice ({key} at line {line}, {winner} at line {winnerLine}): EKS uses only {winner} at line {winnerLine} and ignores the other.',
        remediation: 'Keep one {field} key in {where}, with the value you mean.',
        severity: 'warning',
        fix: FIX,
      },
      foldedList: {
        text: '{where} has the single group "{group}": a list item indented deeper than the one above folds into it, so the row gets none of {parts}.',
        remediation: 'Indent every item under groups in {where} at the same column.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const { configMap } = evidence.awsAuth;
    const typeErrorsByRow = new Map<string, BlockDiagnostic[]>();
    for (const block of ['mapRoles', 'mapUsers'] as const) {
      for (const d of configMap.blocks[block].diagnostics) {
        // Only type errors: a row failing validation says why in droppedBecause.
        if (d.kind !== 'type-error') continue;
        const key = `${block}:${d.rowIndex}`;
        const list = typeErrorsByRow.get(key);
        if (list) list.push(d);
        else typeErrorsByRow.set(key, [d]);
      }
    }
    const hits: Hit<Message>[] = [];
    for (const row of [...configMap.roleRows, ...configMap.userRows]) {
      const diagnostics = typeErrorsByRow.get(`${row.block}:${row.index}`) ?? [];
      const where = rowRef(row.block, row.index, row.location);
      const common = { where };
      const fix = (problem: string): FixStep[] => [rowFix(evidence, row, diagnostics, where, problem)];
      const subject = { kind: 'aws-auth' as const, name: `${row.block}[${row.index}]` };
      const mapped = viaRow(simulation, row.block, row.index);
      if (row.droppedBecause) {
        if (explainedByWrongSection(row)) continue;
        const unknown = (row.unknownKeys ?? []).map((k) => k.key);
        const detail = [
          row.arn ? ` (${arnKeyOf(row.block)} ${row.arn})` : '',
          diagnostics.length > 0 ? ` (${diagnostics.map((d) => d.message).join('; ')})` : '',
          unknown.length > 0
            ? `; it has the key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which EKS does not read`
            : '',
        ].join('');
        const intended = row.arn || (row.unknownKeys ?? []).find((k) => k.value?.startsWith('arn:'))?.value || '';
        hits.push({
          messageId: 'dropped',
          subject,
          location: row.location,
          affectsPrincipal:
            missedByRows(simulation) &&
            intended !== '' &&
            (isPrincipalArn(simulation, intended) || namesPrincipal(intended, simulation)),
          data: {
            ...common,
            reason: row.droppedBecause,
            detail,
            // An sso that is not a mapping decodes empty, so validation blames its account id: the mapping
            // is what is wrong (beside a rolearn, the sso is the one to remove).
            remedy:
              row.arn === '' && diagnostics.some((d) => fieldOf(d) === 'sso')
                ? `Write sso in ${where} as ${expectedOf('sso')}`
                : remedyFor(row.droppedBecause),
          },
          fix: fix(row.droppedBecause),
        });
        continue;
      }
      for (const d of diagnostics) {
        const field = fieldOf(d);
        if (field === 'userid') continue; // aws-auth ignores userid
        hits.push({
          messageId: 'typeError',
          subject,
          location: d.location,
          affectsPrincipal: mapped,
          data: {
            ...common,
            field,
            error: d.message,
            effect: effectOf(field),
            expected: expectedOf(field),
          },
          fix: fix(d.message),
        });
      }
      for (const dup of row.duplicateKeys ?? []) {
        const field = dup.winner.toLowerCase();
        hits.push({
          messageId: 'duplicateKey',
          subject,
          location: dup.location,
          affectsPrincipal: mapped,
          data: {
            ...common,
            field,
            key: dup.key,
            line: dup.location.line,
            winner: dup.winner,
            winnerLine: dup.winnerLocation.line,
          },
          fix: fix(`${field} is given twice`),
        });
      }
      for (const group of row.groups) {
        if (!/\s-\s/.test(group)) continue;
        const parts = group.split(/\s+-\s+/);
        hits.push({
          messageId: 'foldedList',
          subject,
          location: row.fieldLocations.groups ?? row.location,
          affectsPrincipal: mapped,
          data: {
            ...common,
            group,
            parts: parts.join(', '),
          },
          fix: fix(`indent the groups items alike (${parts.join(', ')})`),
        });
      }
    }
    return hits;
  },
});

/**
 * The row written again: kubectl patches the block with the row corrected (every shape problem of
 * the row at once) when that can be computed exactly, else it is a hand edit; eksctl and Terraform
 * type every field themselves.
 */
function rowFix(
  evidence: Evidence,
  row: MappingRow,
  diagnostics: readonly BlockDiagnostic[],
  where: string,
  problem: string,
): FixStep {
  // A userid of the wrong type (EKS ignores userid) is no finding, but it stays after any edit, so
  // such a row never passes the patch's check: the hand edit.
  const typeErrors = new Set(diagnostics.map(fieldOf));
  const corrected = correctedRow(row, typeErrors);
  // rowsPlan runs the edit, which settles the corrected values before anything reads them.
  const plan = corrected
    ? rowsPlan(evidence, { [row.block]: { rows: [{ index: row.index, ...corrected }] } })
    : undefined;
  const kubectl = exactPatchLines(
    evidence,
    plan,
    corrected?.notes.map((n) => `${where}: ${n}`),
  );
  const shape = kubectl ? corrected?.shape : undefined;
  const groups = shape?.groups ?? row.groups.flatMap((g) => g.split(/\s+-\s+/)).filter((g) => g !== '');
  const arn = shape?.arn ?? row.arn;
  const username = shape?.username ?? row.username;
  const step = awsAuthStep(
    evidence,
    `Correct ${where}`,
    arn !== '' ? [{ from: arn, to: { block: row.block, arn, username, groups } }] : [],
    [`fix ${where}: ${problem}`],
  );
  return kubectl ? { ...step, kubectl } : step;
}

/**
 * The field a type error names, as spelled in the authenticator's struct tags
 * (`json: cannot unmarshal string into Go struct field RoleMapping.groups of type []string` → groups).
 */
const fieldOf = (d: BlockDiagnostic): string => /Go struct field \w+\.(\w+) of type/.exec(d.message)?.[1] ?? d.message;

/** Whether a node holds the value its field decodes to now (every scalar is a string here). */
const holds = (node: unknown, value: string | string[]): boolean =>
  typeof value === 'string'
    ? isScalar(node) && node.value === value
    : isSeq(node) &&
      node.items.length === value.length &&
      node.items.every((n, i) => isScalar(n) && n.value === value[i]);

/**
 * The row with every shape problem corrected, as an edit of its YAML and the row it must decode to
 * (settled when the edit runs); undefined when a problem has no single correct reading (a hand edit).
 */
function correctedRow(
  row: MappingRow,
  typeErrors: ReadonlySet<string>,
): { mutate: (doc: Document, map: YAMLMap) => boolean; shape: RowShape; notes: string[] } | undefined {
  const arnKey = arnKeyOf(row.block);
  const notes: string[] = [];
  let renameFrom: string | undefined;
  const folded = row.groups.some((g) => /\s-\s/.test(g));
  const shape: RowShape = {
    arn: row.arn,
    username: row.username,
    groups: folded ? row.groups.flatMap((g) => g.split(/\s+-\s+/)).filter((g) => g !== '') : row.groups,
    dropped: false,
    clean: true,
  };
  if (row.droppedBecause) {
    // Only an ARN under a key EKS does not read is recoverable (`role_arn:`, `arn:`).
    if (row.sso || !/^(one of rolearn|value for userarn)/.test(row.droppedBecause)) return undefined;
    const candidates = (row.unknownKeys ?? []).filter((k) => k.value?.trim().startsWith('arn:'));
    if (candidates.length !== 1 || !candidates[0]?.value) return undefined;
    renameFrom = candidates[0].key;
    shape.arn = candidates[0].value;
    notes.push(`the key ${renameFrom} becomes ${arnKey}, the key EKS reads`);
  }
  const repeated = new Set((row.duplicateKeys ?? []).map((d) => d.winner.toLowerCase()));
  for (const dup of row.duplicateKeys ?? [])
    notes.push(
      `keeps ${dup.winner} (line ${dup.winnerLocation.line}), the value EKS uses today, and drops ${dup.key} (line ${dup.location.line}): check it is the one you mean`,
    );
  if (folded) notes.push('the groups items folded into one become one item each');
  const decoded: Record<string, string | string[]> = { arn: row.arn, username: row.username, groups: row.groups };
  const mutate = (doc: Document, map: YAMLMap): boolean => {
    // A repeated key: keep the occurrence holding the value EKS decodes today.
    for (const field of repeated) {
      const pairs = fieldPairs(map, field);
      const value = decoded[field === 'rolearn' || field === 'userarn' ? 'arn' : field];
      const keep = value === undefined ? undefined : pairs.find((p) => holds(p.value, value));
      if (!keep) return false;
      for (const pair of pairs) if (pair !== keep) map.items.splice(map.items.indexOf(pair), 1);
    }
    if (renameFrom !== undefined) {
      const [pair, ...more] = fieldPairs(map, renameFrom);
      if (!pair || more.length > 0 || fieldPairs(map, arnKey).length > 0) return false;
      renameKey(doc, pair, arnKey);
    }
    if (!retyped(doc, map, typeErrors, shape, notes)) return false;
    if (folded) setField(doc, map, 'groups', shape.groups);
    return true;
  };
  return { mutate, shape, notes };
}

/**
 * Fields EKS reads with the wrong type, written as the strings they were typed as: a plain scalar
 * quoted (`0123` read as a number becomes "0123"), a lone group as a one-item list.
 */
function retyped(doc: Document, map: YAMLMap, fields: ReadonlySet<string>, shape: RowShape, notes: string[]): boolean {
  for (const field of fields) {
    const [pair, ...more] = fieldPairs(map, field);
    if (!pair || more.length > 0) return false;
    const node = pair.value;
    if (field === 'groups') {
      if (isScalar(node) && typeof node.value === 'string') {
        const text = node.value.trim();
        if (/[\s,]/.test(text) || text === '') return false;
        shape.groups = [text];
        notes.push(`groups: ${node.value} becomes the list [${text}]`);
        setField(doc, map, 'groups', shape.groups);
        continue;
      }
      if (!isSeq(node) || !node.items.every((n) => isScalar(n) && typeof n.value === 'string')) return false;
      shape.groups = node.items.map((n) => String((n as Scalar).value));
      for (const item of node.items as Scalar[]) if (item.type === 'PLAIN') item.type = 'QUOTE_DOUBLE';
      notes.push('every groups item is quoted, so that each reads as a string');
      continue;
    }
    // Only a username is quoted as written: an ARN is never a number or bool, and a row whose ARN
    // failed to decode is dropped (or, beside an sso, dropped once the ARN is written).
    if (field !== 'username') return false;
    if (!isScalar(node) || typeof node.value !== 'string' || node.type !== 'PLAIN') return false;
    node.type = 'QUOTE_DOUBLE';
    notes.push(`${field}: ${node.value} is quoted, so that it reads as a string`);
    shape.username = node.value;
  }
  return true;
}

/** aws-auth/wrong-section reports rows dropped because the ARN sits under the other block's key. */
function explainedByWrongSection(row: MappingRow): boolean {
  if (row.arn !== '' || row.sso) return false;
  const other = row.block === 'mapRoles' ? 'userarn' : 'rolearn';
  return (row.unknownKeys ?? []).some((k) => k.key.toLowerCase() === other);
}

function remedyFor(reason: string): string {
  if (reason.startsWith('one of rolearn')) return 'Give the row a rolearn (the role ARN without path), or remove it';
  if (reason.startsWith('only one of')) return 'Keep either rolearn or sso in the row, not both';
  if (reason.startsWith('value for userarn')) return 'Give the row a userarn (the IAM user ARN), or remove it';
  if (reason.startsWith('AccountID')) return 'Write sso.accountID as the 12-digit account id, quoted';
  if (reason.startsWith('PermissionSetName'))
    return 'Write sso.permissionSetName as the permission set name (up to 32 characters of letters, digits and +=,.@-)';
  // The last reason validation gives: upstream's "Partition '…' is not a valid AWS partition".
  return 'Write sso.partition as a valid partition (aws, aws-cn, aws-us-gov…) or leave it out';
}

function effectOf(field: string): string {
  switch (field) {
    case 'groups':
      return 'no groups at all, so it authenticates but RBAC allows it nothing (403 Forbidden)';
    case 'username':
      return 'an empty username (what the API server does with an empty username is unconfirmed)';
    case 'rolearn':
    case 'userarn':
      return 'no ARN';
    default:
      return `an empty ${field}`;
  }
}

function expectedOf(field: string): string {
  switch (field) {
    case 'groups':
      return 'a list of strings (`groups:` followed by `- NAME` lines)';
    case 'sso':
      return 'a mapping of permissionSetName, accountID and (optionally) partition';
    default:
      return 'a quoted string';
  }
}
