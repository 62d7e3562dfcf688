#!/usr/bin/env node
// `npm start` runs the compiled bot (dist/). In a checkout with the dev tools (TypeScript) it builds
// first, so a `git pull` never starts yesterday's build; in a production install (npm ci --omit=dev, the
// Docker image) it runs the build that is already there.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
// By path: TypeScript 7's package exports do not list its bin. Absent in a production install.
const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', root));
if (existsSync(tsc)) {
  execFileSync(process.execPath, [fileURLToPath(new URL('build.js', import.meta.url))], { cwd: root, stdio: 'inherit' });
} else if (!existsSync(new URL('dist/src/app/main.js', root))) {
  process.stderr.write('hundredx: no build in dist/ and no TypeScript to make one: run `npm ci && npm run build` first.\n');
  process.exit(1);
}
