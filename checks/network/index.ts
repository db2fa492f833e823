import type { Check } from '../../src/core/types.js';
import endpointUnreachable from './endpoint-unreachable.js';
import proxyRefused from './proxy-refused.js';
import tlsUntrusted from './tls-untrusted.js';

/** network/* checks (reachability stage), in check-catalog.md order. */
export const NETWORK_CHECKS: readonly Check[] = [proxyRefused, endpointUnreachable, tlsUntrusted];
