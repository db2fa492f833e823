import { isAccountId } from '../../model/arn.js';
import type { Node } from './reader.js';
import { readCluster } from './resolve-cluster.js';
import { readPrincipal, refToArn } from './resolve-principal.js';
import {
  FAULT_KINDS,
  SERVICES,
  type Fault,
  type LogExpectation,
  type Scenario,
  type ScenarioPrincipal,
} from './types.js';

const TOP_KEYS = [
  'name',
  'description',
  'defaultPrincipal',
  'clientRegion',
  'clientClockOffset',
  'expect',
  'accounts',
  'principals',
  'clusters',
  'faults',
] as const;

/** Turns a validated scenario document into a Scenario: defaults filled, references resolved to ARNs. */
export function resolveScenario(root: Node): Scenario {
  root.only(TOP_KEYS);
  const accounts = root
    .field('accounts')
    .items()
    .map((a) => {
      a.only(['id', 'alias']);
      const id = a.field('id').string();
      if (!isAccountId(id)) a.field('id').fail(`must be a 12-digit account id, quoted (got "${id}")`);
      const alias = a.field('alias').optionalString();
      return { id, ...(alias !== undefined ? { alias } : {}) };
    });
  if (accounts.length === 0) root.field('accounts').fail('list at least one account');
  const defaultAccount = accounts[0]?.id ?? '';
  const accountOf = (node: Node): string => {
    const id = node.string(defaultAccount);
    if (!accounts.some((a) => a.id === id)) node.fail(`account ${id} is not listed under accounts`);
    return id;
  };

  const principalNodes = root.field('principals').items();
  const principals: ScenarioPrincipal[] = principalNodes.map((p) => readPrincipal(p, accountOf));
  const seen = new Set<string>();
  principalNodes.forEach((node, i) => {
    const id = principals[i]?.id ?? '';
    if (seen.has(id)) node.fail(`principal id '${id}' is used twice`);
    seen.add(id);
  });
  // Trust lists may name principals defined later, so they are resolved in a second pass.
  principalNodes.forEach((node, i) => {
    const principal = principals[i];
    if (!principal) return;
    principal.trustedPrincipals = node
      .field('trust')
      .items()
      .map((t) => {
        const value = t.string();
        if (isAccountId(value)) return `arn:${principal.partition}:iam::${value}:root`;
        return refToArn(t, principals);
      });
    if (principal.type === 'user' && principal.trustedPrincipals.length > 0)
      node.field('trust').fail('only roles have a trust policy');
  });

  const clusters = root
    .field('clusters')
    .items()
    .map((c) => readCluster(c, accountOf, principals));
  const names = new Set<string>();
  for (const [i, c] of clusters.entries()) {
    const key = `${c.accountId}/${c.region}/${c.name}`;
    if (names.has(key)) root.field('clusters').items()[i]?.fail(`cluster ${c.name} is defined twice in ${c.region}`);
    names.add(key);
  }

  const faults = root
    .field('faults')
    .items()
    .map((f) => readFault(f, principals));
  const expect = root.field('expect');
  expect.only(['rootCause', 'principal', 'assumes', 'whoami', 'probe', 'note', 'logs']);
  const expectPrincipal = expect.field('principal').optionalString();
  if (expectPrincipal !== undefined && !principals.some((p) => p.id === expectPrincipal))
    expect.field('principal').fail(`no principal '${expectPrincipal}'`);
  const whoami = expect.field('whoami').optionalNumber();
  if (whoami !== undefined && whoami !== 200 && whoami !== 401 && whoami !== 403)
    expect.field('whoami').fail('must be 200, 401 or 403');
  const defaultPrincipal = root.field('defaultPrincipal').optionalString() ?? expectPrincipal;
  if (defaultPrincipal !== undefined && !principals.some((p) => p.id === defaultPrincipal))
    root.field('defaultPrincipal').fail(`no principal '${defaultPrincipal}'`);
  const rootCause = expect.field('rootCause').optionalString();
  const note = expect.field('note').optionalString();
  const probeNode = expect.field('probe');
  probeNode.only(['method', 'path', 'status']);
  const probe = probeNode.present
    ? {
        method: probeNode.field('method').oneOf(['GET', 'POST', 'PUT', 'DELETE'] as const, 'GET'),
        path: probeNode.field('path').string(),
        status: probeNode.field('status').number(),
      }
    : undefined;
  if (probe && !expectPrincipal) probeNode.fail('a probe needs expect.principal');
  const assumes = expect.field('assumes').optionalString();
  if (assumes !== undefined && principals.find((p) => p.id === assumes)?.type !== 'role')
    expect.field('assumes').fail(`no role '${assumes}' among the principals`);
  const logs = readLogExpectation(expect.field('logs'), principals);
  if (logs && !expectPrincipal && (logs.authenticator !== undefined || logs.contradictsModel !== undefined))
    expect.field('logs').fail('a log expectation about a principal needs expect.principal');
  const clientRegion = root.field('clientRegion').optionalString();
  const clockOffset = root.field('clientClockOffset').optionalString();
  const clockMatch = clockOffset === undefined ? undefined : /^([+-])(\d+)([smh])$/.exec(clockOffset);
  if (clockOffset !== undefined && !clockMatch)
    root.field('clientClockOffset').fail(`must be a signed duration such as -20m or +6m (got "${clockOffset}")`);
  const clientClockOffsetMs = clockMatch
    ? (clockMatch[1] === '-' ? -1 : 1) *
      Number(clockMatch[2]) *
      { s: 1000, m: 60_000, h: 3_600_000 }[clockMatch[3] as 's' | 'm' | 'h']
    : undefined;

  return {
    name: root.field('name').string(),
    description: root.field('description').string(''),
    source: '',
    accounts,
    principals,
    clusters,
    faults,
    expect: {
      ...(rootCause !== undefined ? { rootCause } : {}),
      ...(expectPrincipal !== undefined ? { principal: expectPrincipal } : {}),
      ...(whoami !== undefined ? { whoami: whoami as 200 | 401 | 403 } : {}),
      ...(probe !== undefined ? { probe } : {}),
      ...(assumes !== undefined ? { assumes } : {}),
      ...(note !== undefined ? { note } : {}),
      ...(logs !== undefined ? { logs } : {}),
    },
    ...(defaultPrincipal !== undefined ? { defaultPrincipal } : {}),
    ...(clientRegion !== undefined ? { clientRegion } : {}),
    ...(clientClockOffsetMs !== undefined ? { clientClockOffsetMs } : {}),
  };
}

