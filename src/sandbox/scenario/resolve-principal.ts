import { parseArn } from '../../model/arn.js';
import type { Partition } from '../../model/partitions.js';
import { stableId, stableSecret } from '../ids.js';
import type { Node } from './reader.js';
import type { ScenarioPrincipal } from './types.js';

/** Principals without a createDate were made long ago: a fixed date keeps ids and outputs stable. */
const DEFAULT_DATE = new Date('2024-03-14T15:31:44Z');

const PRINCIPAL_KEYS = [
  'id',
  'type',
  'name',
  'account',
  'path',
  'uniqueId',
  'createDate',
  'accessKeys',
  'trust',
  'sessionName',
  'sessionSeconds',
  'maxSessionDuration',
] as const;

export function readPrincipal(node: Node, accountOf: (n: Node) => string): ScenarioPrincipal {
  node.only(PRINCIPAL_KEYS);
  const type = node.field('type').oneOf(['role', 'user'] as const);
  const name = node.field('name').string();
  if (!/^[\w+=,.@-]{1,64}$/.test(name))
    node
      .field('name')
      .fail(`"${name}" is not an IAM name (1-64 of letters, digits and +=,.@_-; the path goes in 'path')`);
  const accountId = accountOf(node.field('account'));
  const path = node.field('path').string('/');
  if (!path.startsWith('/') || !path.endsWith('/'))
    node.field('path').fail(`an IAM path starts and ends with '/' (got "${path}")`);
  const partition: Partition = 'aws';
  const arn = `arn:${partition}:iam::${accountId}:${type}${path}${name}`;
  const uniqueId = node.field('uniqueId').string(stableId(type === 'role' ? 'AROA' : 'AIDA', arn, 17));
  const keys = node
    .field('accessKeys')
    .items()
    .map((k) => {
      k.only(['id', 'secret']);
      return { accessKeyId: k.field('id').string(), secretAccessKey: k.field('secret').string() };
    });
  if (type === 'role' && keys.length > 0)
    node.field('accessKeys').fail('roles have no access keys: they get session credentials');
  const accessKeys =
    type === 'user' && keys.length === 0
      ? [{ accessKeyId: stableId('AKIA', arn, 16), secretAccessKey: stableSecret(arn) }]
      : keys;
  return {
    id: node.field('id').string(name),
    type,
    name,
    accountId,
    partition,
    path,
    arn,
    uniqueId,
    createDate: node.field('createDate').date(DEFAULT_DATE),
    accessKeys,
    trustedPrincipals: [],
    sessionName: node.field('sessionName').string('eksauth-sandbox'),
    sessionSeconds: node.field('sessionSeconds').number(12 * 3600),
    maxSessionDuration: node.field('maxSessionDuration').number(3600),
  };
}

/** A reference is a principal id from this scenario or a literal ARN. */
export function refToArn(node: Node, principals: ScenarioPrincipal[]): string {
  const value = node.string();
  if (value.startsWith('arn:')) {
    if (!parseArn(value).ok) node.fail(`"${value}" is not an ARN`);
    return value;
  }
  const principal = principals.find((p) => p.id === value);
  if (!principal)
    node.fail(
      `no principal '${value}' (known: ${principals.map((p) => p.id).join(', ') || 'none'}); use a full ARN for principals outside the scenario`,
    );
  return principal.arn;
}
