/**
 * `npm run check:prod`: the build runs from a clean copy with production dependencies only, as in the Docker
 * image's runtime stage (no Docker engine is needed to check that). Builds dist/, copies what the Dockerfile's
 * runtime stage copies into a temporary folder, runs `npm ci --omit=dev` there, then:
 * - `node dist/src/app/cli.js demo` exits 0 and prints the demo;
 * - `node bin/hundredx.js regime` (the package's bin, which must pick dist/ without tsx) exits 0;
 * - `node dist/src/app/main.js` (the image's CMD) starts on replay with no tokens and stops cleanly on SIGTERM.
 * Prints the size of the production node_modules (the image size estimate in the README adds node:24-slim).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** What the Dockerfile's runtime stage copies; test/scripts/docker.test.ts checks the two lists agree. */
export const RUNTIME_FILES = ['package.json', 'package-lock.json', 'dist', 'bin', 'data/bars', 'data/universe', 'data/options', '.env.example'];
const START_TIMEOUT_MS = 60_000;

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** A clean environment: what a container gets, not this shell's REDIS_URL or tokens. */
const baseEnv = { PATH: process.env.PATH ?? '', HOME: tmpdir(), NODE_ENV: 'production' };

/** Run the app with the clean environment plus `env`. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  return execFileSync(cmd, args, { cwd, env: { ...baseEnv, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run npm with this shell's environment: its registry, proxy and certificate settings. */
function runNpm(args: string[], cwd: string): void {
  execFileSync(npm, args, { cwd, env: process.env, stdio: ['ignore', 'ignore', 'inherit'] });
}

function check(ok: boolean, what: string, detail = ''): void {
  if (!ok) throw new Error(`check:prod: ${what}${detail ? `\n${detail}` : ''}`);
  process.stdout.write(`ok   ${what}\n`);
}

/** Start the bot, wait for its start-up line, send SIGTERM, and resolve with its exit code and output. */
function startAndStop(cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['dist/src/app/main.js'], { cwd, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stopping = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`check:prod: the bot did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!stopping && output.includes('hundredx started')) {
        stopping = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/** The whole check; throws on the first failure. */
async function checkProd(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'hundredx-prod-'));
  try {
    runNpm(['run', 'build', '--silent'], root);
    check(true, 'npm run build');
    for (const path of RUNTIME_FILES) cpSync(join(root, path), join(work, path), { recursive: true });
    runNpm(['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], work);
    check(true, `npm ci --omit=dev in ${work}`);

    const demo = run(process.execPath, ['dist/src/app/cli.js', 'demo'], work);
    check(demo.includes('hundredx demo: one cycle on recorded data as of 2020-03-12') && demo.includes('ACCEPTED'), 'node dist/src/app/cli.js demo exits 0 with the demo', demo);

    // resvg skips a missing font in silence: check the compiled charts find theirs (the build copies them).
    const fonts = run(process.execPath, ['--input-type=module', '-e', "const { existsSync } = await import('node:fs'); const { FONT_FILES } = await import('./dist/src/charts/png.js'); console.log(FONT_FILES.every((f) => existsSync(f)))"], work);
    check(fonts.trim() === 'true', 'the compiled charts find their fonts (dist/src/charts/fonts)', fonts);

    const regime = run(process.execPath, ['bin/hundredx.js', 'regime'], work, { MARKET_DATA: 'replay' });
    check(regime.includes('Regime: BEARISH'), 'node bin/hundredx.js regime (the bin, without tsx) exits 0', regime);

    const bot = await startAndStop(work, { MARKET_DATA: 'replay', STATE_FILE: join(work, 'data/state/check.json'), DIARY_DIR: join(work, 'diary') });
    check(bot.code === 0 && bot.output.includes('stopped'), 'node dist/src/app/main.js starts on replay and stops on SIGTERM with exit 0', bot.output);

    const kb = Number(run('du', ['-sk', 'node_modules'], work).split(/\s+/)[0]);
    process.stdout.write(`production node_modules: ${(kb / 1024).toFixed(1)} MB (du -sk); dist: ${run('du', ['-sh', 'dist'], work).split(/\s+/)[0]}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await checkProd();
