import { parseArn } from '../../src/model/arn.js';
import { defineCheck, type FixSpec, type FixStep, type Hit } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import type { Document, YAMLMap } from 'yaml';
import { comment, option, script, type Script } from '../../src/core/command.js';
import { eksctl, eksctlGroupArgs, fixTarget } from '../../src/core/fix-target.js';
import { awsAuthStep } from '../_fix.js';
import { cleanShape, exactPatchLines, fieldPairs, renameKey, rowsPlan, type PatchPlan } from './_exact-edit.js';
import { isPrincipalArn, namesPrincipal, missedByRows, rowRef, rowViews, type RowView } from './_shared.js';

type Message = 'userInMapRoles' | 'roleInMapUsers' | 'userarnInMapRoles' | 'rolearnInMapUsers';

const FIX: FixSpec = {
  risks: [
    '`kubectl replace` fails if someone changed aws-auth since you read it: read it again and retry rather than forcing it.',
    'Moving a row by hand risks a YAML mistake that drops the whole block: run `eksauth lint` on the edited file before replacing it.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/wrong-section',
    title: "A user is mapped under mapRoles, a role under mapUsers, or a row uses the other section's ARN key",
    severity: 'error',
    stage: 'authentication',
    ref: 'C18',
    needs: ['awsAuth'],
    messages: {
      userInMapRoles: {
        text: '{where} rolearn {arn} is an IAM user under mapRoles: the current authenticator looks ARNs up in both maps, so it matches today, but eksctl, Terraform modules and older authenticators treat mapRoles as roles only.',
        remediation: 'Move the row to mapUsers as userarn {arn}.',
        severity: 'warning',
        fix: FIX,
      },
      roleInMapUsers: {
        text: '{where} userarn {arn} is an IAM role under mapUsers: the current authenticator looks ARNs up in both maps, so it matches today, but eksctl, Terraform modules and older authenticators treat mapUsers as users only.',
        remediation: 'Move the row to mapRoles as rolearn {arn}.',
        severity: 'warning',
        fix: FIX,
      },
      userarnInMapRoles: {
        text: '{where} has userarn {arn} instead of rolearn: mapRoles rows are read by rolearn only, so EKS drops the row ("one of rolearn or SSO must be supplied") and {arn} is not mapped by it.',
        remediation: '{remedy}.',
        fix: FIX,
      },
      rolearnInMapUsers: {
        text: '{where} has rolearn {arn} instead of userarn: mapUsers rows are read by userarn only, so EKS drops the row ("value for userarn must be supplied") and {arn} is not mapped by it.',
        remediation: '{remedy}.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const hits: Hit<Message>[] = [];
    for (const row of rowViews(evidence.awsAuth.configMap)) {
      const where = rowRef(row.block, row.index, row.location);
      const subject = { kind: 'aws-auth' as const, name: `${row.block}[${row.index}]` };
      const misplacedKey =
        row.row?.droppedBecause && row.arn === '' && !row.row.sso
          ? (row.row.unknownKeys ?? []).find(
              (k) => k.key.toLowerCase() === (row.block === 'mapRoles' ? 'userarn' : 'rolearn'),
            )
          : undefined;
      if (misplacedKey) {
        const arn = misplacedKey.value ?? '';
        const kind = kindOf(arn);
        hits.push({
          messageId: row.block === 'mapRoles' ? 'userarnInMapRoles' : 'rolearnInMapUsers',
          subject,
          location: misplacedKey.location,
          affectsPrincipal:
            missedByRows(simulation) &&
            arn !== '' &&
            (isPrincipalArn(simulation, arn) || namesPrincipal(arn, simulation)),
          data: {
            arn: arn || 'ARN',
            where,
            remedy: remedyFor(row.block, kind, where),
          },
          fix: [moveFix(evidence, row, arn || 'ARN', kind, remedyFor(row.block, kind, where), misplacedKey.key)],
        });
        continue;
      }
      const kind = kindOf(row.arn.trim());
      const misplaced =
        row.block === 'mapRoles' && kind === 'user'
          ? ({ messageId: 'userInMapRoles', to: 'mapUsers', key: 'userarn' } as const)
          : row.block === 'mapUsers' && kind === 'role'
            ? ({ messageId: 'roleInMapUsers', to: 'mapRoles', key: 'rolearn' } as const)
            : undefined;
      if (misplaced) {
        hits.push({
          messageId: misplaced.messageId,
          subject,
          location: row.arnLocation,
          affectsPrincipal: false,
          data: {
            arn: row.arn,
            where,
          },
          fix: [
            moveFix(evidence, row, row.arn, kind, `move ${where} to ${misplaced.to}, with the key ${misplaced.key}`),
          ],
        });
      }
    }
    return hits;
  },
});

function kindOf(arn: string): 'role' | 'user' | 'other' {
  const parsed = parseArn(arn);
  if (!parsed.ok || parsed.value.service !== 'iam') return 'other';
  if (parsed.value.resource.startsWith('role/')) return 'role';
  if (parsed.value.resource.startsWith('user/')) return 'user';
  return 'other';
}

function remedyFor(block: 'mapRoles' | 'mapUsers', kind: 'role' | 'user' | 'other', where: string): string {
  if (block === 'mapRoles')
    return kind === 'user'
      ? `Move ${where} to mapUsers, keeping the key userarn`
      : `Rename the key userarn to rolearn in ${where}`;
  return kind === 'role'
    ? `Move ${where} to mapRoles, keeping the key rolearn`
    : `Rename the key rolearn to userarn in ${where}`;
}

/**
 * The row under the key and block its ARN belongs in: the key renamed in place when the block is
 * right, else the row moved to the end of the other block; a hand edit when that cannot be exact.
 */
function moveFix(
  evidence: Evidence,
  row: RowView,
  arn: string,
  kind: 'role' | 'user' | 'other',
  move: string,
  misplacedKey?: string,
): FixStep {
  const to = kind === 'user' ? 'mapUsers' : kind === 'role' ? 'mapRoles' : row.block;
  const step = awsAuthStep(
    evidence,
    move.charAt(0).toUpperCase() + move.slice(1),
    [{ from: arn, to: { block: to, arn, username: row.username, groups: row.groups } }],
    [move],
  );
  const kubectl = row.lost ? undefined : exactPatchLines(evidence, movePlan(evidence, row, arn, to, misplacedKey));
  return { ...step, ...(kubectl ? { kubectl } : {}), eksctl: eksctlMove(evidence, row, misplacedKey) };
}

/**
 * eksctl's dialect, where eksctl can do it. eksctl reads mapRoles rows by `rolearn` only and
 * mapUsers rows by `userarn` only (eksctl-io/eksctl pkg/iam/mapping.go RoleIdentity/UserIdentity),
 * and `delete iamidentitymapping --arn` removes the first row whose ARN that reading gives, mapRoles
 * before mapUsers (pkg/authconfigmap RemoveIdentity, GetIdentities; `--all` would remove every row
 * with it). So it deletes this row (without `--all`) and creates it in the block its ARN belongs to
 * only when this row is that first one and has a username or groups (`create iamidentitymapping`
 * wants one); else the dialect says why eksctl cannot, and runs nothing.
 */
function eksctlMove(evidence: Evidence, row: RowView, misplacedKey: string | undefined): Script {
  const own = row.block === 'mapRoles' ? 'rolearn' : 'userarn';
  const why = row.lost
    ? `aws-auth's ${row.block} does not decode, and eksctl reads that block as a whole`
    : misplacedKey !== undefined
      ? `${row.block} rows are read by eksctl by their ${own} only, so eksctl cannot see this row's ${misplacedKey}: \`eksctl delete iamidentitymapping\` would not find it, and eksctl's rewrite of aws-auth would drop the ${misplacedKey} key and leave a row with no ARN`
      : !isFirstWithArn(evidence, row)
        ? `\`eksctl delete iamidentitymapping --arn\` removes the first row with ${row.arn} (mapRoles before mapUsers), and that is another row, not ${row.block}[${row.index}]`
        : row.username === '' && row.groups.length === 0
          ? '`eksctl create iamidentitymapping` wants a username or a group, and this row has neither'
          : undefined;
  if (why !== undefined) return [comment(`${why}; use the kubectl or Terraform form`)];
  const t = fixTarget(evidence);
  return script(
    eksctl(t, 'delete', 'iamidentitymapping', option('--arn', row.arn)),
    eksctl(t, 'create', 'iamidentitymapping', [
      ...option('--arn', row.arn.trim()),
      ...(row.username !== '' ? option('--username', row.username) : []),
      ...eksctlGroupArgs(row.groups),
    ]),
  );
}

/** Whether `eksctl delete iamidentitymapping --arn` removes this row: the first, mapRoles then mapUsers, with its ARN. */
function isFirstWithArn(evidence: Evidence, row: RowView): boolean {
  if (evidence.awsAuth?.state !== 'present') return false;
  const decoded = rowViews(evidence.awsAuth.configMap).filter((r) => !r.lost);
  const first = [
    ...decoded.filter((r) => r.block === 'mapRoles'),
    ...decoded.filter((r) => r.block === 'mapUsers'),
  ].find((r) => r.arn === row.arn);
  return first !== undefined && first.block === row.block && first.index === row.index;
}

function movePlan(
  evidence: Evidence,
  row: RowView,
  arn: string,
  to: 'mapRoles' | 'mapUsers',
  misplacedKey: string | undefined,
): PatchPlan | undefined {
  const arnKey = to === 'mapRoles' ? 'rolearn' : 'userarn';
  const shape = cleanShape({ arn, username: row.username, groups: row.groups });
  if (to === row.block) {
    if (misplacedKey === undefined) return undefined;
    const rename = (doc: Document, map: YAMLMap): boolean => {
      const pairs = fieldPairs(map, misplacedKey);
      if (pairs.length !== 1 || !pairs[0] || fieldPairs(map, arnKey).length > 0) return false;
      renameKey(doc, pairs[0], arnKey);
      return true;
    };
    return rowsPlan(evidence, { [to]: { rows: [{ index: row.index, mutate: rename, shape }] } });
  }
  const moved = { [arnKey]: arn, ...(row.username !== '' ? { username: row.username } : {}), groups: row.groups };
  return rowsPlan(evidence, {
    [row.block]: { rows: [{ index: row.index }] },
    [to]: { append: [{ row: moved, shape }] },
  });
}
