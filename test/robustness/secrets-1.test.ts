import { secretsSuite } from './secrets-suite.js';

// Shard 1 of 3 of the secrets suite (see secrets-suite.ts).
secretsSuite(0, 3);
