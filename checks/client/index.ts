import type { Check } from '../../src/core/types.js';
import anonymous from './anonymous.js';
import execApiVersion from './exec-api-version.js';
import execNotFound from './exec-not-found.js';
import staleKubeconfig from './stale-kubeconfig.js';

/** client/* checks (all of the client stage), in check-catalog.md order. */
export const CLIENT_CHECKS: readonly Check[] = [execApiVersion, execNotFound, staleKubeconfig, anonymous];
