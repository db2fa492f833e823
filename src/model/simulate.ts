import {
  describePolicy,
  effectiveEntryGroups,
  effectiveEntryUsername,
  entryMatchesPrincipal,
  isClusterAdminPolicy,
} from './access-entries.js';
import { canonicalizeArn, iamPathOf, parseArn, principalArnOf, sameArn, stripRolePath } from './arn.js';
import { equalFold } from './aws-auth/equal-fold.js';
import { effectiveRows } from './aws-auth/parse.js';
import type { AwsAuth, MappingRow, SourceLocation } from './aws-auth/types.js';
import type { AccessEntry, AssociatedAccessPolicy, AuthenticationMode, ClusterCreator, Evidence } from './evidence.js';
import type { Principal } from './principal.js';
import { fail, ok, type Result } from './result.js';
import { renderTemplate, type TemplateContext } from './templates.js';
import { arnLikeMatches } from './text-match.js';
import type { Decision, TraceStep } from './trace.js';

/**
 * The username and groups EKS gives the cluster creator in CONFIG_MAP mode: AWS's knowledge-center
 * article eks-api-server-unauthorized-error shows the authenticator logging `access granted …
 * groups="[system:masters]" … username=kubernetes-admin` (corrections-turn-2.md §3).
 */
export const CONFIG_MAP_CREATOR_USERNAME = 'kubernetes-admin';
export const CONFIG_MAP_CREATOR_GROUPS = ['system:masters'];

/** Why a mapping that looks meant for this principal does not work. Each names the check that explains it. */
export interface NearMiss {
  checkId: string;
  detail: string;
  location?: SourceLocation;
}

export type MatchedVia =
  | { kind: 'access-entry'; entry: AccessEntry }
  | { kind: 'aws-auth-row'; row: MappingRow }
  | { kind: 'aws-auth-account'; accountId: string; location: SourceLocation }
  | { kind: 'cluster-creator'; creator: ClusterCreator | undefined; assumed: boolean };

export interface Simulation {
  principal: Principal;
  mode: AuthenticationMode;
  modeOrigin: 'cluster-info' | 'assumed';
  decision: Decision;
  /** false when missing evidence leaves the outcome open. */
  determined: boolean;
  /** The sources whose absence leaves the outcome open, in the order EKS would consult them. */
  unread: ('cluster' | 'accessEntries' | 'awsAuth')[];
  via?: MatchedVia;
  /** What the authenticator would log when it refuses the principal. */
  failureMessage?: string;
  policies: AssociatedAccessPolicy[];
  /** Effective aws-auth rows naming this principal, whatever the mode does with them. */
  principalRows: MappingRow[];
  /** The principal's access entry, if any. */
  principalEntry?: AccessEntry;
  isCreator: boolean | undefined;
  nearMisses: NearMiss[];
  steps: TraceStep[];
  authorization: { clusterAdmin: boolean; likelyForbidden: boolean; summary: string };
}

