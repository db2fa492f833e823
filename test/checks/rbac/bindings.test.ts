import { describe, expect, test } from 'vitest';
import {
  bindingRef,
  boundGroups,
  boundUsers,
  isBuiltInGroup,
  isGroupBound,
  nearestGroup,
} from '../../../checks/rbac/bindings.js';
import type { RbacBinding } from '../../../src/model/evidence.js';

const crb = (name: string, subjects: RbacBinding['subjects']): RbacBinding => ({
  kind: 'ClusterRoleBinding',
  name,
  roleRef: { kind: 'ClusterRole', name: 'view' },
  subjects,
});
const rb = (name: string, subjects: RbacBinding['subjects'], namespace?: string): RbacBinding => ({
  kind: 'RoleBinding',
  name,
  ...(namespace ? { namespace } : {}),
  roleRef: { kind: 'Role', name: 'r' },
  subjects,
});
const bound = (...names: string[]) => new Map(names.map((n) => [n, [`ClusterRoleBinding/${n}`]]));

describe('rbac/bindings', () => {
  test.each<[string, boolean]>([
    ['system:masters', true],
    ['system:nodes', true],
    ['eks:kube-proxy-windows', true],
    ['system:serviceaccounts', true],
    ['system:serviceaccounts:kube-system', true],
    ['system:serviceaccount:kube-system:default', false],
    ['system:master', false],
    ['developers', false],
  ])('%s is built in: %s', (group, builtIn) => {
    expect(isBuiltInGroup(group)).toBe(builtIn);
  });

  test('subjects are indexed by kind, each with every binding that names it, in order', () => {
    const bindings = [
      crb('a', [
        { kind: 'Group', name: 'devs' },
        { kind: 'User', name: 'alice' },
      ]),
      rb('b', [{ kind: 'Group', name: 'devs' }], 'apps'),
      rb('c', [
        { kind: 'ServiceAccount', name: 'devs' },
        { kind: 'User', name: 'alice' },
      ]),
    ];
    expect([...boundGroups(bindings)]).toEqual([['devs', ['ClusterRoleBinding/a', 'RoleBinding apps/b']]]);
    expect([...boundUsers(bindings)]).toEqual([['alice', ['ClusterRoleBinding/a', 'RoleBinding default/c']]]);
  });

  test('binding references name the kind, and the namespace of a RoleBinding', () => {
    expect(bindingRef(crb('x', []))).toBe('ClusterRoleBinding/x');
    expect(bindingRef(rb('y', [], 'team'))).toBe('RoleBinding team/y');
    expect(bindingRef(rb('z', []))).toBe('RoleBinding default/z');
  });

  test.each<[string, boolean]>([
    ['devs', true],
    ['system:bootstrappers', true],
    ['{{SessionName}}-team', true],
    ['ops', false],
  ])('group %s is bound (devs bound): %s', (group, expected) => {
    expect(isGroupBound(group, bound('devs'))).toBe(expected);
  });

  test.each<[string, string[], string | undefined]>([
    ['Platform_Admins', ['platform-admins'], 'platform-admins'],
    ['developer', ['developers'], 'developers'],
    ['developrs', ['develop', 'developers'], 'developers'],
    ['dev', ['dav'], 'dav'],
    ['dev', ['dxx'], undefined],
    ['dev', ['dev-x'], undefined],
    ['developers', ['developers-x'], 'developers-x'],
    ['abcdefgh', ['abcdefghijk'], undefined],
    ['platform-admin', ['platform-admin-x'], 'platform-admin-x'],
    ['platform-admins', ['platform-users'], undefined],
    ['system:master', ['system:masters'], undefined],
    ['devs', [], undefined],
  ])('the bound group nearest to %s among %j is %s', (group, names, nearest) => {
    expect(nearestGroup(group, bound(...names))).toBe(nearest);
  });
});
