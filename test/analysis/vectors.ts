/**
 * The external reference vectors (test/fixtures/vectors/quant-reference.json; see SOURCE.md there),
 * loaded once for the analysis tests. Typed loosely: each test names the fields it reads.
 */
import { readFileSync } from 'node:fs';

const path = new URL('../fixtures/vectors/quant-reference.json', import.meta.url);

export const vectors: any = JSON.parse(readFileSync(path, 'utf8'));
