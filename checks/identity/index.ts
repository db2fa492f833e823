import type { Check } from '../../src/core/types.js';
import accountMismatch from './account-mismatch.js';
import creatorBootstrapOff from './creator-bootstrap-off.js';
import principalNotMapped from './principal-not-mapped.js';

/** identity/* checks of the client stage, in check-catalog.md order. */
export const IDENTITY_CLIENT_CHECKS: readonly Check[] = [accountMismatch];

/** identity/* checks of the authentication stage, in check-catalog.md order. */
export const IDENTITY_AUTHENTICATION_CHECKS: readonly Check[] = [principalNotMapped, creatorBootstrapOff];
