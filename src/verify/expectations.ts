import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import type { MappingSource } from '../model/trace.js';
import { principalFromArn } from '../model/principal.js';

/** 1-based position in the expectations file, so every message and JUnit case points at its line. */
export interface FilePosition {
  line: number;
  column: number;
}

/** `kubectl auth can-i VERB RESOURCE [-n NAMESPACE]` and the answer the principal must get. */
export interface AccessExpectation {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
  allowed: boolean;
  position: FilePosition;
}

export interface PrincipalExpectation {
  /** IAM role or user ARN (an STS assumed-role ARN gives its session name). */
  arn?: string;
  /** A shared-config profile whose credentials are the principal (`doctor --target-profile`). */
  profile?: string;
  sessionName?: string;
  /** What the matrix calls this principal: the ARN, else `profile NAME`. */
  label: string;
  authenticated?: boolean;
  source?: MappingSource;
  /** Exact, or a pattern where `*` matches any run of characters. */
  username?: string;
  groups?: string[];
  can: AccessExpectation[];
  position: FilePosition;
}

export interface ClusterExpectation {
  name: string;
  region?: string;
}

export interface Expectations {
  clusters: ClusterExpectation[];
  principals: PrincipalExpectation[];
}

export const SOURCES: readonly MappingSource[] = ['access-entry', 'aws-auth', 'cluster-creator'];

/** Every problem of the file, one line each, `FILE:LINE:COLUMN: message`. */
export class ExpectationsError extends Error {
  constructor(readonly lines: string[]) {
    super(lines[0] ?? 'invalid expectations file');
  }
}

const TOP_KEYS = ['version', 'clusters', 'principals'];
const CLUSTER_KEYS = ['name', 'region'];
const PRINCIPAL_KEYS = ['arn', 'profile', 'sessionName', 'authenticated', 'source', 'username', 'groups', 'can'];
const CAN_KEYS = ['verb', 'resource', 'namespace', 'group', 'allowed'];

/**
 * Parses an expectations file (docs/verify.md). Unknown keys are errors, so a typo never turns an
 * expectation into a silent pass; every error names its line and column.
 */
