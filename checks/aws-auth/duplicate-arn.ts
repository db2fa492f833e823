import { equalFold, foldCase } from '../../src/model/aws-auth/equal-fold.js';
import type { AwsAuth, MappingRow } from '../../src/model/aws-auth/types.js';
import type { Simulation } from '../../src/model/simulate.js';
import { defineCheck, type FixSpec, type FixStep, type Hit } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { option, script, type Script } from '../../src/core/command.js';
import { eksctl, fixTarget } from '../../src/core/fix-target.js';
import { awsAuthStep } from '../_fix.js';
import { exactPatchLines, rowsPlan, type BlockEdit } from './_exact-edit.js';
import { listText, rowRef } from './_shared.js';

type Message = 'overridden' | 'userCaseVariants' | 'roleFoldVariants' | 'inBothBlocks' | 'principalMisMapped';

const FIX: FixSpec = {
  risks: [
    'One role can carry only one username template: if two teams need different identities, give them different roles, or use {{SessionName}} in the username and bind RBAC per session name.',
    "The fix deletes every other row for {arn}: whoever used {arn} gets the kept row's username and groups (the fix says which row it kept and why). To combine them instead, merge the groups into the kept row by hand, knowing that widens what it grants.",
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
      roleFoldVariants: {
        text: '{rows} map role ARNs that differ only in letters Unicode case folding makes equal ({arns}): mapRoles is keyed by the lower-cased ARN, which keeps them apart, but a principal is matched with strings.EqualFold, which matches both, so EKS uses whichever its unordered map yields first and the username and groups can change from one request to the next.',
        remediation: 'Keep a single row for {arn}, spelled exactly as IAM spells it.',
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
    const patches = fixes(evidence, simulation, configMap);

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
        fix: [patches.keepOne(row.arn, winner)],
      });
    }

    // mapRoles keys by strings.ToLower, lookups use strings.EqualFold: `ſ` and `s` (or `K` and `k`)
    // are two keys yet one principal, so Go's map order picks the row (the Go referee showed it).
    const roleSpellings = new Map<string, MappingRow[]>();
    for (const row of lastRole.values()) {
      const folded = foldCase(row.arn);
      roleSpellings.set(folded, [...(roleSpellings.get(folded) ?? []), row]);
    }
    // Rows EKS keeps apart (distinct keys) that one principal matches: Go's map order picks one.
    const spellingVariants = (
      groups: Iterable<MappingRow[]>,
      block: 'mapRoles' | 'mapUsers',
      messageId: 'roleFoldVariants' | 'userCaseVariants',
    ): void => {
      for (const rows of groups) {
        const first = rows[0];
        const last = rows[rows.length - 1];
        if (rows.length < 2 || !first || !last) continue;
        hits.push({
          ...(rows.some((r) => r !== last && misMaps(simulation, r, last))
            ? { messageId: 'principalMisMapped' as const, affectsPrincipal: true }
            : { messageId, affectsPrincipal: false }),
          subject: { kind: 'aws-auth', name: `${block}[${first.index}]` },
          location: first.fieldLocations.arn ?? first.location,
          data: {
            ...pairData(first, last),
            ...principalData(
              simulation,
              `${block} keeps every spelling and EKS picks one of them at random on each request, so either row may apply`,
            ),
            rows: rows.map((r) => rowRef(r.block, r.index, r.location)).join(', '),
            arns: rows.map((r) => r.arn).join(', '),
          },
          fix: [patches.keepOne(last.arn, last)],
        });
      }
    };
    spellingVariants(roleSpellings.values(), 'mapRoles', 'roleFoldVariants');
    spellingVariants(
      [...userSpellings.values()].map((spellings) => [...spellings.values()]),
      'mapUsers',
      'userCaseVariants',
    );

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
        fix: [patches.keepOne(roleRow.arn, roleRow)],
      });
    }
    return hits;
  },
});

/**
 * Each exact patch re-reads the whole ConfigMap, so a file with thousands of duplicate ARNs gets
 * exact patches until EXACT_ROW_BUDGET rows have been re-read (always for the principal's own ARN),
 * and the hand edit for the rest. One step per ARN and kept row, however many findings name it.
 */
const EXACT_ROW_BUDGET = 20_000;

interface Fixes {
  keepOne(arn: string, winner: MappingRow): FixStep;
}

