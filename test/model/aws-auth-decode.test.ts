import { describe, expect, it } from 'vitest';
import type { AwsAuth } from '../../src/model/aws-auth/types.js';
import { awsAuthFrom } from '../helpers/evidence.js';

// Rows decoded as Go's encoding/json decodes into config.RoleMapping (corrections-turn-2.md §4):
// `null` leaves a string field as it was and sets a slice or a pointer to nil; a null slice element
// is no error and keeps what an earlier spelling put there; a wrong type for the `sso` pointer is a
// type error that leaves an already-allocated struct as it was.

const ROLE = 'arn:aws:iam::111122223333:role/Admin';
const configMap = (mapRoles: string): AwsAuth => {
  const read = awsAuthFrom({ mapRoles });
  if (read?.state !== 'present') throw new Error('not present');
  return read.configMap;
};

describe('null and wrong types in a row', () => {
  it('username: null after Username: keeps the earlier spelling (null is ignored for a string)', () => {
    const rows = configMap(`- rolearn: ${ROLE}\n  Username: first\n  username: null\n`).roleRows;
    expect(rows.map((r) => r.username)).toEqual(['first']);
    expect(rows[0]?.keys).toEqual(['Username', 'rolearn']);
  });

  it('a null group is no type error and reads as ""', () => {
    const map = configMap(`- rolearn: ${ROLE}\n  groups: [a, null, b]\n`);
    expect(map.roleRows[0]?.groups).toEqual(['a', '', 'b']);
    expect(map.blocks.mapRoles.diagnostics).toEqual([]);
  });

  it('groups: null empties the list', () => {
    expect(configMap(`- rolearn: ${ROLE}\n  Groups: [a]\n  groups: null\n`).roleRows[0]?.groups).toEqual([]);
  });

  it('sso: null is no matcher: the rolearn row stands', () => {
    const map = configMap(`- rolearn: ${ROLE}\n  sso: null\n  username: u\n`);
    expect(map.roleRows[0]?.sso).toBeUndefined();
    expect(map.roleRows[0]?.droppedBecause).toBeUndefined();
  });

  it('sso given a string after an object: a type error, and the struct keeps what the object set', () => {
    const map = configMap(`- SSO: {permissionSetName: Admin, accountID: "111122223333"}\n  sso: x\n  username: u\n`);
    expect(map.roleRows[0]?.sso).toEqual({ permissionSetName: 'Admin', accountID: '111122223333', partition: '' });
    expect(map.blocks.mapRoles.diagnostics.map((d) => d.kind)).toEqual(['type-error']);
  });

  it('sso given only a string: a type error, and an empty struct is allocated (so rolearn plus sso is refused)', () => {
    const map = configMap(`- rolearn: ${ROLE}\n  sso: x\n  username: u\n`);
    expect(map.roleRows[0]?.sso).toEqual({ permissionSetName: '', accountID: '', partition: '' });
    expect(map.blocks.mapRoles.diagnostics.map((d) => d.kind)).toEqual(['type-error', 'validation']);
    expect(map.roleRows[0]?.droppedBecause).toBe('only one of rolearn or SSO can be supplied');
  });
});
