#!/usr/bin/env node
// In a checkout (tsx installed: a devDependency) run the TypeScript CLI through tsx's loader, so
// `npx hundredx ...` works right after `npm ci`. Without tsx (`npm ci --omit=dev`, the Docker image) run
// the build (`npm run build` -> dist/).
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
}
if (register) {
  register();
  await import('../src/app/cli.ts');
} else {
  await import('../dist/src/app/cli.js');
}