/** Simulates EKS authenticating `principal` against the evidence: pure, deterministic, total. */
export function simulate(principal: Principal, evidence: Evidence): Simulation {
  const steps: TraceStep[] = [];
  const nearMisses: NearMiss[] = [];
  const { mode, origin: modeOrigin } = modeFromEvidence(evidence);
  // A live run that could not describe the cluster does not know the mode: never assume one then.
  const clusterUnread = modeOrigin === 'assumed' ? evidence.unavailable?.cluster : undefined;
  const modeUnread = clusterUnread !== undefined;
  const unread: Simulation['unread'] = modeUnread ? ['cluster'] : [];
  const awsAuth = evidence.awsAuth?.state === 'present' ? evidence.awsAuth.configMap : undefined;
  const accountOfCluster = evidence.cluster?.accountId;
  const templateContext = { accountId: principal.accountId, sessionName: principal.sessionName };

  steps.push({
    stage: 'authentication',
    title: 'Canonicalise the principal',
    status: 'pass',
    detail: describeCanonicalisation(principal),
  });
  steps.push({
    stage: 'authentication',
    title: 'Authentication mode',
    status: modeUnread ? 'warn' : 'pass',
    detail:
      modeOrigin === 'cluster-info'
        ? `${mode}: ${modeMeaning(mode)}`
        : clusterUnread !== undefined
          ? `unknown: could not check, because ${clusterUnread}; the steps below show only what ${mode} would do`
          : `${mode} (assumed: no cluster info given; pass --cluster-info or --mode): ${modeMeaning(mode)}`,
  });

  const principalRows = awsAuth ? rowsForPrincipal(awsAuth, principal) : [];
  const principalEntry = evidence.accessEntries?.find((e) => entryMatchesPrincipal(e, principal));
  const isCreator = evidence.creator
    ? sameArn(principalArnOf(evidence.creator.arn), principal.canonicalArn)
    : undefined;
  const expectsNodeRows = (evidence.nodegroups?.length ?? 0) + (evidence.fargateProfiles?.length ?? 0) > 0;
  collectNearMisses(principal, awsAuth, mode, accountOfCluster, nearMisses, expectsNodeRows);
  // With access entries in play a cluster may rightly have no aws-auth at all: only CONFIG_MAP depends on it.
  if (mode === 'CONFIG_MAP' && evidence.awsAuth?.state === 'absent' && expectsNodeRows) {
    nearMisses.push({
      checkId: 'aws-auth/missing-or-replaced',
      detail: 'kube-system/aws-auth does not exist, so no principal is mapped through it',
    });
  }

  let via: MatchedVia | undefined;
  let determined = true;
  // In API modes an unread list of access entries leaves "not mapped" open: one of them may be it.
  let entriesUnknown = false;
  let failureMessage: string | undefined;

  // 1. Access entries (API modes). An entry replaces any aws-auth mapping of the same principal.
  if (mode !== 'CONFIG_MAP') {
    if (evidence.accessEntries === undefined) {
      const why = evidence.unavailable?.accessEntries;
      steps.push({
        stage: 'authentication',
        title: 'Access entries',
        status: 'warn',
        detail: why
          ? `could not check, because ${why}`
          : 'not given (pass --access-entries): cannot tell whether an entry exists',
      });
      entriesUnknown = true;
    } else if (principalEntry) {
      via = { kind: 'access-entry', entry: principalEntry };
      steps.push({
        stage: 'authentication',
        title: 'Access entries',
        status: 'pass',
        detail: `entry ${principalEntry.principalArn} (type ${principalEntry.type || 'STANDARD'}) matches`,
      });
    } else {
      steps.push({
        stage: 'authentication',
        title: 'Access entries',
        status: 'fail',
        detail: `none of the ${evidence.accessEntries.length} access entries is for ${principal.canonicalArn}`,
      });
    }
  } else {
    steps.push({
      stage: 'authentication',
      title: 'Access entries',
      status: 'skip',
      detail: 'not consulted in CONFIG_MAP mode',
    });
  }

  // 2. The hidden cluster-creator mapping (CONFIG_MAP) or the creator's bootstrap entry (API modes, when entries are unknown).
  if (!via) {
    const creatorStep = evaluateCreator(principal, evidence, mode, isCreator);
    steps.push(creatorStep.step);
    via = creatorStep.via;
  }

  // 3. aws-auth rows, then mapAccounts (not in API mode).
  if (mode === 'API') {
    const ignoredRow = principalRows[0];
    steps.push({
      stage: 'authentication',
      title: 'aws-auth ConfigMap',
      status: 'skip',
      detail: ignoredRow
        ? `ignored in API mode, including ${rowRef(ignoredRow)} for this principal`
        : 'ignored in API mode',
    });
  } else if (via) {
    const shadowedRow = via.kind === 'access-entry' ? principalRows[0] : undefined;
    steps.push({
      stage: 'authentication',
      title: 'aws-auth ConfigMap',
      status: shadowedRow ? 'warn' : 'skip',
      detail: shadowedRow
        ? `${rowRef(shadowedRow)} is not used: the access entry replaces it`
        : 'not needed: already mapped',
    });
  } else if (evidence.awsAuth === undefined) {
    const why = evidence.unavailable?.awsAuth;
    steps.push({
      stage: 'authentication',
      title: 'aws-auth ConfigMap',
      status: 'warn',
      detail: why
        ? `could not check, because ${why}`
        : 'not given (pass --aws-auth): cannot tell whether a row maps this principal',
    });
    determined = false;
    unread.push('awsAuth');
  } else if (!awsAuth) {
    steps.push({
      stage: 'authentication',
      title: 'aws-auth ConfigMap',
      status: 'fail',
      detail: 'kube-system/aws-auth does not exist: no principal is mapped through it',
    });
  } else {
    steps.push(readStep(awsAuth));
    const row = principalRows[0];
    if (row) {
      via = { kind: 'aws-auth-row', row };
      steps.push({
        stage: 'authentication',
        title: 'Match aws-auth rows',
        status: 'pass',
        detail: `${rowRef(row)} ${row.block === 'mapRoles' ? 'rolearn' : 'userarn'} ${row.arn} matches (case-insensitive)`,
      });
    } else {
      const account = awsAuth.blocks.mapAccounts.dropped
        ? undefined
        : awsAuth.accounts.find((a) => a.id === principal.accountId);
      steps.push({
        stage: 'authentication',
        title: 'Match aws-auth rows',
        status: 'fail',
        detail: `no ${principal.kind === 'user' ? 'mapRoles or mapUsers' : 'mapRoles'} row is ${principal.canonicalArn}`,
      });
      if (account) {
        via = { kind: 'aws-auth-account', accountId: account.id, location: account.location };
        steps.push({
          stage: 'authentication',
          title: 'mapAccounts',
          status: 'warn',
          detail: `account ${account.id} is listed: authenticated with username = the ARN and no groups`,
        });
      }
    }
  }

  // 4. Username and groups, rendered from the winning mapping.
  let decision: Decision = { authenticated: false, source: null, username: null, groups: [] };
  let policies: AssociatedAccessPolicy[] = [];
  if (via) {
    const mapped = mappedIdentity(via, principal);
    const rendered = renderIdentity(mapped, templateContext);
    if (!rendered.ok) {
      failureMessage = `mapper ${mapped.backend} renderTemplates ${rendered.error}`;
      steps.push({
        stage: 'authentication',
        title: 'Username and groups',
        status: 'fail',
        detail: `${failureMessage}: authentication fails (401)`,
      });
    } else {
      const { username, groups } = rendered.value;
      steps.push({
        stage: 'authentication',
        title: 'Username and groups',
        status: username === '' ? 'warn' : 'pass',
        detail: `username "${username}"${username === '' ? ' (empty)' : ''}, groups [${groups.join(', ')}]`,
      });
      if (modeUnread) {
        // Under another mode the same principal may be refused: say what would happen, decide nothing.
        steps.push({
          stage: 'authentication',
          title: 'Result',
          status: 'warn',
          detail: `undetermined: in ${mode} mode this would authenticate as "${username}" via ${mapped.source}, but the mode could not be read`,
        });
        determined = false;
      } else {
        decision = { authenticated: true, source: mapped.source, username, groups };
        policies = via.kind === 'access-entry' ? (via.entry.associatedAccessPolicies ?? []) : [];
      }
    }
  } else {
    failureMessage = 'identity is not mapped';
    if (entriesUnknown) {
      determined = false;
      unread.unshift('accessEntries');
    }
    if (modeUnread) determined = false;
    const unknownCreator = evidence.creator === undefined && mode !== 'API';
    steps.push({
      stage: 'authentication',
      title: 'Result',
      status: determined ? 'fail' : 'warn',
      detail: determined
        ? `${failureMessage}: the API server answers 401 Unauthorized${unknownCreator ? ' (unless this principal created the cluster: pass --creator or --cluster-info)' : ''}`
        : 'undetermined: a source EKS consults was not given',
    });
  }

  const authorization = summariseAuthorization(decision, policies);
  if (decision.authenticated) {
    steps.push({
      stage: 'authorization',
      title: 'Permissions',
      status: authorization.likelyForbidden ? 'warn' : authorization.clusterAdmin ? 'pass' : 'warn',
      detail: authorization.summary,
    });
  } else {
    steps.push({
      stage: 'authorization',
      title: 'Permissions',
      status: 'skip',
      detail: 'not reached: the request is rejected before authorization',
    });
  }

  return {
    principal,
    mode,
    modeOrigin,
    decision,
    determined,
    unread: determined ? [] : [...new Set(unread)],
    ...(via ? { via } : {}),
    ...(failureMessage !== undefined ? { failureMessage } : {}),
    policies,
    principalRows,
    ...(principalEntry ? { principalEntry } : {}),
    isCreator,
    nearMisses,
    steps,
    authorization,
  };
}

