import { AuthenticationMode } from '@aws-sdk/client-eks';
import { expect, it } from 'vitest';
import { AUTHENTICATION_MODES } from '../../src/model/evidence.js';

it('the authentication modes are exactly the EKS API enum (AWS SDK for JavaScript v3)', () => {
  expect([...AUTHENTICATION_MODES].sort()).toEqual(Object.values(AuthenticationMode).sort());
});
