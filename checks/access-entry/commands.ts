import type { Evidence } from '../../src/model/evidence.js';
import { script, type HclScript, type Script } from '../../src/core/command.js';
import { fixTarget } from '../../src/core/fix-target.js';
import {
  associateCommand as associateWith,
  awsEntryCommands,
  eksctlEntryCommand,
  terraformEntries,
  type EntryPlan,
} from '../_fix.js';

/** Access-entry commands for one cluster, as fix-template values (whole lines). */
export { planFromRow, policyArn, partitionOf, sessionNameHasColon, type EntryPlan } from '../_fix.js';
export { FARGATE_GROUPS, NODE_GROUPS } from '../_fix.js';

export const awsCommands = (evidence: Evidence, plan: EntryPlan): Script =>
  script(...awsEntryCommands(fixTarget(evidence), plan));

export const eksctlCommand = (evidence: Evidence, plans: readonly EntryPlan[]): Script =>
  script(eksctlEntryCommand(fixTarget(evidence), plans));

export const terraformBlock = (plans: readonly EntryPlan[]): HclScript => terraformEntries(plans);

/** `aws eks associate-access-policy …` at cluster scope or in the given namespaces. */
export const associateCommand = (
  evidence: Evidence,
  principalArn: string,
  policy: string,
  namespaces?: string[],
): Script => script(associateWith(fixTarget(evidence), principalArn, policy, namespaces));
