import type { Check } from '../../src/core/types.js';
import roleArnHasPath from './role-arn-has-path.js';

/** aws-auth/* checks in check-catalog.md order. */
export const AWS_AUTH_CHECKS: readonly Check[] = [roleArnHasPath];
