import { describe, expect, test } from 'vitest';
import {
  defaultEntryUsername,
  describePolicy,
  effectiveEntryGroups,
  effectiveEntryUsername,
  entryMatchesPrincipal,
  isClusterAdminPolicy,
  isNodeEntryType,
  normaliseEntryType,
  policyName,
} from '../../src/model/access-entries.js';
import type { AssociatedAccessPolicy } from '../../src/model/evidence.js';
import { ACCOUNT, entry, principal } from '../helpers/evidence.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const POLICY = 'arn:aws:eks::aws:cluster-access-policy/';
const policy = (name: string, namespaces?: string[]): AssociatedAccessPolicy => ({
  policyArn: POLICY + name,
  accessScope: namespaces ? { type: 'namespace', namespaces } : { type: 'cluster', namespaces: [] },
});

describe('access entry types', () => {
  test('types compare case-insensitively; no type is STANDARD', () => {
    expect(normaliseEntryType('ec2_Linux')).toBe('EC2_LINUX');
    expect(normaliseEntryType(undefined)).toBe('STANDARD');
  });

  test.each(['EC2_LINUX', 'EC2_WINDOWS', 'EC2', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX', 'ec2_linux'])(
    '%s is a node type',
    (type) => expect(isNodeEntryType(type)).toBe(true),
  );
  test.each(['STANDARD', undefined, 'EC2_MAC', ''])('%s is not a node type', (type) =>
    expect(isNodeEntryType(type)).toBe(false),
  );
});

describe('default usernames (grant-k8s-access.adoc)', () => {
  test.each([
    ['EC2_LINUX', 'system:node:{{EC2PrivateDNSName}}'],
    ['EC2_WINDOWS', 'system:node:{{EC2PrivateDNSName}}'],
    ['EC2', 'system:node:{{EC2PrivateDNSName}}'],
    ['FARGATE_LINUX', 'system:node:{{SessionName}}'],
    ['HYBRID_LINUX', 'system:node:{{SessionName}}'],
    ['HYPERPOD_LINUX', 'system:node:{{SessionName}}'],
  ])('%s → %s', (type, username) => {
    expect(defaultEntryUsername(entry(`arn:aws:iam::${ACCOUNT}:role/Node`, { type }))).toBe(username);
  });

  test('a STANDARD role entry: its assumed-role session ARN, path dropped, partition kept', () => {
    expect(defaultEntryUsername(entry(`arn:aws-cn:iam::${ACCOUNT}:role/team/Dev`))).toBe(
      `arn:aws-cn:sts::${ACCOUNT}:assumed-role/Dev/{{SessionName}}`,
    );
  });

  test('a user entry, or an ARN that does not parse: the ARN itself', () => {
    expect(defaultEntryUsername(entry(`arn:aws:iam::${ACCOUNT}:user/alice`))).toBe(
      `arn:aws:iam::${ACCOUNT}:user/alice`,
    );
    expect(defaultEntryUsername(entry('not-an-arn'))).toBe('not-an-arn');
  });

  test('a custom username wins; an empty one does not', () => {
    expect(effectiveEntryUsername(entry(ROLE, { username: 'ops' }))).toBe('ops');
    expect(effectiveEntryUsername(entry(ROLE, { username: '' }))).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/{{SessionName}}`,
    );
  });
});

describe('groups', () => {
  test('a node entry without groups gets system:nodes; with groups, its own', () => {
    expect(effectiveEntryGroups(entry(ROLE, { type: 'EC2_LINUX' }))).toEqual(['system:nodes']);
    expect(effectiveEntryGroups(entry(ROLE, { type: 'EC2_LINUX', kubernetesGroups: ['a'] }))).toEqual(['a']);
    expect(effectiveEntryGroups(entry(ROLE))).toEqual([]);
  });
});

describe('matching and policies', () => {
  test('an entry with a path matches the session of the role; another role does not', () => {
    const alice = principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`);
    expect(entryMatchesPrincipal(entry(`arn:aws:iam::${ACCOUNT}:role/team/Admin`), alice)).toBe(true);
    expect(entryMatchesPrincipal(entry(`arn:aws:iam::${ACCOUNT}:role/Admins`), alice)).toBe(false);
  });

  test('policy names and scopes', () => {
    expect(policyName(POLICY + 'AmazonEKSViewPolicy')).toBe('AmazonEKSViewPolicy');
    expect(describePolicy(policy('AmazonEKSViewPolicy'))).toBe('AmazonEKSViewPolicy (cluster-wide)');
    expect(describePolicy(policy('AmazonEKSEditPolicy', ['a', 'b']))).toBe('AmazonEKSEditPolicy (namespaces a, b)');
    expect(describePolicy(policy('AmazonEKSEditPolicy', []))).toBe('AmazonEKSEditPolicy (namespaces (none))');
  });

  test('cluster-admin only cluster-wide', () => {
    expect(isClusterAdminPolicy(policy('AmazonEKSClusterAdminPolicy'))).toBe(true);
    expect(isClusterAdminPolicy(policy('AmazonEKSClusterAdminPolicy', ['default']))).toBe(false);
    expect(isClusterAdminPolicy(policy('AmazonEKSAdminPolicy'))).toBe(false);
  });
});