function readLogExpectation(node: Node, principals: ScenarioPrincipal[]): LogExpectation | undefined {
  if (!node.present) return undefined;
  node.only([
    'authenticator',
    'error',
    'awsAuthChangedBy',
    'awsAuthUnchanged',
    'awsAuthLoad',
    'creatorFromLog',
    'contradictsModel',
    'unavailable',
  ]);
  const authenticator = node.field('authenticator').present
    ? node.field('authenticator').oneOf(['granted', 'denied'] as const)
    : undefined;
  const error = node.field('error').optionalString();
  if (error !== undefined && authenticator !== 'denied') node.field('error').fail('only a denial has an error');
  const changedBy = node.field('awsAuthChangedBy');
  const unchanged = node.field('awsAuthUnchanged').optionalBoolean();
  if (unchanged === true && changedBy.present) node.field('awsAuthUnchanged').fail('contradicts awsAuthChangedBy');
  const creatorFromLog = node.field('creatorFromLog');
  const awsAuthLoad = node.field('awsAuthLoad').present
    ? node.field('awsAuthLoad').oneOf(['parsed', 'parse-error', 'reset'] as const)
    : undefined;
  const contradictsModel = node.field('contradictsModel').optionalBoolean();
  const unavailable = node.field('unavailable').present
    ? node.field('unavailable').oneOf(['logging-off', 'access-denied'] as const)
    : undefined;
  return {
    ...(authenticator !== undefined ? { authenticator } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(changedBy.present ? { awsAuthChangedBy: refToArn(changedBy, principals) } : {}),
    ...(unchanged !== undefined ? { awsAuthUnchanged: unchanged } : {}),
    ...(awsAuthLoad !== undefined ? { awsAuthLoad } : {}),
    ...(creatorFromLog.present ? { creatorFromLog: refToArn(creatorFromLog, principals) } : {}),
    ...(contradictsModel !== undefined ? { contradictsModel } : {}),
    ...(unavailable !== undefined ? { unavailable } : {}),
  };
}

function readFault(node: Node, principals: ScenarioPrincipal[]): Fault {
  node.only(['service', 'kind', 'action', 'principal', 'ms', 'status', 'times']);
  const kind = node.field('kind').oneOf(FAULT_KINDS);
  const service = node.field('service').oneOf(SERVICES);
  if (kind === 'untrusted-tls' && service !== 'kube')
    node.field('kind').fail('untrusted-tls applies only to the kube service');
  if (kind === 'latency' && !node.field('ms').present) node.field('ms').fail('latency needs ms');
  const action = node.field('action').optionalString();
  const principal = node.field('principal');
  const ms = node.field('ms').optionalNumber();
  const status = node.field('status').optionalNumber();
  const times = node.field('times').optionalNumber();
  if (status !== undefined && (status < 500 || status > 599)) node.field('status').fail('must be a 5xx status');
  return {
    service,
    kind,
    ...(action !== undefined ? { action } : {}),
    ...(principal.present ? { principalArn: refToArn(principal, principals) } : {}),
    ...(ms !== undefined ? { ms } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(times !== undefined ? { times } : {}),
  };
}