/** The mode DescribeCluster (or --mode) gives, else the assumption: entries given → API_AND_CONFIG_MAP. */
export function modeFromEvidence(evidence: Evidence): { mode: AuthenticationMode; origin: Simulation['modeOrigin'] } {
  const mode = evidence.cluster?.authenticationMode;
  if (mode) return { mode, origin: 'cluster-info' };
  return {
    mode: evidence.accessEntries && evidence.accessEntries.length > 0 ? 'API_AND_CONFIG_MAP' : 'CONFIG_MAP',
    origin: 'assumed',
  };
}

function modeMeaning(mode: AuthenticationMode): string {
  switch (mode) {
    case 'CONFIG_MAP':
      return 'EKS reads only the aws-auth ConfigMap, plus the hidden cluster-creator mapping';
    case 'API_AND_CONFIG_MAP':
      return 'EKS reads access entries first, then the aws-auth ConfigMap';
    case 'API':
      return 'EKS reads only access entries; aws-auth is ignored';
  }
}

function describeCanonicalisation(principal: Principal): string {
  if (principal.input === principal.canonicalArn) return `${principal.canonicalArn} (already canonical)`;
  // Only two inputs differ from their canonical ARN: an STS session (which always names its session) and
  // an IAM role with a path (which always has one).
  const note = principal.input.includes(':assumed-role/')
    ? // Stryker disable next-line StringLiteral: an assumed-role principal always has a session name
      `session "${principal.sessionName ?? ''}" set aside`
    : // Stryker disable next-line StringLiteral: an IAM role principal always has a path
      `path ${principal.path ?? ''} dropped: STS never reports it`;
  return `${principal.input} → ${principal.canonicalArn} (${note})`;
}

