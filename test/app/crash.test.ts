/**
 * kill -9 of a running bot, for real: a child process (crash-child.ts) runs the 16:15 close through the real
 * scheduler on Redis and is SIGKILLed mid-job; a bot composed again on the same Redis (the restart) makes up
 * for the close (scheduler catch-up) and the day gets its diary, saved and posted. The dead process's run lock
 * and outbox claim expire 30 s after its last renewal; the test deletes them instead of waiting ("as if the
 * TTL had run out"), and checks first that the restart does wait for the lock.
 *
 * It reports the duplicates a kill that lands mid-send leaves (Discord accepted the diary, the store had not
 * recorded it): with the nonce Discord answers the resend with the message it has; without one (this bot
 * before the nonce), each POST was a message. Telegram has no idempotency key: there it stays one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeBot } from '../../src/app/bot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { RedisStore } from '../../src/store/redis.ts';
import { startDiscordRecorder, type DiscordRecorder } from '../support/discord-recorder.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { startTelegramRecorder, type TelegramRecorder } from '../support/telegram-recorder.ts';
import type { CrashChildOptions } from './crash-child.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const CLOSE = '2020-03-12T20:15:00.000Z'; // 16:15 EDT on the replayed day
const CHANNEL = '111111111111111111';
const CHAT = '-1001234567890';
const DIARY = '2020-03-12.md';

/** Run the child and SIGKILL it on "ready", or when `killWhen` resolves. Rejects if it exits by itself. */
function runUntilKilled(prefix: string, opts: CrashChildOptions, killWhen?: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, prefix, JSON.stringify(opts)], {
      env: { ...process.env, REDIS_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.split('\n').includes('ready')) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    void killWhen?.then(() => child.kill('SIGKILL'));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${out} ${stderr}`))));
  });
}

describe.skipIf(skipRedis)('kill -9 during the close, then a restart', () => {
  let prefix: string;
  let diaryDir: string;
  let discord: DiscordRecorder;
  let telegram: TelegramRecorder;
  beforeEach(async () => {
    prefix = uniquePrefix();
    diaryDir = mkdtempSync(join(tmpdir(), 'hx-crash-'));
    [discord, telegram] = await Promise.all([startDiscordRecorder(), startTelegramRecorder()]);
  });
  afterEach(async () => {
    await Promise.all([discord.close(), telegram.close()]);
    await deleteKeys(prefix);
    rmSync(diaryDir, { recursive: true, force: true });
  });

  const env = (platform: 'discord' | 'telegram'): Record<string, string> => ({
    MARKET_DATA: 'replay',
    REPLAY_DATE: '2020-03-12',
    DIARY_DIR: diaryDir,
    ...(platform === 'discord'
      ? { DISCORD_TOKEN: 'FAKE.discord-token.for-tests', DISCORD_APP_ID: '900000000000000001', DISCORD_ALERT_CHANNEL_IDS: CHANNEL, DISCORD_API_ROOT: discord.api }
      : { TELEGRAM_BOT_TOKEN: '123456:SECRET-token_value_abcdefghij', TELEGRAM_ALERT_CHAT_IDS: CHAT, TELEGRAM_API_ROOT: telegram.apiRoot }),
  });

  /** The restarted bot: it waits for the dead run lock, then makes up for the close. */
  async function restart(platform: 'discord' | 'telegram'): Promise<void> {
    const store = new RedisStore(REDIS_URL, { keyPrefix: prefix });
    await store.connect();
    const now = new Date(Date.parse(CLOSE) + 60_000);
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const bot = await composeBot(loadConfig(env(platform)), { store, now: () => now, instanceId: 'restarted', logger: quiet });
    try {
      expect(await bot.scheduler.catchUp()).toEqual({ close: 'still-running' }); // the dead process's lock, for up to 30 s
      await deleteKeys(`${prefix}hx:sched:close:running`); // as if its TTL had run out
      await deleteKeys(`${prefix}hx:outbox:claim:`); // the dead sender's claim: the same
      expect(await bot.scheduler.catchUp()).toEqual({ close: 'ran' });
      expect(await bot.scheduler.catchUp()).toEqual({}); // done: nothing left to make up for
    } finally {
      await bot.close();
    }
  }

  const diaryPosts = () => discord.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${CHANNEL}/messages`);

  it('should write and post the diary when the close was killed before it saved it', async () => {
    // Killed while the close records the day's equity point: the book is marked, no diary exists yet.
    await runUntilKilled(prefix, { env: env('discord'), nowIso: CLOSE, block: ':equity' });
    expect(existsSync(join(diaryDir, DIARY))).toBe(false);
    expect(diaryPosts()).toEqual([]);
    await restart('discord');
    expect(readFileSync(join(diaryDir, DIARY), 'utf8')).toMatch(/^# Trading Diary - March 12, 2020\n/);
    const created = discord.created.get(CHANNEL) ?? [];
    expect(created.length).toBeGreaterThan(0);
    expect(created.length).toBe(diaryPosts().length); // posted once
  }, 60_000);

  it('should leave no duplicate on Discord after a kill mid-send, where each POST would have been one without the nonce', async () => {
    const hold = discord.hold();
    await runUntilKilled(prefix, { env: env('discord'), nowIso: CLOSE }, hold.received);
    hold.release(); // to a dead socket
    await restart('discord');
    const posts = diaryPosts();
    const parts = new Set(posts.map((r) => (r.body as { nonce: string }).nonce)).size;
    const created = discord.created.get(CHANNEL) ?? [];
    const withNonce = created.length - parts;
    const withoutNonce = posts.length - parts;
    console.info(`kill -9 mid-send of the diary, Discord: ${withNonce} duplicate(s) per kill with the nonce, ${withoutNonce} without`);
    expect([withNonce, withoutNonce]).toEqual([0, 1]);
    expect(existsSync(join(diaryDir, DIARY))).toBe(true);
  }, 60_000);

  it('should resend on Telegram what a kill mid-send left unrecorded: the one duplicate left', async () => {
    const hold = telegram.hold();
    await runUntilKilled(prefix, { env: env('telegram'), nowIso: CLOSE }, hold.received);
    hold.release();
    await restart('telegram');
    // The diary's texts, and its chart (a photo captioned with the diary, or with the chart's alt after the text).
    const texts = telegram.calls.filter((c) => c.method === 'sendMessage' || c.method === 'sendPhoto').map((c) => String(c.body.text ?? c.body.caption));
    const duplicates = texts.length - new Set(texts).size;
    console.info(`kill -9 mid-send of the diary, Telegram: ${duplicates} duplicate(s) per kill (no idempotency key on Telegram)`);
    expect(duplicates).toBe(1);
    expect(texts[0]).toMatch(/Diary/);
  }, 60_000);
});
