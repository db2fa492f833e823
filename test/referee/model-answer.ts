import { CHECKS } from '../../checks/index.js';
import { diagnose } from '../../src/core/diagnose.js';
import { effectiveRows, parseAwsAuth } from '../../src/model/aws-auth/parse.js';
import type { AwsAuth, BlockKey, MappingRow } from '../../src/model/aws-auth/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { principalFromArn } from '../../src/model/principal.js';
import { simulate } from '../../src/model/simulate.js';
import type {
  RefereeAnswer,
  RefereeCandidate,
  RefereePrincipal,
  RefereeRequest,
  RefereeRow,
} from './referee-client.js';

/**
 * What both sides decide, in one comparable shape: for each block the decoded rows (valid or
 * not), the rows the store keeps, the accounts, and for each principal the mapping it gets.
 */
export interface Decisions {
  mapRoles: RefereeRow[];
  mapUsers: RefereeRow[];
  mapAccounts: string[];
  storedRoles: number[];
  storedUsers: number[];
  lookups: RefereeCandidate[][];
}

/** The ConfigMap as `kubectl get -o json` prints it: JSON keeps every character of the values exact. */
export function configMapJson(data: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'aws-auth', namespace: 'kube-system' },
    data,
  });
}

/** The model's placeholder for the EC2 lookup it cannot make offline; the referee is told EC2 answers it. */
export const privateDnsPlaceholder = (sessionName: string): string => `<private DNS name of ${sessionName}>`;

export function parseModel(request: RefereeRequest): AwsAuth {
  const parsed = parseAwsAuth(configMapJson(request.data));
  if (!parsed.ok) throw new Error(`the model cannot read the ConfigMap: ${parsed.error}`);
  return parsed.value;
}

export function modelDecisions(request: RefereeRequest, awsAuth: AwsAuth = parseModel(request)): Decisions {
  const rowsOf = (key: 'mapRoles' | 'mapUsers'): MappingRow[] =>
    awsAuth.blocks[key].dropped ? [] : key === 'mapRoles' ? awsAuth.roleRows : awsAuth.userRows;
  return {
    mapRoles: rowsOf('mapRoles').map(toRow),
    mapUsers: rowsOf('mapUsers').map(toRow),
    mapAccounts: awsAuth.blocks.mapAccounts.dropped ? [] : awsAuth.accounts.map((a) => a.id),
    storedRoles: effectiveRows(rowsOf('mapRoles')).map((r) => r.index),
    storedUsers: effectiveRows(rowsOf('mapUsers')).map((r) => r.index),
    lookups: request.principals.map((p) => [modelLookup(awsAuth, p)].flatMap((c) => (c ? [c] : []))),
  };
}

function toRow(row: MappingRow): RefereeRow {
  return {
    arn: row.arn,
    username: row.username,
    groups: row.groups,
    ...(row.sso
      ? {
          sso: {
            permissionSetName: row.sso.permissionSetName,
            accountID: row.sso.accountID,
            ...(row.sso.partition ? { partition: row.sso.partition } : {}),
          },
        }
      : {}),
    ...(row.droppedBecause ? { invalid: row.droppedBecause } : {}),
  };
}

function modelLookup(awsAuth: AwsAuth, p: RefereePrincipal): RefereeCandidate | undefined {
  const isRole = p.canonicalArn.split(':')[5]?.startsWith('role/') ?? false;
  const parsed = principalFromArn(p.canonicalArn, isRole ? p.sessionName : undefined);
  if (!parsed.ok) throw new Error(`test principal ${p.canonicalArn}: ${parsed.error}`);
  // The referee judges parsing, lookup and rendering for a known identity (what STS answered):
  // its session name is given, as the authenticator has it, rather than derived from the ARN.
  const principal = { ...parsed, value: { ...parsed.value, sessionName: p.sessionName } };
  const evidence: Evidence = {
    cluster: { name: 'referee', authenticationMode: 'CONFIG_MAP' },
    awsAuth: { state: 'present', configMap: awsAuth },
    creator: { arn: 'arn:aws:iam::999999999999:role/not-a-test-principal', source: 'flag' },
  };
  const simulation = simulate(principal.value, evidence);
  const via = simulation.via;
  if (!via) return undefined;
  const where =
    via.kind === 'aws-auth-row'
      ? { via: via.row.block, row: via.row.index }
      : via.kind === 'aws-auth-account'
        ? { via: 'mapAccounts' as const, row: -1 }
        : undefined;
  if (!where) throw new Error(`unexpected mapping source ${via.kind} for ${p.canonicalArn}`);
  if (!simulation.decision.authenticated)
    return { ...where, username: '', groups: [], renderError: simulation.failureMessage ?? 'failed' };
  return { ...where, username: simulation.decision.username ?? '', groups: simulation.decision.groups };
}

/** The referee's answer in the same shape. Render errors compare by presence, not by wording. */
export function refereeDecisions(answer: RefereeAnswer): Decisions {
  if (answer.error) throw new Error(`referee: ${answer.error}`);
  return {
    mapRoles: answer.mapRoles.rows,
    mapUsers: answer.mapUsers.rows,
    mapAccounts: answer.mapAccounts.accounts,
    storedRoles: answer.storedRoles,
    storedUsers: answer.storedUsers,
    lookups: answer.lookups.map((l) => l.candidates),
  };
}

/**
 * Puts both sides in the form expect().toEqual compares: where Go's random map order gives
 * several answers, the model's must be one of them (and only that one is kept for the diff).
 */
export function alignForComparison(model: Decisions, referee: Decisions): { model: Decisions; referee: Decisions } {
  const normalise = (c: RefereeCandidate): RefereeCandidate =>
    c.renderError === undefined ? c : { ...c, username: '', groups: [], renderError: 'render error' };
  const modelLookups = model.lookups.map((cs) => cs.map(normalise));
  const refereeLookups = referee.lookups.map((candidates, i) => {
    const normalised = candidates.map(normalise);
    const mine = modelLookups[i]?.[0];
    const same = mine && normalised.find((c) => JSON.stringify(c) === JSON.stringify(mine));
    return same ? [same] : normalised;
  });
  return { model: { ...model, lookups: modelLookups }, referee: { ...referee, lookups: refereeLookups } };
}

/** Principals whose answer Go's map order decides: two candidates that give different identities. */
export function nondeterministicLookups(referee: Decisions): number[] {
  return referee.lookups.flatMap((candidates, i) => {
    const identities = new Set(candidates.map((c) => JSON.stringify([c.username, c.groups, c.renderError ?? ''])));
    return identities.size > 1 ? [i] : [];
  });
}

/** Blocks the referee could not decode (ToJSON or json.Unmarshal failed, or yaml.v2 for mapAccounts). */
export function refusedBlocks(answer: RefereeAnswer): BlockKey[] {
  const refused: BlockKey[] = [];
  if (answer.mapRoles.failedAt) refused.push('mapRoles');
  if (answer.mapUsers.failedAt) refused.push('mapUsers');
  if (answer.mapAccounts.error) refused.push('mapAccounts');
  return refused;
}

export function lintFindings(awsAuth: AwsAuth) {
  return diagnose('lint', { awsAuth: { state: 'present', configMap: awsAuth } }, CHECKS).findings;
}
