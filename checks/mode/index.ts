import type { Check } from '../../src/core/types.js';
import apiIgnoresAwsAuth from './api-ignores-aws-auth.js';
import configMapOnly from './config-map-only.js';
import entryShadowsAwsAuth from './entry-shadows-aws-auth.js';

/** mode/* checks in check-catalog.md order. */
export const MODE_CHECKS: readonly Check[] = [apiIgnoresAwsAuth, configMapOnly, entryShadowsAwsAuth];
