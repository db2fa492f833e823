import type { Check } from '../src/core/types.js';
import { AWS_AUTH_CHECKS } from './aws-auth/index.js';
import { IDENTITY_AUTHENTICATION_CHECKS, IDENTITY_CLIENT_CHECKS } from './identity/index.js';

/**
 * The registry, in the order of check-catalog.md: stage by stage, and within the authentication
 * stage identity/*, mode/*, access-entry/*, aws-auth/*, nodes/*. That order decides which of two
 * errors is named the root cause, so keep it. Each area keeps its own list in checks/<area>/index.ts.
 */
export const CHECKS: readonly Check[] = [
  ...IDENTITY_CLIENT_CHECKS,
  ...IDENTITY_AUTHENTICATION_CHECKS,
  ...AWS_AUTH_CHECKS,
];
