import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
describe('config', () => { it('should load defaults', () => { expect(loadConfig({}).accountEquityUsd).toBe(10000); }); });