/** The effective rows that map this principal: roles in mapRoles first, then users in mapUsers. */
function rowsForPrincipal(awsAuth: AwsAuth, principal: Principal): MappingRow[] {
  const target = principal.canonicalArn;
  const roles = awsAuth.blocks.mapRoles.dropped
    ? []
    : effectiveRows(awsAuth.roleRows).filter((r) => equalFold(r.arn, target));
  const users = awsAuth.blocks.mapUsers.dropped
    ? []
    : effectiveRows(awsAuth.userRows).filter((r) => equalFold(r.arn, target));
  return [...roles, ...users];
}

function readStep(awsAuth: AwsAuth): TraceStep {
  const dropped = (['mapRoles', 'mapUsers', 'mapAccounts'] as const).filter((k) => awsAuth.blocks[k].dropped);
  const counts = `mapRoles ${plural(effectiveRows(awsAuth.roleRows).length, 'row')}, mapUsers ${plural(effectiveRows(awsAuth.userRows).length, 'row')}, mapAccounts ${plural(awsAuth.accounts.length, 'account')}`;
  if (dropped.length === 0) return { stage: 'authentication', title: 'Read aws-auth', status: 'pass', detail: counts };
  const lost = awsAuth.lostRows.length;
  return {
    stage: 'authentication',
    title: 'Read aws-auth',
    status: 'fail',
    detail: `${dropped.join(' and ')} ${dropped.length > 1 ? 'do' : 'does'} not parse: EKS ignores ${dropped.length > 1 ? 'those blocks' : 'that block'} whole${lost ? ` (${lost} rows lost)` : ''}; usable: ${counts}`,
  };
}

