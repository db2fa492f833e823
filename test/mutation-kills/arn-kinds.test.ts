import { describe, expect, test } from 'vitest';
import { canonicalizeArn } from '../../src/model/arn.js';

// The kind of principal decides which aws-auth block and which template values apply: a wrong kind is a
// wrong answer even when the canonical ARN text is right.
describe('canonicalizeArn: the kind of principal', () => {
  test.each([
    ['arn:aws:iam::123456789012:user/Alice', 'user'],
    ['arn:aws:iam::123456789012:role/Admin', 'role'],
    ['arn:aws:sts::123456789012:assumed-role/Admin/s', 'role'],
    ['arn:aws:sts::123456789012:federated-user/Bob', 'federated-user'],
    ['arn:aws:iam::123456789012:root', 'root'],
  ])('%s is a %s', (arn, kind) => {
    expect(canonicalizeArn(arn)).toMatchObject({
      ok: true,
      value: { kind, accountId: '123456789012', partition: 'aws' },
    });
  });

  test.each([
    ['arn:aws:iam::123456789012:user', 'unrecognized resource user for service iam'],
    ['arn:aws:iam::123456789012:role', 'unrecognized resource role for service iam'],
    ['arn:aws:sts::123456789012:session/x', 'unrecognized resource session/x for service sts'],
    ['arn:aws:iam::123456789012', "arn 'arn:aws:iam::123456789012' is invalid: 'arn: not enough sections'"],
  ])('%s is refused: %s', (arn, error) => {
    expect(canonicalizeArn(arn)).toEqual({ ok: false, error });
  });
});
