#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader so `npx hundredx ...` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/app/cli.ts');