const rowRef = (row: MappingRow): string => `${row.block}[${row.index}] (line ${row.location.line})`;

function evaluateCreator(
  principal: Principal,
  evidence: Evidence,
  mode: AuthenticationMode,
  isCreator: boolean | undefined,
): { step: TraceStep; via?: MatchedVia } {
  const creator = evidence.creator;
  const title = 'Cluster creator';
  if (creator === undefined) {
    const why = evidence.unavailable?.creator;
    return {
      step: {
        stage: 'authentication',
        title,
        status: 'skip',
        detail: why
          ? `could not check, because ${why}`
          : evidence.clusterLookup
            ? // A live run read CloudTrail: the event is older than its 90 days, or the cluster is elsewhere.
              'creator unknown: CloudTrail has no CreateCluster event for this cluster in the last 90 days (pass --creator ARN if you know it)'
            : 'creator unknown (pass --creator ARN, or run doctor to read CloudTrail)',
      },
    };
  }
  if (!isCreator)
    return {
      step: {
        stage: 'authentication',
        title,
        status: 'skip',
        detail: `${creator.arn} created the cluster, not this principal`,
      },
    };
  if (evidence.cluster?.bootstrapClusterCreatorAdminPermissions === false) {
    return {
      step: {
        stage: 'authentication',
        title,
        status: 'fail',
        detail: `this principal created the cluster, but with bootstrapClusterCreatorAdminPermissions=false: no admin was granted`,
      },
    };
  }
  if (mode === 'CONFIG_MAP') {
    return {
      step: {
        stage: 'authentication',
        title,
        status: 'pass',
        detail: `this principal created the cluster: EKS maps it to system:masters through a mapping visible nowhere in the cluster`,
      },
      via: { kind: 'cluster-creator', creator, assumed: false },
    };
  }
  if (evidence.accessEntries === undefined) {
    return {
      step: {
        stage: 'authentication',
        title,
        status: 'warn',
        detail: `this principal created the cluster; in ${mode} its admin rights are an access entry, assumed to exist (entries not given)`,
      },
      via: { kind: 'cluster-creator', creator, assumed: true },
    };
  }
  return {
    step: {
      stage: 'authentication',
      title,
      status: 'fail',
      detail: `this principal created the cluster, but in ${mode} the creator's rights live in an access entry, and there is none (deleted, or bootstrap was off)`,
    },
  };
}

function mappedIdentity(
  via: MatchedVia,
  principal: Principal,
): { username: string; groups: string[]; source: Decision['source'] & string; backend: string } {
  switch (via.kind) {
    case 'access-entry':
      return {
        username: effectiveEntryUsername(via.entry),
        groups: effectiveEntryGroups(via.entry),
        source: 'access-entry',
        backend: 'DynamicFile',
      };
    case 'aws-auth-row':
      return { username: via.row.username, groups: via.row.groups, source: 'aws-auth', backend: 'EKSConfigMap' };
    case 'aws-auth-account':
      // Stryker disable next-line StringLiteral: the canonical ARN has no template, so this backend is never named
      return { username: principal.canonicalArn, groups: [], source: 'aws-auth', backend: 'EKSConfigMap' };
    case 'cluster-creator':
      if (via.assumed) {
        return {
          username: `arn:${principal.partition}:sts::${principal.accountId}:assumed-role/${principal.name}/{{SessionName}}`,
          groups: [],
          source: 'cluster-creator',
          // Stryker disable next-line StringLiteral: {{SessionName}} always renders, so this backend is never named
          backend: 'DynamicFile',
        };
      }
      return {
        username: CONFIG_MAP_CREATOR_USERNAME,
        groups: CONFIG_MAP_CREATOR_GROUPS,
        source: 'cluster-creator',
        // Stryker disable next-line StringLiteral: kubernetes-admin has no template, so this backend is never named
        backend: 'MountedFile',
      };
  }
}

