// `node --import ./test/support/record-packages.mjs ...`: at exit, prints to stderr one line
// "packages: a,b,c" naming every package under node_modules that the process loaded (test/app/lazy-imports.test.ts).
import { registerHooks } from 'node:module';

const packages = new Set();
registerHooks({
  load(url, context, nextLoad) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
    if (name) packages.add(name);
    return nextLoad(url, context);
  },
});
process.on('exit', () => process.stderr.write(`packages: ${[...packages].sort().join(',')}\n`));
