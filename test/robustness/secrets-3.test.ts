import { secretsSuite } from './secrets-suite.js';

// Shard 3 of 3 of the secrets suite (see secrets-suite.ts).
secretsSuite(2, 3);