function summariseAuthorization(decision: Decision, policies: AssociatedAccessPolicy[]): Simulation['authorization'] {
  if (!decision.authenticated) return { clusterAdmin: false, likelyForbidden: false, summary: '' };
  if (decision.groups.includes('system:masters'))
    return {
      clusterAdmin: true,
      likelyForbidden: false,
      summary: 'member of system:masters: every request is allowed (cluster-admin, not revocable through RBAC)',
    };
  // The CONFIG_MAP creator is in system:masters (above): a creator here is the API modes' assumed entry.
  if (decision.source === 'cluster-creator')
    return {
      clusterAdmin: true,
      likelyForbidden: false,
      summary: 'the creator entry carries AmazonEKSClusterAdminPolicy (assumed)',
    };
  // EKS associates a policy with an entry once, so at most one association is cluster-wide admin.
  const admin = policies.find(isClusterAdminPolicy);
  if (admin)
    return {
      clusterAdmin: true,
      likelyForbidden: false,
      summary: `access policy ${describePolicy(admin)}: cluster-admin`,
    };
  const parts: string[] = [];
  if (policies.length > 0) parts.push(`access policies: ${policies.map(describePolicy).join('; ')}`);
  if (decision.groups.length > 0) parts.push(`RBAC for groups ${decision.groups.join(', ')}`);
  if (parts.length === 0) {
    return {
      clusterAdmin: false,
      likelyForbidden: true,
      summary: 'no groups and no access policies: only discovery is allowed; everything else is 403 Forbidden',
    };
  }
  return { clusterAdmin: false, likelyForbidden: false, summary: `${parts.join('; ')} decide what is allowed` };
}

