import type { Check } from '../../src/core/types.js';
import fargateRoleUnmapped from './fargate-role-unmapped.js';
import nodeRoleUnmapped from './node-role-unmapped.js';
import sharedNodeRole from './shared-node-role.js';
import usernameTemplate from './username-template.js';

/** nodes/* checks in check-catalog.md order. */
export const NODES_CHECKS: readonly Check[] = [nodeRoleUnmapped, sharedNodeRole, usernameTemplate, fargateRoleUnmapped];
