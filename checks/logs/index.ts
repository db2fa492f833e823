import type { Check } from '../../src/core/types.js';
import authenticatorDisagrees from './authenticator-disagrees.js';

/** logs/* checks (authentication stage): what EKS's own control-plane logs say against the model. */
export const LOGS_CHECKS: readonly Check[] = [authenticatorDisagrees];
