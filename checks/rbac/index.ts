import type { Check } from '../../src/core/types.js';
import eksSystemBindings from './eks-system-bindings.js';
import forbidden from './forbidden.js';
import groupUnbound from './group-unbound.js';

/** rbac/* checks in check-catalog.md order. */
export const RBAC_CHECKS: readonly Check[] = [forbidden, groupUnbound, eksSystemBindings];
