import type { Check } from '../../src/core/types.js';
import clockSkew from './clock-skew.js';
import clusterIdMismatch from './cluster-id-mismatch.js';
import clusterIdNotSigned from './cluster-id-not-signed.js';
import expired from './expired.js';
import malformed from './malformed.js';
import stsEndpoint from './sts-endpoint.js';
import wrongStsHost from './wrong-sts-host.js';

/** token/* checks, in check-catalog.md order (all of the token stage). */
export const TOKEN_CHECKS: readonly Check[] = [
  malformed,
  wrongStsHost,
  clusterIdNotSigned,
  expired,
  clusterIdMismatch,
  clockSkew,
  stsEndpoint,
];
