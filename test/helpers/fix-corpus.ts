import { Document, parseDocument } from 'yaml';
import { CHECKS } from '../../checks/index.js';
import { templateSteps } from '../../src/core/fix.js';
import { renderHit } from '../../src/core/run-checks.js';
import type { Check, Finding, FixStep } from '../../src/core/types.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import { parseAwsAuth } from '../../src/model/aws-auth/parse.js';
import type { Evidence } from '../../src/model/evidence.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import { listShippedScenarios, loadScenario } from '../../src/sandbox/scenario/load.js';
import { contextFor } from './evidence.js';
import { FIX_FIXTURES, type FixFixture } from './fix-fixtures.js';

/**
 * Every fix eksauth can print, from evidence: what doctor collects from each shipped scenario (the
 * sandbox on loopback), plus fixtures for the checks no scenario reaches. Fixes come from the check
 * functions in-process, rendered by the same code the CLI's JSON uses (renderHit).
 */

/** Doctor's evidence for every shipped scenario, collected from the sandbox as `doctor --sandbox` does. */
export async function scenarioEvidence(): Promise<FixFixture[]> {
  const out: FixFixture[] = [];
  for (const name of listShippedScenarios()) {
    const scenario = loadScenario(name);
    const target = sandboxTarget(scenario, {});
    if (typeof target === 'string') throw new Error(target);
    const sandbox = await startSandbox({ scenario });
    try {
      const request = sandboxRequest(sandbox, target, { timeoutMs: 3_000, now: () => new Date(), accessSamples: [] });
      const collected = await collectLive(request);
      out.push({
        name,
        evidence: collected.evidence,
        ...(collected.awsAuthText !== undefined ? { awsAuthText: collected.awsAuthText } : {}),
      });
    } finally {
      await sandbox.close();
    }
  }
  return out;
}

export const allFixtures = async (): Promise<FixFixture[]> => [...(await scenarioEvidence()), ...FIX_FIXTURES];

export interface FixCase {
  check: Check;
  finding: Finding & { fix: NonNullable<Finding['fix']> };
  /** The steps as data (before rendering), for comparing Terraform values. */
  steps: FixStep[];
}

