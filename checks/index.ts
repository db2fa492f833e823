import type { Check } from '../src/core/types.js';
import { ACCESS_ENTRY_CHECKS } from './access-entry/index.js';
import { AWS_AUTH_CHECKS } from './aws-auth/index.js';
import { CLIENT_CHECKS } from './client/index.js';
import { CLUSTER_CHECKS } from './cluster/index.js';
import { IDENTITY_AUTHENTICATION_CHECKS, IDENTITY_CLIENT_CHECKS } from './identity/index.js';
import { LOGS_CHECKS } from './logs/index.js';
import { MODE_CHECKS } from './mode/index.js';
import { NETWORK_CHECKS } from './network/index.js';
import { NODES_CHECKS } from './nodes/index.js';
import { RBAC_CHECKS } from './rbac/index.js';
import { TOKEN_CHECKS } from './token/index.js';

/**
 * The registry, in the order of check-catalog.md: stage by stage (client, token, reachability,
 * authentication, authorization), and within a stage in catalog order. That order decides which
 * of two errors is named the root cause, so keep it. Each area keeps its list in checks/<area>/index.ts.
 */
export const CHECKS: readonly Check[] = [
  ...IDENTITY_CLIENT_CHECKS,
  ...CLIENT_CHECKS,
  ...TOKEN_CHECKS,
  ...CLUSTER_CHECKS,
  ...NETWORK_CHECKS,
  ...IDENTITY_AUTHENTICATION_CHECKS,
  ...MODE_CHECKS,
  ...ACCESS_ENTRY_CHECKS,
  ...AWS_AUTH_CHECKS,
  ...NODES_CHECKS,
  ...LOGS_CHECKS,
  ...RBAC_CHECKS,
];
