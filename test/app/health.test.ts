import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { botHealthChecks, type BotHealthSources } from '../../src/app/http/checks.ts';
import { healthRoutes, ok, runHealthChecks } from '../../src/app/http/health.ts';
import { createHttpApp, startHttpServer } from '../../src/app/http/server.ts';
import { DISCORD_GATEWAY_LOCK } from '../../src/chat/discord-leader.ts';
import { TELEGRAM_POLLER_LOCK } from '../../src/chat/telegram-leader.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { fakeTime } from '../support/fake-timer.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const started = { status: async () => ({ started: true }) };

async function report(sources: BotHealthSources) {
  return runHealthChecks(botHealthChecks(sources));
}

describe('the health checks', () => {
  it('should check only the platforms that are configured', async () => {
    expect(Object.keys(botHealthChecks({ scheduler: started, store: new MemoryStore() }))).toEqual(['scheduler', 'store']);
  });

  it('should pass Discord once its gateway is ready, and say why not before', async () => {
    const store = new MemoryStore();
    let client: { isReady(): boolean } | undefined;
    const sources = { scheduler: started, store, discord: () => (client ? { bot: { client } } : undefined) };
    expect((await report(sources)).checks.discord).toEqual({ ok: false, detail: 'connecting' });
    client = { isReady: () => false };
    expect(await report(sources)).toMatchObject({ failing: ['discord'], checks: { discord: { detail: 'gateway not ready (reconnecting)' } } });
    client = { isReady: () => true };
    expect(await report(sources)).toMatchObject({ status: 'ok', checks: { discord: { ok: true, detail: 'gateway ready' } } });
  });

  it('should pass Discord as a standby while another instance holds the gateway session, and fail when none does', async () => {
    const store = new MemoryStore();
    const sources = { scheduler: started, store, discord: () => ({ bot: undefined }) };
    expect((await report(sources)).checks.discord).toEqual({ ok: false, detail: 'no gateway session, and no instance holds the gateway lease' });
    await store.acquireLock(DISCORD_GATEWAY_LOCK, 30_000); // another instance holds the session
    expect((await report(sources)).checks.discord).toEqual({ ok: true, detail: 'standby (another instance holds the gateway session)' });
  });

  it('should pass Telegram as the polling leader, or as a standby while another instance holds the poller lock', async () => {
    const store = new MemoryStore();
    const leader = { polling: true };
    const sources = { scheduler: started, store, telegram: () => leader };
    expect((await report(sources)).checks.telegram).toEqual({ ok: true, detail: 'polling (leader)' });
    leader.polling = false;
    expect((await report(sources)).checks.telegram).toEqual({ ok: false, detail: 'not polling, and no instance holds the poller lock' });
    await store.acquireLock(TELEGRAM_POLLER_LOCK, 30_000); // another instance polls
    expect((await report(sources)).checks.telegram).toEqual({ ok: true, detail: 'standby (another instance polls)' });
    expect((await report({ ...sources, telegram: () => undefined })).checks.telegram).toEqual({ ok: false, detail: 'starting' });
  });

  it('should fail a check that does not answer within the timeout, and still answer the others', async () => {
    const time = fakeTime();
    let called!: () => void;
    const asked = new Promise<void>((resolve) => (called = resolve));
    const hanging = () => {
      called();
      return new Promise<never>(() => {});
    };
    const app = healthRoutes({ store: hanging, scheduler: async () => ok('started') }, { timeoutMs: 2000, timer: time.timer });
    const pending = app.request('/healthz');
    await asked;
    await time.advance(2000);
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'failing',
      failing: ['store'],
      checks: { store: { ok: false, detail: 'no answer within 2000 ms' }, scheduler: { ok: true, detail: 'started' } },
    });
    expect(time.pendingCount()).toBe(0); // the scheduler's timer was cancelled when it answered
  });

  it('should scrub and shorten a failing check\'s detail, scrubbing first', async () => {
    const secret = 'hunter2-very-secret';
    const long = `${'x'.repeat(150)} ${secret} ${'y'.repeat(50)}`;
    const result = await runHealthChecks({ store: () => Promise.reject(new Error(long)) }, { secrets: [secret] });
    expect(result.checks.store!.detail).toBe(`${'x'.repeat(150)} *** yyyyy`); // 160 characters
    expect(JSON.stringify(result)).not.toContain('hunter');
  });
});

describe('the HTTP server', () => {
  it('should mount each page with one entry and turn a thrown error into a bare, logged 500', async () => {
    const errors: string[] = [];
    const boom = new Hono().get('/boom', () => {
      throw new Error('internal detail');
    });
    const app = createHttpApp([boom, new Hono().get('/hello', (c) => c.text('hi'))], { ...quiet, error: (m) => errors.push(m) });
    expect(await (await app.request('/hello')).text()).toBe('hi');
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('Internal Server Error');
    expect(errors).toEqual(['http GET /boom failed: internal detail']);
  });

  it('should refuse a port in use with a message naming HTTP_PORT', async () => {
    const app = createHttpApp([], quiet);
    const first = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    try {
      await expect(startHttpServer(app, { port: first.port, host: '127.0.0.1' })).rejects.toThrow(
        `HTTP server cannot listen on 127.0.0.1:${first.port}: the port is in use; set HTTP_PORT (0 turns the server off) or HTTP_HOST`,
      );
    } finally {
      await first.close();
    }
  });
});