function fixes(evidence: Evidence, simulation: Simulation | undefined, configMap: AwsAuth): Fixes {
  // Every row EKS keeps, by the ARN's principal: mapRoles case-insensitively, mapUsers by EqualFold.
  const byArn = new Map<string, MappingRow[]>();
  for (const r of [...configMap.roleRows, ...configMap.userRows]) {
    if (r.droppedBecause) continue;
    const key = foldCase(r.arn);
    const list = byArn.get(key);
    if (list) list.push(r);
    else byArn.set(key, [r]);
  }
  // EKS looks an ARN up among roles before users: a user ARN that a mapRoles row maps gets that row.
  const roleWinner = new Map<string, MappingRow>();
  for (const r of configMap.roleRows) if (!r.droppedBecause && r.arn !== '') roleWinner.set(r.arn.toLowerCase(), r);
  const size = configMap.roleRows.length + configMap.userRows.length;
  const steps = new Map<string, FixStep>();
  let reread = 0;
  const lines = (dropped: readonly MappingRow[], why: string, forPrincipal: boolean): Script | undefined => {
    if (!forPrincipal && reread + size > EXACT_ROW_BUDGET) return undefined;
    reread += size;
    const indexes: Partial<Record<'mapRoles' | 'mapUsers', { index: number }[]>> = {};
    for (const r of dropped) (indexes[r.block] ??= []).push({ index: r.index });
    const deletions: Partial<Record<'mapRoles' | 'mapUsers', BlockEdit>> = Object.fromEntries(
      Object.entries(indexes).map(([block, rows]) => [block, { rows }]),
    );
    return exactPatchLines(evidence, rowsPlan(evidence, deletions), [why]);
  };
  return {
    keepOne(arn, rowWinner) {
      const winner = rowWinner.block === 'mapUsers' ? (roleWinner.get(arn.toLowerCase()) ?? rowWinner) : rowWinner;
      const key = `${foldCase(arn)}\n${winner.block}[${winner.index}]`;
      const known = steps.get(key);
      if (known) return known;
      const step = keepOne(evidence, simulation, byArn.get(foldCase(arn)) ?? [winner], winner, lines);
      steps.set(key, step);
      return step;
    },
  };
}

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
  // As the authenticator compares: strings.EqualFold.
  return equalFold(loser.arn, simulation.principal.canonicalArn) && !sameMapping(loser, winner);
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

/**
 * One row left for the ARN. Which one: when the duplicate mis-maps the principal under diagnosis,
 * the row EKS does not use for it today (keeping the one it uses would change nothing for it),
 * preferring the row spelled exactly as its ARN; otherwise the row EKS uses today, so nobody's
 * access changes. The fix says which it kept and what to double-check.
 */
function keepOne(
  evidence: Evidence,
  simulation: Simulation | undefined,
  rows: readonly MappingRow[],
  winner: MappingRow,
  exactLines: (dropped: readonly MappingRow[], why: string, forPrincipal: boolean) => Script | undefined,
): FixStep {
  const losers = rows.filter((r) => r !== winner);
  const principal = simulation?.principal.canonicalArn;
  const misMapped = losers.filter((r) => misMaps(simulation, r, winner));
  const kept = misMapped.find((r) => r.arn === principal) ?? misMapped[misMapped.length - 1] ?? winner;
  const dropped = rows.filter((r) => r !== kept);
  const ref = (r: MappingRow): string => rowRef(r.block, r.index, r.location);
  const describe = (r: MappingRow): string =>
    `${ref(r)} (username ${JSON.stringify(r.username)}, groups ${listText(r.groups)})`;
  const why =
    kept === winner
      ? `keeps ${describe(kept)}, the row EKS uses today, so nobody's access changes; check that every principal using ${kept.arn} should have that username and groups`
      : `keeps ${describe(kept)}, the mapping ${principal ?? 'the principal'} does not get today, and deletes ${describe(winner)}, which EKS uses now: if that one is what ${kept.arn} should have, keep it instead (then ${principal ?? 'the principal'} stays as it is)`;
  const step = awsAuthStep(
    evidence,
    `Keep a single row for ${kept.arn}: ${ref(kept)}`,
    [{ from: kept.arn, to: { block: kept.block, arn: kept.arn, username: kept.username, groups: kept.groups } }],
    [`keep one row for ${kept.arn}: ${why.replace(/^keeps /, 'keep ')}`],
  );
  const kubectl = exactLines(dropped, why, misMapped.length > 0);
  // eksctl deletes by exact ARN: every other spelling goes first, then the kept row is re-created.
  const otherSpellings = [...new Set(dropped.map((r) => r.arn))].filter((a) => a !== kept.arn);
  const t = fixTarget(evidence);
  const eksctlLines = [
    ...otherSpellings.flatMap((arn) =>
      script(eksctl(t, 'delete', 'iamidentitymapping', [...option('--arn', arn), '--all'])),
    ),
    ...(step.eksctl ?? []),
  ];
  return { ...step, eksctl: eksctlLines, ...(kubectl ? { kubectl } : {}) };
}