export function parseExpectations(text: string, file: string): Expectations {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const found: { position: FilePosition; line: string }[] = [];
  const at = (node: Node | null | undefined): FilePosition => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const report = (position: FilePosition, message: string): void => {
    found.push({ position, line: `${file}:${position.line}:${position.column}: ${message}` });
  };
  // In file order, as an editor's problem list shows them.
  const fail = (): ExpectationsError =>
    new ExpectationsError(
      [...found]
        .sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column)
        .map((e) => e.line),
    );
  for (const error of doc.errors) {
    const pos = lineCounter.linePos(error.pos[0]);
    report({ line: pos.line, column: pos.col }, `not valid YAML: ${error.message.split('\n')[0] ?? ''}`);
  }
  if (found.length > 0) throw fail();

  const root = doc.contents as Node | null;
  if (!isMap(root)) {
    report(at(root), 'expected a mapping with `principals:` (and optionally `clusters:`)');
    throw fail();
  }
  const fields = (map: YAMLMap, allowed: string[], where: string): Map<string, Pair<Node, Node | null>> => {
    const out = new Map<string, Pair<Node, Node | null>>();
    for (const pair of map.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key))
        report(at(pair.key), `${where}: unknown key "${key}" (expected one of ${allowed.join(', ')})`);
      else out.set(key, pair);
    }
    return out;
  };
  const str = (pair: Pair<Node, Node | null> | undefined, where: string): string | undefined => {
    if (!pair) return undefined;
    const value = pair.value;
    if (
      isScalar(value) &&
      (typeof value.value === 'string' || typeof value.value === 'number') &&
      String(value.value) !== ''
    )
      return String(value.value);
    report(at(value ?? pair.key), `${where}: must be a non-empty string`);
    return undefined;
  };
  const bool = (pair: Pair<Node, Node | null> | undefined, where: string): boolean | undefined => {
    if (!pair) return undefined;
    if (isScalar(pair.value) && typeof pair.value.value === 'boolean') return pair.value.value;
    report(at(pair.value ?? pair.key), `${where}: must be true or false`);
    return undefined;
  };

  const top = fields(root, TOP_KEYS, 'top level');
  const version = top.get('version');
  if (version && !(isScalar(version.value) && version.value.value === 1))
    report(at(version.value ?? version.key), 'version: only version 1 exists');

  const clusters: ClusterExpectation[] = [];
  const clustersPair = top.get('clusters');
  if (clustersPair) {
    const seq = clustersPair.value;
    if (!isSeq(seq)) report(at(seq ?? clustersPair.key), 'clusters: must be a list');
    else
      seq.items.forEach((item, i) => {
        const where = `clusters[${i}]`;
        // A bare name is the common case: `clusters: [prod, staging]`.
        if (isScalar(item) && typeof item.value === 'string' && item.value !== '') {
          clusters.push({ name: item.value });
          return;
        }
        if (!isMap(item)) {
          report(at(item as Node), `${where}: must be a cluster name or { name, region }`);
          return;
        }
        const f = fields(item, CLUSTER_KEYS, where);
        const name = str(f.get('name'), `${where}.name`);
        const region = str(f.get('region'), `${where}.region`);
        if (!f.has('name')) report(at(item), `${where}: needs a name`);
        if (name) clusters.push({ name, ...(region ? { region } : {}) });
      });
  }

  const principals: PrincipalExpectation[] = [];
  const principalsPair = top.get('principals');
  if (!principalsPair) report(at(root), 'no `principals:` list');
  else if (!isSeq(principalsPair.value))
    report(at(principalsPair.value ?? principalsPair.key), 'principals: must be a list');
  else
    principalsPair.value.items.forEach((item, i) => {
      const where = `principals[${i}]`;
      if (!isMap(item)) {
        report(at(item as Node), `${where}: must be a mapping with arn or profile`);
        return;
      }
      const expectation = parsePrincipal(item, where);
      if (expectation) principals.push(expectation);
    });

  function parsePrincipal(item: YAMLMap, where: string): PrincipalExpectation | undefined {
    const f = fields(item, PRINCIPAL_KEYS, where);
    const position = at(item);
    const arn = str(f.get('arn'), `${where}.arn`);
    const profile = str(f.get('profile'), `${where}.profile`);
    let sessionName = str(f.get('sessionName'), `${where}.sessionName`);
    if (!arn && !profile) {
      report(position, `${where}: needs an arn (role or user) or a profile`);
      return undefined;
    }
    if (arn) {
      const parsed = principalFromArn(arn);
      if (!parsed.ok) report(at(f.get('arn')?.value), `${where}.arn: ${parsed.error}`);
      else if (parsed.value.kind !== 'role' && parsed.value.kind !== 'user')
        report(at(f.get('arn')?.value), `${where}.arn: must be an IAM role or user ARN (got a ${parsed.value.kind})`);
      // An assumed-role ARN carries the session name the principal signs with.
      else if (parsed.value.sessionName !== undefined && sessionName === undefined)
        sessionName = parsed.value.sessionName;
    }
    const authenticated = bool(f.get('authenticated'), `${where}.authenticated`);
    const sourcePair = f.get('source');
    const sourceText = str(sourcePair, `${where}.source`);
    const source = SOURCES.find((s) => s === sourceText);
    if (sourceText !== undefined && !source)
      report(at(sourcePair?.value), `${where}.source: must be one of ${SOURCES.join(', ')} (got "${sourceText}")`);
    const username = str(f.get('username'), `${where}.username`);
    let groups: string[] | undefined;
    const groupsPair = f.get('groups');
    if (groupsPair) {
      const seq = groupsPair.value;
      if (!isSeq(seq)) report(at(seq ?? groupsPair.key), `${where}.groups: must be a list (use [] for none)`);
      else {
        groups = [];
        for (const [j, g] of seq.items.entries()) {
          if (isScalar(g) && typeof g.value === 'string' && g.value !== '') groups.push(g.value);
          else report(at(g as Node), `${where}.groups[${j}]: must be a non-empty string`);
        }
      }
    }
    if (authenticated === false) {
      for (const key of ['source', 'username', 'groups'])
        if (f.has(key))
          report(at(f.get(key)?.key), `${where}.${key}: a principal expected to be unauthenticated has no ${key}`);
    }
    const can: AccessExpectation[] = [];
    const canPair = f.get('can');
    if (canPair) {
      const seq = canPair.value;
      if (!isSeq(seq)) report(at(seq ?? canPair.key), `${where}.can: must be a list`);
      else
        seq.items.forEach((c, j) => {
          const cw = `${where}.can[${j}]`;
          if (!isMap(c)) {
            report(at(c as Node), `${cw}: must be { verb, resource, namespace?, group?, allowed }`);
            return;
          }
          const cf = fields(c, CAN_KEYS, cw);
          const verb = str(cf.get('verb'), `${cw}.verb`);
          const resource = str(cf.get('resource'), `${cw}.resource`);
          const namespace = str(cf.get('namespace'), `${cw}.namespace`);
          const group = str(cf.get('group'), `${cw}.group`);
          const allowed = bool(cf.get('allowed'), `${cw}.allowed`);
          for (const key of ['verb', 'resource', 'allowed']) if (!cf.has(key)) report(at(c), `${cw}: needs ${key}`);
          if (verb && resource && allowed !== undefined)
            can.push({
              verb,
              resource,
              ...(group ? { group } : {}),
              ...(namespace ? { namespace } : {}),
              allowed,
              position: at(c),
            });
        });
    }
    // Judged on the keys written, so a mistyped value is not reported twice.
    if (!['authenticated', 'source', 'username', 'groups', 'can'].some((key) => f.has(key)))
      report(position, `${where}: states no expectation (authenticated, source, username, groups or can)`);
    return {
      ...(arn ? { arn } : {}),
      ...(profile ? { profile } : {}),
      ...(sessionName ? { sessionName } : {}),
      label: arn ?? `profile ${profile ?? ''}`,
      ...(authenticated !== undefined ? { authenticated } : {}),
      ...(source ? { source } : {}),
      ...(username ? { username } : {}),
      ...(groups ? { groups } : {}),
      can,
      position,
    };
  }

  if (found.length > 0) throw fail();
  return { clusters, principals };
}

/** `*` matches any run of characters (`ops:*`, `arn:aws:sts::111122223333:assumed-role/deployer/*`); the rest is literal. */
export function matchesPattern(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's').test(value);
}
