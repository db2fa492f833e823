import type { Check } from '../../src/core/types.js';
import invalidShape from './invalid-shape.js';
import noPermissions from './no-permissions.js';
import policyScope from './policy-scope.js';
import sessionNameTemplate from './session-name-template.js';
import stalePrincipal from './stale-principal.js';

/** access-entry/* checks in check-catalog.md order. */
export const ACCESS_ENTRY_CHECKS: readonly Check[] = [
  noPermissions,
  invalidShape,
  policyScope,
  stalePrincipal,
  sessionNameTemplate,
];
