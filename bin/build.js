#!/usr/bin/env node
// `npm run build`: TypeScript to dist/ (tsconfig.build.json), then the files that compiled modules read beside
// themselves (through import.meta.url) and tsc does not copy: without them the build runs, but a chart's PNG
// would have no text (resvg skips a missing font file in silence).
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
/** Folders under src/ read at run time next to the module that reads them. */
export const ASSETS = ['src/charts/fonts'];

// By path: TypeScript 7's package exports do not list its bin.
const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', root));
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
for (const dir of ASSETS) cpSync(new URL(dir, root), new URL(`dist/${dir}`, root), { recursive: true });