/** Every finding with a fix that the registry's checks report on this evidence. */
export function fixesOf(evidence: Evidence): FixCase[] {
  const context = contextFor(evidence);
  return CHECKS.flatMap((check) => {
    if (check.meta.needs.some((source) => evidence[source] === undefined)) return [];
    if (check.meta.needsSimulation && !context.simulation) return [];
    return check.run(context).flatMap((hit): FixCase[] => {
      const finding = renderHit(check, hit);
      if (!finding.fix) return [];
      const spec = check.meta.messages[hit.messageId]?.fix;
      const steps = hit.fix ?? (spec ? templateSteps(spec, hit.data, finding.remediation) : []);
      return [{ check, finding: finding as FixCase['finding'], steps }];
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Hostile rewriting.

/** Words renaming would break the meaning of (EKS's own names, not the story's). */
const KEEP = new Set(['aws', 'iam', 'sts', 'eks', 'role', 'user', 'root', 'default', 'kube-system', 'aws-auth']);
const IAM_NAME = /^arn:[^:]+:(?:iam|sts)::\d{12}:(?:role|user|assumed-role)\/(?:.*\/)?([^/]+?)(?:\/[^/]*)?$/;

/** The story's own names: cluster, IAM names in ARNs, usernames, groups, namespaces, profiles, node groups. */
function storyNames(evidence: Evidence, awsAuthText: string | undefined): string[] {
  const names = new Set<string>();
  const add = (v: string | undefined): void => {
    // EKS's own names (system: groups and users) and authenticator templates keep their meaning.
    if (v === undefined || v.startsWith('system:') || v.startsWith('eks:') || v.includes('{{')) return;
    for (const part of v.split(':'))
      if (/^[A-Za-z0-9][A-Za-z0-9_-]{2,}$/.test(part) && !KEEP.has(part)) names.add(part);
  };
  const arnName = (arn: string | undefined): void => add(arn === undefined ? undefined : IAM_NAME.exec(arn)?.[1]);
  add(evidence.cluster?.name);
  add(evidence.clusterLookup?.name);
  add(evidence.credentialEnv?.profile);
  add(evidence.principal?.name);
  arnName(evidence.caller?.arn);
  for (const e of evidence.accessEntries ?? []) {
    arnName(e.principalArn);
    add(e.username);
    e.kubernetesGroups.forEach(add);
  }
  for (const n of evidence.nodegroups ?? []) {
    add(n.nodegroupName);
    arnName(n.nodeRole);
  }
  for (const f of evidence.fargateProfiles ?? []) {
    add(f.fargateProfileName);
    arnName(f.podExecutionRoleArn);
  }
  for (const b of evidence.rbac ?? []) for (const s of b.subjects) add(s.name);
  if (awsAuthText !== undefined)
    mapAwsAuthStrings(awsAuthText, (s) => {
      if (s.startsWith('arn:')) arnName(s);
      else add(s);
      return s;
    });
  return [...names].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Appends `hostile` to every whole occurrence of a story name (so what matched still matches). */
function renamer(names: readonly string[], hostile: string, at: 'end' | 'start'): (s: string) => string {
  if (names.length === 0) return (s) => s;
  const pattern = new RegExp(`(?<![A-Za-z0-9_-])(${names.map(escapeRegExp).join('|')})(?![A-Za-z0-9_-])`, 'g');
  return (s) => s.replace(pattern, (name) => (at === 'end' ? `${name}${hostile}` : `${hostile}${name}`));
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

/**
 * The ConfigMap text with every string of its readable data blocks mapped, re-serialised by the
 * yaml library. A block EKS drops stays verbatim: the yaml library reads some of them
 * (`username: {{SessionName}}` is a flow map to it) and re-serialising would change what is broken.
 */
function mapAwsAuthStrings(text: string, fn: (s: string) => string): string {
  const doc = parseDocument(text);
  const read = parseAwsAuth(text);
  for (const block of ['mapRoles', 'mapUsers'] as const) {
    const raw = doc.getIn(['data', block]);
    if (typeof raw !== 'string') continue;
    if (!read.ok || read.value.blocks[block].dropped) continue;
    const inner = parseDocument(raw);
    if (inner.errors.length > 0) continue;
    const mapped = mapStrings(inner.toJS(), fn);
    doc.setIn(['data', block], new Document(mapped).toString({ lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE' }));
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * The evidence with `hostile` added (at the end or the start) to every name of the story
 * (consistently, so the same checks still fire) and to the cluster's region; aws-auth is re-parsed from its
 * rewritten text, exactly as a collector would read it.
 */
export function hostilise(fixture: FixFixture, hostile: string, at: 'end' | 'start' = 'end'): Evidence {
  const rename = renamer(storyNames(fixture.evidence, fixture.awsAuthText), hostile, at);
  const { awsAuth, ...rest } = fixture.evidence;
  const evidence = mapStrings(rest, rename) as Evidence;
  const region = (r: string): string => (at === 'end' ? `${r}${hostile}` : `${hostile}${r}`);
  if (evidence.cluster?.region !== undefined) evidence.cluster.region = region(evidence.cluster.region);
  if (evidence.clusterLookup) evidence.clusterLookup.region = region(evidence.clusterLookup.region);
  if (fixture.awsAuthText !== undefined) {
    const parsed = parseAwsAuth(mapAwsAuthStrings(fixture.awsAuthText, rename));
    if (!parsed.ok) throw new Error(`${fixture.name}: rewritten aws-auth does not parse: ${parsed.error}`);
    evidence.awsAuth = { state: 'present', configMap: parsed.value };
  } else if (awsAuth) evidence.awsAuth = awsAuth;
  return evidence;
}
