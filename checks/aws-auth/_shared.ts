import { parseArn, sameArn } from '../../src/model/arn.js';
import type { AwsAuth, MappingRow, SourceLocation } from '../../src/model/aws-auth/types.js';
import type { Simulation } from '../../src/model/simulate.js';

/**
 * Helpers shared by the aws-auth/* checks (not a check itself). Everything here is pure and
 * linear in the number of rows.
 */

/** A mapRoles/mapUsers row as the author wrote it, whether EKS kept it or lost it with its block. */
export interface RowView {
  block: 'mapRoles' | 'mapUsers';
  index: number;
  arn: string;
  username: string;
  groups: string[];
  location: SourceLocation;
  arnLocation: SourceLocation;
  usernameLocation: SourceLocation;
  groupsLocation: SourceLocation;
  /** Its block did not decode: EKS has none of it (aws-auth/yaml-invalid explains that). */
  lost: boolean;
  /** The decoded row, when its block decoded. */
  row?: MappingRow;
}

/** Every role and user row, decoded ones with their field positions, then the lost ones. */
export function rowViews(configMap: AwsAuth): RowView[] {
  const decoded = [...configMap.roleRows, ...configMap.userRows].map((row): RowView => ({
    block: row.block,
    index: row.index,
    arn: row.arn,
    username: row.username,
    groups: row.groups,
    location: row.location,
    arnLocation: row.fieldLocations.arn ?? row.location,
    usernameLocation: row.fieldLocations.username ?? row.location,
    groupsLocation: row.fieldLocations.groups ?? row.location,
    lost: false,
    row,
  }));
  const lost = configMap.lostRows.flatMap((row): RowView[] =>
    row.block === 'mapAccounts'
      ? []
      : [
          {
            block: row.block,
            index: row.index,
            arn: row.arn,
            username: row.username,
            groups: row.groups,
            location: row.location,
            arnLocation: row.location,
            usernameLocation: row.location,
            groupsLocation: row.location,
            lost: true,
          },
        ],
  );
  return [...decoded, ...lost];
}

/** `mapRoles[2] (line 23)`: how every message names a row. */
export const rowRef = (block: string, index: number, location: SourceLocation): string =>
  `${block}[${index}] (line ${location.line})`;

/** The ARN key of a block, as EKS spells it. */
export const arnKeyOf = (block: 'mapRoles' | 'mapUsers'): 'rolearn' | 'userarn' =>
  block === 'mapRoles' ? 'rolearn' : 'userarn';

const NODE_GROUPS = ['system:nodes', 'system:bootstrappers'] as const;

/** A row that maps its role as a node: a `system:node:` username or the node groups. */
export const isNodeRow = (row: { username: string; groups: readonly string[] }): boolean =>
  row.username.startsWith('system:node:') || row.groups.some((g) => (NODE_GROUPS as readonly string[]).includes(g));

/** The simulation refuses the principal (401). */
export const refused = (simulation: Simulation | undefined): simulation is Simulation =>
  simulation !== undefined && !simulation.decision.authenticated;

/**
 * A row meant for the principal did not take effect: it is refused, or authenticated only through
 * mapAccounts (username = ARN, no groups), which is a mis-mapping. In mode API aws-auth is ignored
 * altogether, so no aws-auth problem is part of the reason (mode/api-ignores-aws-auth is).
 */
export const missedByRows = (simulation: Simulation | undefined): simulation is Simulation =>
  simulation !== undefined &&
  simulation.mode !== 'API' &&
  (!simulation.decision.authenticated || simulation.via?.kind === 'aws-auth-account');

/** The name part of an ARN's resource (`role/team/Admin` → `Admin`), trimmed of trailing slashes. */
export function resourceName(arn: string): string {
  const parsed = parseArn(arn.trim());
  const resource = parsed.ok ? parsed.value.resource : arn.trim();
  const parts = resource.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}

/**
 * The written ARN was meant for the principal: same role or user name (any case), whatever else
 * is wrong with it. Used for rows that can never match, to say they are why the principal is refused.
 */
export function namesPrincipal(arn: string, simulation: Simulation | undefined): boolean {
  if (!simulation) return false;
  const { principal } = simulation;
  if (principal.kind !== 'role' && principal.kind !== 'user') return false;
  return resourceName(arn).toLowerCase() === principal.name.toLowerCase() && principal.name !== '';
}

/** The simulation names this check for a near miss at this place. */
export function nearMissAt(
  simulation: Simulation | undefined,
  checkId: string,
  location: SourceLocation | undefined,
): boolean {
  if (!simulation || !location) return false;
  return simulation.nearMisses.some(
    (n) => n.checkId === checkId && n.location?.line === location.line && n.location.column === location.column,
  );
}

/** The simulation authenticated the principal through exactly this row. */
export function viaRow(simulation: Simulation | undefined, block: string, index: number): boolean {
  const via = simulation?.via;
  return via?.kind === 'aws-auth-row' && via.row.block === block && via.row.index === index;
}

/** The principal's canonical ARN equals this one (case-insensitively, as EKS compares). */
export const isPrincipalArn = (simulation: Simulation | undefined, arn: string): boolean =>
  simulation !== undefined && sameArn(simulation.principal.canonicalArn, arn);

/** `[a, b]` for messages. */
export const listText = (values: readonly string[]): string => `[${values.join(', ')}]`;
