import { secretsSuite } from './secrets-suite.js';

// Shard 2 of 3 of the secrets suite (see secrets-suite.ts).
secretsSuite(1, 3);
