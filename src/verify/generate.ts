import { Document, isMap, isSeq } from 'yaml';
import type { ClusterWide } from '../doctor/collect-cluster.js';
import type { Evidence } from '../model/evidence.js';
import { sameArn } from '../model/arn.js';
import { principalFromArn } from '../model/principal.js';
import type { PrincipalExpectation } from './expectations.js';
import type { ClusterResult } from './run.js';

/** A principal to snapshot: an ARN, with its session name when the ARN or the flag gave one. */
export interface SnapshotPrincipal {
  arn: string;
  sessionName?: string;
}

/**
 * Who a snapshot covers: the principals named on the command line, then every principal an access
 * entry or a kept aws-auth row maps (rows dropped by the authenticator or overridden by a later
 * duplicate map nobody, so they are not expectations). Duplicates are listed once.
 */
export function snapshotPrincipals(named: readonly SnapshotPrincipal[], shared: ClusterWide): PrincipalExpectation[] {
  const chosen: SnapshotPrincipal[] = [];
  const add = (candidate: SnapshotPrincipal): void => {
    const parsed = principalFromArn(candidate.arn);
    if (!parsed.ok || (parsed.value.kind !== 'role' && parsed.value.kind !== 'user')) return;
    if (chosen.some((c) => sameArn(canonical(c.arn), parsed.value.canonicalArn))) return;
    chosen.push(candidate);
  };
  for (const p of named) add(p);
  for (const entry of shared.evidence.accessEntries ?? []) add({ arn: entry.principalArn });
  const awsAuth = shared.evidence.awsAuth;
  if (awsAuth?.state === 'present') {
    for (const row of [...awsAuth.configMap.roleRows, ...awsAuth.configMap.userRows])
      if (row.droppedBecause === undefined && row.overriddenBy === undefined) add({ arn: row.arn.trim() });
  }
  // Generation asks the doctor's default can-i samples: an empty list means "use them".
  return chosen.map((p) => ({
    arn: p.arn,
    ...(p.sessionName ? { sessionName: p.sessionName } : {}),
    label: p.arn,
    can: [],
    position: { line: 1, column: 1 },
  }));
}

/** The session name the principal signed with, when it is a role session. */
function sessionOf(evidence: Evidence): string | undefined {
  if (evidence.assumeRole?.outcome === 'assumed') return evidence.assumeRole.sessionName;
  return evidence.principal?.sessionName ?? evidence.targetCaller?.arn.split('/')[2];
}

/**
 * A username rendered from `{{SessionName}}` holds this run's session name; as a `*` pattern it
 * holds for every session (CI runs name theirs per run). Short names are left alone: replacing
 * "ci" inside "circleci" would make a pattern nobody meant.
 */
function sessionPattern(username: string | null, session: string | undefined): string | null {
  if (username === null || session === undefined || session === '') return username;
  // EKS's default for roles ends in the session (`…:assumed-role/NAME/SESSION`), whatever its length.
  if (username.endsWith(`/${session}`)) return `${username.slice(0, -session.length)}*`;
  if (session.length < 4 || !username.includes(session)) return username;
  return username.split(session).join('*');
}

const canonical = (arn: string): string => {
  const parsed = principalFromArn(arn);
  return parsed.ok ? parsed.value.canonicalArn : arn;
};

/**
 * The expectations file of what was observed: the snapshot to take before a migration and verify
 * after it. The session name inside a username becomes `*`, so the file holds for any session;
 * everything else is the observed value.
 */
export function renderSnapshot(results: readonly ClusterResult[], generatedAt: Date): string {
  const principals = new Map<string, Record<string, unknown>>();
  for (const cluster of results) {
    for (const p of cluster.principals) {
      // With several clusters the first one's observation is written; verify reports any other that differs.
      if (principals.has(p.expectation.label)) continue;
      const o = p.observation;
      const entry: Record<string, unknown> = { arn: p.expectation.arn ?? p.expectation.label };
      if (p.expectation.profile) {
        delete entry.arn;
        entry.profile = p.expectation.profile;
      }
      if (p.expectation.sessionName) entry.sessionName = p.expectation.sessionName;
      entry.authenticated = o.authenticated === true;
      if (o.authenticated === true) {
        if (o.source) entry.source = o.source;
        const username = sessionPattern(o.username, sessionOf(p.evidence));
        if (username) entry.username = username;
        entry.groups = o.groups;
      }
      const can = o.access
        .filter((a) => a.allowed !== null)
        .map((a) => ({
          verb: a.verb,
          resource: a.resource,
          ...(a.group ? { group: a.group } : {}),
          ...(a.namespace ? { namespace: a.namespace } : {}),
          allowed: a.allowed,
        }));
      if (can.length > 0) entry.can = can;
      principals.set(p.expectation.label, entry);
    }
  }
  const doc = new Document({
    version: 1,
    clusters: results.map((c) => ({ name: c.cluster, region: c.region })),
    principals: [...principals.values()],
  });
  doc.commentBefore = ` eksauth verify expectations, generated ${generatedAt.toISOString()} from the live state of ${results
    .map((c) => c.cluster)
    .join(
      ', ',
    )}.\n Review it, commit it, and run \`eksauth verify --expect FILE\` after the migration (docs/verify.md).`;
  // Group lists read best on one line each: `groups: [system:masters]`.
  const principalsNode = doc.get('principals', true);
  if (isSeq(principalsNode))
    for (const item of principalsNode.items) {
      if (!isMap(item)) continue;
      const groups = item.get('groups', true);
      if (isSeq(groups)) groups.flow = true;
      const can = item.get('can', true);
      if (isSeq(can)) for (const c of can.items) if (isMap(c)) c.flow = true;
    }
  return doc.toString({ lineWidth: 0 });
}