/** Mappings that were clearly meant for this principal but cannot match; each names its check. */
function collectNearMisses(
  principal: Principal,
  awsAuth: AwsAuth | undefined,
  mode: AuthenticationMode,
  clusterAccount: string | undefined,
  out: NearMiss[],
  expectsNodeRows: boolean,
): void {
  if (!awsAuth) return;
  const target = principal.canonicalArn.toLowerCase();
  const pathOf = (arn: string): string => iamPathOf(arn) ?? '/';
  const sameName = (arn: string): boolean => {
    const canonical = canonicalizeArn(arn.trim());
    const stripped = canonical.ok ? stripRolePath(canonical.value.canonicalArn) : stripRolePath(arn.trim());
    return stripped.toLowerCase() === target;
  };
  if (mode === 'API') {
    for (const row of rowsForPrincipal(awsAuth, principal)) {
      out.push({
        checkId: 'mode/api-ignores-aws-auth',
        detail: `${rowRef(row)} maps this principal, but API mode ignores aws-auth`,
        location: row.location,
      });
    }
    return;
  }
  for (const row of awsAuth.lostRows) {
    if (sameName(row.arn))
      out.push({
        checkId: 'aws-auth/yaml-invalid',
        detail: `the ${row.block} row for this principal (line ${row.location.line}) is lost with its block`,
        location: row.location,
      });
  }
  const rows = [...awsAuth.roleRows, ...awsAuth.userRows].filter((r) => !r.droppedBecause);
  for (const row of rows) {
    const arn = row.arn;
    // An exact match (even from the "wrong" block: EKS looks the ARN up in both) passes every test below.
    if (!sameName(arn)) {
      const parsed = parseArn(arn.trim());
      const otherAccount =
        parsed.ok &&
        stripRolePath(arn.trim()).toLowerCase() ===
          target.replace(principal.accountId, parsed.value.accountId).toLowerCase();
      if (otherAccount && parsed.value.accountId !== principal.accountId) {
        out.push({
          checkId: 'identity/account-mismatch',
          detail: `${rowRef(row)} names ${principal.name} in account ${parsed.value.accountId}, but the principal is in ${principal.accountId}${clusterAccount ? ` (cluster account ${clusterAccount})` : ''}`,
          location: row.fieldLocations.arn ?? row.location,
        });
      }
      continue;
    }
    if (arn !== arn.trim())
      out.push({
        checkId: 'aws-auth/malformed-arn',
        detail: `${rowRef(row)} has whitespace inside the quoted ARN: "${arn}"`,
        location: row.fieldLocations.arn ?? row.location,
      });
    else if (arn.includes(':assumed-role/'))
      out.push({
        checkId: 'aws-auth/assumed-role-arn',
        detail: `${rowRef(row)} uses the STS session ARN ${arn}; aws-auth rows are never canonicalised`,
        location: row.fieldLocations.arn ?? row.location,
      });
    else if (pathOf(arn) !== '/')
      out.push({
        checkId: 'aws-auth/role-arn-has-path',
        detail: `${rowRef(row)} has the IAM path ${pathOf(arn)}; EKS compares against ${principal.canonicalArn}`,
        location: row.fieldLocations.arn ?? row.location,
      });
  }
  const { mapRoles, mapUsers, mapAccounts } = awsAuth.blocks;
  const blank = (b: typeof mapRoles): boolean => b.presence !== 'present';
  // EKS writes node rows for every node group: empty blocks with node groups mean rows were lost.
  if (
    mode === 'CONFIG_MAP' &&
    expectsNodeRows &&
    blank(mapRoles) &&
    blank(mapUsers) &&
    awsAuth.miscasedKeys.length === 0
  ) {
    out.push({
      checkId: 'aws-auth/missing-or-replaced',
      detail: 'aws-auth has neither mapRoles nor mapUsers: it was emptied or overwritten',
      ...(mapRoles.location ? { location: mapRoles.location } : {}),
    });
  }
  // Stryker disable next-line StringLiteral: a dropped block always keeps its raw text
  if (mapAccounts.dropped && (mapAccounts.raw ?? '').includes(principal.accountId)) {
    out.push({
      checkId: 'aws-auth/map-accounts-shape',
      detail: `mapAccounts names account ${principal.accountId} but cannot be read, so it maps nobody`,
      ...(mapAccounts.location ? { location: mapAccounts.location } : {}),
    });
  }
  for (const row of rows) {
    const arn = row.arn.trim();
    const parsed = parseArn(arn);
    if (!parsed.ok || parsed.value.accountId !== principal.accountId) continue;
    const wildcard = arn.includes('*') && arnLikeMatches(arn, principal.canonicalArn);
    const group = parsed.value.resource.startsWith('group/') && principal.kind === 'user';
    const root = parsed.value.resource === 'root' && principal.kind !== 'root';
    if (wildcard || group || root) {
      out.push({
        checkId: 'aws-auth/unsupported-principal',
        detail: `${rowRef(row)} ${arn} looks meant to cover this principal, but aws-auth matches exact role and user ARNs only`,
        location: row.fieldLocations.arn ?? row.location,
      });
    }
  }
  for (const miscased of awsAuth.miscasedKeys) {
    if (!miscased.text.toLowerCase().includes(`/${principal.name.toLowerCase()}`)) continue;
    out.push({
      checkId: 'aws-auth/key-casing',
      detail: `data.${miscased.key} is ignored (EKS reads only ${miscased.meant}); the row for this principal in it is never read`,
      location: miscased.location,
    });
  }
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The authenticator's renderTemplates: the username, then each group; the first failure ends it. */
function renderIdentity(
  mapped: { username: string; groups: string[] },
  context: TemplateContext,
): Result<{ username: string; groups: string[] }> {
  const username = renderTemplate(mapped.username, context);
  if (!username.ok) return username;
  const groups: string[] = [];
  for (const template of mapped.groups) {
    const group = renderTemplate(template, context);
    if (!group.ok) return fail(group.error.replace('username', 'group'));
    groups.push(group.value);
  }
  return ok({ username: username.value, groups });
}
