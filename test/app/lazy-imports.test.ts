/**
 * Heavy client libraries load only when the configuration uses them: `hundredx regime` on replay, and a bot
 * with no chat platform and no Redis, load none of them. Run in a child process (the suite shares one module
 * graph), with a hook that names every package loaded.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const HEAVY = ['yahoo-finance2', '@polygon.io/client-js', 'ioredis', 'discord.js', 'telegraf', '@resvg/resvg-js'];

async function packagesLoaded(args: string[], env: Record<string, string>): Promise<string[]> {
  const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', './test/support/record-packages.mjs', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  const line = stderr.split('\n').find((l) => l.startsWith('packages: '));
  return line ? line.slice('packages: '.length).split(',') : [];
}

describe('start-up loads only the clients the configuration uses', () => {
  it('GIVEN hundredx regime on replay THEN no data, store or chat client is loaded', async () => {
    const loaded = await packagesLoaded(['src/app/cli.ts', 'regime'], { MARKET_DATA: 'replay' });
    expect(loaded).toContain('zod');
    expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('GIVEN MARKET_DATA=yahoo THEN yahoo-finance2 is loaded, and still nothing else', async () => {
    // Its own state file (SQLite without Redis): never the checkout's data/state.
    const stateDb = join(mkdtempSync(join(tmpdir(), 'hx-lazy-')), 'state.db');
    const script = `const { createRuntime } = await import('./src/app/runtime.ts'); const { loadConfig } = await import('./src/config/config.ts'); const rt = await createRuntime(loadConfig({ MARKET_DATA: 'yahoo', STATE_DB: ${JSON.stringify(stateDb)} })); await rt.close();`;
    const loaded = await packagesLoaded(['--input-type=module', '-e', script], {});
    expect(loaded.filter((p) => HEAVY.includes(p))).toEqual(['yahoo-finance2']);
  });

  it('GIVEN a bot with no chat platform and no Redis THEN neither discord.js nor telegraf nor ioredis is loaded', async () => {
    const script = "const { composeBot } = await import('./src/app/bot.ts'); const { loadConfig } = await import('./src/config/config.ts'); const { MemoryStore } = await import('./src/store/memory.ts'); const bot = await composeBot(loadConfig({ MARKET_DATA: 'replay' }), { store: new MemoryStore() }); await bot.close();";
    const loaded = await packagesLoaded(['--input-type=module', '-e', script], {});
    expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
  });
});
