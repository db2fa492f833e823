import type { Check } from '../../src/core/types.js';
import notActive from './not-active.js';
import notFound from './not-found.js';

/** cluster/* checks (reachability stage), in check-catalog.md order. */
export const CLUSTER_CHECKS: readonly Check[] = [notFound, notActive];
