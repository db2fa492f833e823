import type { Check } from '../../src/core/types.js';
import accountMismatch from './account-mismatch.js';
import assumeRoleDenied from './assume-role-denied.js';
import creatorBootstrapOff from './creator-bootstrap-off.js';
import creatorRecreated from './creator-recreated.js';
import credentialsExpired from './credentials-expired.js';
import credentialsInvalid from './credentials-invalid.js';
import credentialsMissing from './credentials-missing.js';
import execIdentityDiffers from './exec-identity-differs.js';
import principalNotMapped from './principal-not-mapped.js';
import unexpectedCredentialSource from './unexpected-credential-source.js';

/** identity/* checks of the client stage, in check-catalog.md order. */
export const IDENTITY_CLIENT_CHECKS: readonly Check[] = [
  credentialsMissing,
  credentialsExpired,
  credentialsInvalid,
  assumeRoleDenied,
  execIdentityDiffers,
  unexpectedCredentialSource,
  accountMismatch,
];

/** identity/* checks of the authentication stage, in check-catalog.md order. */
export const IDENTITY_AUTHENTICATION_CHECKS: readonly Check[] = [
  principalNotMapped,
  creatorRecreated,
  creatorBootstrapOff,
];
