import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeBot, type Bot } from '../../src/app/bot.ts';
import { startBotHttp } from '../../src/app/http/bot-http.ts';
import type { HttpServer } from '../../src/app/http/server.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { createTelegramSink } from '../../src/notify/sinks/telegram.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store } from '../../src/store/store.ts';
import { deleteKeys, REDIS_URL, skipRedis, uniquePrefix } from '../support/redis.ts';
import { floodWait, startTelegramRecorder, type TelegramRecorder } from '../support/telegram-recorder.ts';

const TOKEN = '123456:SECRET-token_value_abcdefghij';
const CHAT = '-1001234567890';
// New Year's Day: a holiday every year, so a started scheduler never runs a job during a test.
const NEVER = '0 0 1 1 *';

describe('the bot HTTP server: /healthz and /metrics', () => {
  let recorder: TelegramRecorder;
  let bot: Bot | undefined;
  let server: HttpServer | undefined;
  let logs: string[];
  beforeEach(async () => {
    recorder = await startTelegramRecorder();
    logs = [];
  });
  afterEach(async () => {
    await server?.close();
    await bot?.close();
    await recorder.close();
    [server, bot] = [undefined, undefined];
  });

  async function start(store: Store = new MemoryStore()): Promise<{ bot: Bot; get(path: string): Promise<Response> }> {
    const config = loadConfig({
      MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12', DIGEST_THRESHOLD: '20',
      SCHEDULE_PREMARKET: NEVER, SCHEDULE_INTRADAY: NEVER, SCHEDULE_CLOSE: NEVER,
    });
    const logger = createLogger({ write: (l) => logs.push(l), secrets: [TOKEN] });
    bot = await composeBot(config, {
      store, logger, outbox: { sleep: async () => {} },
      sinks: [createTelegramSink({ token: TOKEN, chatIds: [CHAT], apiRoot: recorder.apiRoot })],
    });
    server = await startBotHttp(bot, { logger, secrets: [TOKEN], listen: { port: 0, host: '127.0.0.1' } });
    const url = server.url;
    return { bot, get: (path) => fetch(`${url}${path}`) };
  }

  it('should answer 200 with every check passing once the scheduler runs and the store answers', async () => {
    const { bot, get } = await start();
    await bot.scheduler.start();
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: { scheduler: { ok: true, detail: 'started' }, store: { ok: true, detail: 'memory answers' } },
    });
    expect(logs.join('')).toMatch(/"msg":"http: http:\/\/127\.0\.0\.1:\d+\/healthz and http:\/\/127\.0\.0\.1:\d+\/metrics"/);
  });

  it('should answer 503 naming the scheduler before it starts', async () => {
    const { get } = await start();
    const res = await get('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'failing', failing: ['scheduler'], checks: { scheduler: { ok: false, detail: 'not started' } } });
  });

  it('should answer 404 for a page that does not exist, the dashboard included while DASHBOARD is off', async () => {
    const { get } = await start();
    expect((await get('/nope')).status).toBe(404);
    for (const path of ['/', '/trades', '/diary', '/alerts']) expect((await get(path)).status, path).toBe(404);
  });

  it('should count one replayed cycle: cycles, tickers, plans, alerts per platform, a retry, the job run and equity', async () => {
    const { bot, get } = await start();
    recorder.reply(floodWait(1)); // the first alert waits out one 429
    const report = await bot.jobs.intraday();
    expect(report.stats).toMatchObject({ scanned: 15, signals: 11, accepted: 5, rejected: 6 }); // MAX_NEW_POSITIONS 5
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const sample = (line: string) => expect(text.split('\n')).toContain(line);
    sample('hundredx_cycles_total 1');
    sample('hundredx_cycle_duration_seconds_count 1');
    sample('hundredx_tickers_scanned_total 15');
    sample('hundredx_signals_total 11');
    sample('hundredx_plans_total{status="accepted"} 5');
    sample('hundredx_plans_total{status="rejected"} 6');
    sample('hundredx_alerts_total{platform="telegram",outcome="sent"} 12'); // the regime and 11 trade alerts
    sample('hundredx_alerts_total{platform="telegram",outcome="failed"} 0');
    sample('hundredx_alert_retries_total{platform="telegram"} 1');
    sample('hundredx_outbox_pending 0');
    sample('hundredx_job_runs_total{job="intraday",outcome="ok"} 1');
    sample('hundredx_job_runs_total{job="close",outcome="ok"} 0');
    sample('hundredx_upstream_errors_total{kind="not_found"} 0');
    sample('hundredx_upstream_requests_total 0'); // replay reads local files
    // Five positions bought at the ask are marked at the mid: equity is below the $10,000 start, not far.
    const equity = Number(/^hundredx_ledger_equity_usd (\S+)$/m.exec(text)?.[1]);
    expect(equity).toBeGreaterThan(9000);
    expect(equity).toBeLessThan(10_000);
    expect(text).not.toContain('SECRET');
  });

  it('should answer 503 naming the store, scrubbed, when the store fails', async () => {
    // A memory store whose reads fail with a message quoting a secret, as a library's error text may.
    const failingStore = new Proxy(new MemoryStore(), {
      get(target, prop) {
        if (prop === 'get') return () => Promise.reject(new Error(`ECONNREFUSED for bot${TOKEN}`));
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const { bot, get } = await start(failingStore);
    await bot.scheduler.start();
    const res = await get('/healthz');
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({
      status: 'failing',
      failing: ['store'],
      checks: { scheduler: { ok: true, detail: 'started' }, store: { ok: false, detail: 'memory unreachable: ECONNREFUSED for bot***' } },
    });
    expect(body).not.toContain('SECRET');
  });

  describe.skipIf(skipRedis)('on Redis', () => {
    it('should answer 503 naming the store once the store is closed', async () => {
      const keyPrefix = uniquePrefix();
      const store = new RedisStore(REDIS_URL, { keyPrefix });
      await store.connect();
      try {
        const { bot, get } = await start(store);
        await bot.scheduler.start();
        expect((await get('/healthz')).status).toBe(200);
        await store.close();
        const res = await get('/healthz');
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({
          failing: ['store'],
          checks: { scheduler: { ok: true }, store: { ok: false, detail: expect.stringMatching(/^redis unreachable: /) } },
        });
      } finally {
        await deleteKeys(keyPrefix);
      }
    });
  });
});
