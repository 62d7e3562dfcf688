/**
 * The `hundredx` entry (bin/hundredx.js, `node dist/src/app/cli.js`): settings from the environment and
 * `.env`, then the CLI app (cli-app.ts) with this process' streams; the exit code is the command's.
 *
 * Start-up time is most of a CLI command's time, so the app is imported only after Node's compile cache is
 * on (compiled code kept under os.tmpdir(), or NODE_COMPILE_CACHE): a later start skips most compiling.
 * Static imports would be loaded before that line runs, hence the dynamic import.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('dotenv/config');
const { runHundredx } = await import('./cli-app.ts');
process.exitCode = await runHundredx(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  isTTY: process.stderr.isTTY === true,
});
