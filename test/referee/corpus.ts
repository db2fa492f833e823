import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RefereeAnswer, RefereeRequest } from './referee-client.js';

const CORPUS_DIR = join(import.meta.dirname, 'corpus');

export interface CorpusCase {
  name: string;
  why: string;
  request: RefereeRequest;
  referee: RefereeAnswer;
}

/** Every divergence the referee found, with the answer the Go referee gave, committed. */
export const corpus: CorpusCase[] = readdirSync(CORPUS_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, ...(JSON.parse(readFileSync(join(CORPUS_DIR, name), 'utf8')) as Omit<CorpusCase, 'name'>) }));
