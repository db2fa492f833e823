import { foldCase } from '../../src/model/aws-auth/equal-fold.js';
import type { MappingRow } from '../../src/model/aws-auth/types.js';
import type { Simulation } from '../../src/model/simulate.js';
import { defineCheck, type FixSpec, type FixStep, type Hit } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { awsAuthStep } from '../_fix.js';
import { listText, rowRef } from './_shared.js';

type Message = 'overridden' | 'userCaseVariants' | 'inBothBlocks' | 'principalMisMapped';

const FIX: FixSpec = {
  risks: [
    'One role can carry only one username template: if two teams need different identities, give them different roles, or use {{SessionName}} in the username and bind RBAC per session name.',
    'Merging the groups widens what the remaining row grants: check that every principal using {arn} should have all of them.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/duplicate-arn',
    title: 'The same ARN has more than one aws-auth row, and only one of them counts',
    severity: 'warning',
    stage: 'authentication',
    ref: 'C21',
    needs: ['awsAuth'],
    messages: {
      overridden: {
        text: '{loser} and {winner} both map {arn} ({compare}): EKS keeps only the later row, so {loser} (username {loserUsername}, groups {loserGroups}) is never used and {arn} gets username {winnerUsername} and groups {winnerGroups}.',
        remediation: 'Keep a single row for {arn}, with the username and groups it should have.',
        fix: FIX,
      },
      userCaseVariants: {
        text: '{rows} map the same user spelled differently ({arns}): mapUsers is keyed by the exact ARN, so EKS keeps all of them and uses whichever it finds first in an unordered map, so the username and groups can change from one request to the next.',
        remediation: 'Keep a single row for {arn}, spelled exactly as IAM spells it.',
        fix: FIX,
      },
      principalMisMapped: {
        text: '{principal} is mapped by {winner} (username {winnerUsername}, groups {winnerGroups}), not by {loser} (username {loserUsername}, groups {loserGroups}): {why}.',
        remediation: 'Keep a single row for {arn}, with the username and groups {principal} should have.',
        severity: 'error',
        fix: FIX,
      },
      inBothBlocks: {
        text: '{arn} is in both {winner} and {loser}: EKS tries mapRoles first, so {loser} (username {loserUsername}, groups {loserGroups}) is never used.',
        remediation: 'Keep only the row in the section that matches the ARN ({winner}).',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const { configMap } = evidence.awsAuth;
    const hits: Hit<Message>[] = [];

    // mapRoles: keyed by the lower-cased rolearn; mapUsers: keyed by the exact userarn. One pass each.
    const lastRole = new Map<string, MappingRow>();
    for (const row of configMap.roleRows)
      if (!row.droppedBecause && row.arn !== '') lastRole.set(row.arn.toLowerCase(), row);
    const lastUser = new Map<string, MappingRow>();
    const userSpellings = new Map<string, Map<string, MappingRow>>();
    for (const row of configMap.userRows) {
      if (row.droppedBecause) continue;
      lastUser.set(row.arn, row);
      // Rows whose ARNs are equal under strings.EqualFold all match the same principal.
      const lower = foldCase(row.arn);
      let spellings = userSpellings.get(lower);
      if (!spellings) userSpellings.set(lower, (spellings = new Map()));
      spellings.set(row.arn, row);
    }

    for (const row of [...configMap.roleRows, ...configMap.userRows]) {
      if (row.overriddenBy === undefined) continue;
      const winner = row.block === 'mapRoles' ? lastRole.get(row.arn.toLowerCase()) : lastUser.get(row.arn);
      if (!winner) continue;
      hits.push({
        ...forPrincipal(simulation, row, winner, 'overridden'),
        subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
        location: row.fieldLocations.arn ?? row.location,
        data: {
          ...pairData(row, winner),
          ...principalData(
            simulation,
            row.block === 'mapRoles'
              ? 'only the later row counts (rolearn compares case-insensitively)'
              : 'only the later row counts',
          ),
          compare: row.block === 'mapRoles' ? 'rolearn compares case-insensitively' : 'the same exact userarn',
        },
        fix: [keepOne(evidence, row, winner)],
      });
    }

    for (const spellings of userSpellings.values()) {
      if (spellings.size < 2) continue;
      const rows = [...spellings.values()];
      const first = rows[0];
      const last = rows[rows.length - 1];
      if (!first || !last) continue;
      hits.push({
        ...(rows.some((r) => r !== last && misMaps(simulation, r, last))
          ? { messageId: 'principalMisMapped' as const, affectsPrincipal: true }
          : { messageId: 'userCaseVariants' as const, affectsPrincipal: false }),
        subject: { kind: 'aws-auth', name: `mapUsers[${first.index}]` },
        location: first.fieldLocations.arn ?? first.location,
        data: {
          ...pairData(first, last),
          ...principalData(
            simulation,
            'mapUsers keeps every spelling and EKS picks one of them at random on each request, so either row may apply',
          ),
          rows: rows.map((r) => rowRef(r.block, r.index, r.location)).join(', '),
          arns: rows.map((r) => r.arn).join(', '),
        },
        fix: [keepOne(evidence, first, last)],
      });
    }

    for (const [exact, userRow] of lastUser) {
      const roleRow = lastRole.get(exact.toLowerCase());
      if (!roleRow || userRow.overriddenBy !== undefined) continue;
      hits.push({
        ...forPrincipal(simulation, userRow, roleRow, 'inBothBlocks'),
        subject: { kind: 'aws-auth', name: `mapUsers[${userRow.index}]` },
        location: userRow.fieldLocations.arn ?? userRow.location,
        data: {
          ...pairData(userRow, roleRow),
          ...principalData(simulation, 'EKS tries mapRoles before mapUsers'),
        },
        fix: [keepOne(evidence, userRow, roleRow)],
      });
    }
    return hits;
  },
});

/** The error variant when the duplicate decides how the principal under diagnosis is mapped. */
function forPrincipal(
  simulation: Simulation | undefined,
  loser: MappingRow,
  winner: MappingRow,
  otherwise: Message,
): { messageId: Message; affectsPrincipal: boolean } {
  return misMaps(simulation, loser, winner)
    ? { messageId: 'principalMisMapped', affectsPrincipal: true }
    : { messageId: otherwise, affectsPrincipal: false };
}

const principalData = (simulation: Simulation | undefined, why: string): Record<string, string> => ({
  principal: simulation?.principal.canonicalArn ?? '',
  why,
});

const sameMapping = (a: MappingRow, b: MappingRow): boolean =>
  a.username === b.username && a.groups.length === b.groups.length && a.groups.every((g, i) => g === b.groups[i]);

/** The principal is the ARN in question and the row that loses would have mapped it differently. */
function misMaps(simulation: Simulation | undefined, loser: MappingRow, winner: MappingRow): boolean {
  // Only when EKS maps the principal through these rows (not an access entry, not API mode).
  if (simulation?.via?.kind !== 'aws-auth-row') return false;
  const target = simulation.principal.canonicalArn.toLowerCase();
  return loser.arn.toLowerCase() === target && !sameMapping(loser, winner);
}

function pairData(loser: MappingRow, winner: MappingRow): Record<string, string> {
  return {
    arn: winner.arn,
    loser: rowRef(loser.block, loser.index, loser.location),
    winner: rowRef(winner.block, winner.index, winner.location),
    loserUsername: JSON.stringify(loser.username),
    loserGroups: listText(loser.groups),
    winnerUsername: JSON.stringify(winner.username),
    winnerGroups: listText(winner.groups),
  };
}

/** One row left for the ARN: the one EKS uses now, which the user may then change. */
function keepOne(evidence: Evidence, loser: MappingRow, winner: MappingRow): FixStep {
  return awsAuthStep(
    evidence,
    `Keep a single row for ${winner.arn}`,
    [
      {
        from: winner.arn,
        to: { block: winner.block, arn: winner.arn, username: winner.username, groups: winner.groups },
      },
    ],
    [
      `keep one row for ${winner.arn}: delete ${rowRef(loser.block, loser.index, loser.location)} and merge what it should keep into ${rowRef(winner.block, winner.index, winner.location)}`,
    ],
  );
}
