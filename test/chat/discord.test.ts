import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { registerDiscordCommands, startDiscordBot, type DiscordBot } from '../../src/chat/discord.ts';
import { loadConfig } from '../../src/config/config.ts';
import { BotServices } from '../../src/app/services.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { rateLimited } from '../support/discord-recorder.ts';
import { decodePng } from '../support/png.ts';
import { APP_ID, interaction, startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../support/discord-gateway.ts';

const TOKEN = 'FAKE.DISCORD.TOKEN';
type Body = { type: number; data?: Record<string, unknown> } & Record<string, unknown>;
const body = (r: RecordedRequest) => r.body as Body;

describe('Discord slash command registration', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('should PUT every command as guild commands with options, choices and autocomplete flags', async () => {
    const before = fake.requests.length;
    await registerDiscordCommands({ token: TOKEN, appId: APP_ID, guildId: '123', apiRoot: fake.api, commands });
    const put = await fake.waitFor((r) => r.method === 'PUT' && fake.requests.indexOf(r) >= before);
    expect(put.path).toBe(`/api/v10/applications/${APP_ID}/guilds/123/commands`);
    expect(put.headers.authorization).toBe(`Bot ${TOKEN}`);
    const sent = put.body as { name: string; options: unknown[] }[];
    expect(sent.map((c) => c.name)).toEqual(['scan', 'regime', 'risk', 'diary', 'positions', 'equity', 'pnl', 'performance', 'daily', 'weekly', 'monthly', 'close', 'pause', 'resume', 'watch', 'status', 'help']);
    expect(sent.find((c) => c.name === 'scan')).toEqual({
      type: 1,
      name: 'scan',
      description: 'Scan tickers (the whole universe without any) for volatility breakouts and size paper trades',
      options: [
        { type: 3, name: 'tickers', description: 'Ticker symbols, e.g. TSLA or AAPL TSLA; the universe when left out', required: false, autocomplete: true },
      ],
    });
    expect(sent.find((c) => c.name === 'watch')?.options).toEqual([
      {
        type: 3, name: 'action', description: 'add, remove or list', required: true,
        choices: [{ name: 'add', value: 'add' }, { name: 'remove', value: 'remove' }, { name: 'list', value: 'list' }],
      },
      { type: 3, name: 'ticker', description: 'Ticker symbol for add or remove, e.g. NFLX', required: false, autocomplete: true },
    ]);
    expect(sent.find((c) => c.name === 'regime')?.options).toEqual([]);
    // Admin commands are hidden from members unless a server admin grants them.
    const hidden = (sent as { name: string; default_member_permissions?: string }[]).filter((c) => c.default_member_permissions === '0');
    expect(hidden.map((c) => c.name)).toEqual(['close', 'pause', 'resume', 'watch']);
  });

  it('should PUT global commands when no guild is set', async () => {
    await registerDiscordCommands({ token: TOKEN, appId: APP_ID, apiRoot: fake.api, commands });
    expect(fake.requests.at(-1)?.path).toBe(`/api/v10/applications/${APP_ID}/commands`);
  });
});

describe('Discord interactions through a real discord.js Client', () => {
  let fake: FakeDiscord;
  let runtime: Runtime;
  let bot: DiscordBot;
  const logs: string[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord();
    runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
    bot = await startDiscordBot({
      token: TOKEN, appId: APP_ID, guildId: '123', apiRoot: fake.api,
      services: new BotServices(runtime), adminIds: ['discord:1'], commands,
      logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await fake.close();
    await runtime.close();
  });

  /** Dispatch an interaction and resolve with the recorded callback for it. */
  async function interact(payload: ReturnType<typeof interaction>): Promise<RecordedRequest> {
    fake.dispatch('INTERACTION_CREATE', payload);
    return fake.waitFor((r) => r.path === `/api/v10/interactions/${payload.id}/${payload.token}/callback`);
  }
  const editOf = (token: string) => (r: RecordedRequest) =>
    r.method === 'PATCH' && r.path === `/api/v10/webhooks/${APP_ID}/${token}/messages/%40original` && r.status === 200;

  it('should have registered the commands on start-up', () => {
    expect(fake.requests.some((r) => r.method === 'PUT' && r.path.endsWith('/guilds/123/commands'))).toBe(true);
  });

  it('should defer /scan SPY and then edit the reply with the trade alert embed, its chart attached inside it', async () => {
    const scan = interaction({ name: 'scan', options: [{ name: 'tickers', value: 'SPY' }] });
    expect(body(await interact(scan))).toMatchObject({ type: 5 });
    const request = await fake.waitFor(editOf(scan.token));
    const edit = body(request);
    // An answer, not an alert: it says what the bot would buy, with no tweet line as content.
    expect(edit.embeds).toMatchObject([{ title: '📉 SPY breakdown: would buy 1x Mar 20 $235 put', image: { url: 'attachment://SPY-scan.png' } }]);
    expect(edit.allowed_mentions).toEqual({ parse: [] });
    expect(edit.content ?? '').toBe('');
    expect(edit.attachments).toMatchObject([{ id: '0', description: expect.stringMatching(/^SPY: the last 60 closes/) }]);
    expect(request.files.map((f) => [f.field, f.name, f.contentType])).toEqual([['files[0]', 'SPY-scan.png', 'image/png']]);
    const png = decodePng(request.files[0]!.data);
    expect([png.width, png.height, png.inkShare > 0.03]).toEqual([1200, 675, true]);
  });

  it('should defer /regime (it fetches SPY and VIX) and then edit in the regime embed', async () => {
    const regime = interaction({ name: 'regime' });
    expect(body(await interact(regime))).toMatchObject({ type: 5 });
    const edit = body(await fake.waitFor(editOf(regime.token)));
    expect(edit).toMatchObject({ embeds: [{ title: '🐻 Regime: BEARISH' }], allowed_mentions: { parse: [] } });
  });

  it('should answer a refused /watch ephemerally without deferring', async () => {
    const callback = body(await interact(interaction({ name: 'watch', options: [{ name: 'action', value: 'list' }] })));
    expect(callback).toMatchObject({ type: 4, data: { flags: 64, embeds: [{ title: 'You are not allowed to use /watch.' }] } });
  });

  it('should answer ticker autocomplete with at most 25 matching choices', async () => {
    const some = body(await interact(interaction({ type: 4, name: 'scan', options: [{ name: 'tickers', value: 'goo', focused: true }] })));
    expect(some).toEqual({ type: 8, data: { choices: [{ name: 'GOOG', value: 'GOOG' }, { name: 'GOOGL', value: 'GOOGL' }] } });
    const all = body(await interact(interaction({ type: 4, name: 'scan', options: [{ name: 'tickers', value: '', focused: true }] })));
    expect((all.data?.choices as unknown[]).length).toBeGreaterThan(0);
    expect((all.data?.choices as unknown[]).length).toBeLessThanOrEqual(25);
  });

  it('should retry an edit that got a 429 and land it once', async () => {
    fake.failNext('PATCH', /messages\/%40original$/, rateLimited(0.05));
    const scan = interaction({ name: 'scan', options: [{ name: 'tickers', value: 'TSLA' }] });
    expect(body(await interact(scan))).toMatchObject({ type: 5 });
    const edit = body(await fake.waitFor(editOf(scan.token)));
    expect(edit.embeds).toMatchObject([{ title: 'No breakout on TSLA: z = -1.78, needs |z| >= 2' }]);
    const patches = fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(`/${scan.token}/`));
    expect(patches.map((r) => r.status)).toEqual([429, 200]);
    expect(logs.filter((l) => l.includes('failed'))).toEqual([]);
  });
});

describe('Discord command replies when Discord answers 5xx', () => {
  let fake: FakeDiscord;
  let runtime: Runtime;
  let bot: DiscordBot;
  let nowMs: number;
  const logs: string[] = [];
  const waitsMs: number[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord();
    runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
    nowMs = 0;
    bot = await startDiscordBot({
      token: TOKEN, appId: APP_ID, guildId: '123', apiRoot: fake.api,
      services: new BotServices(runtime), adminIds: [], commands,
      logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      // No retries inside @discordjs/rest: every 5xx reaches our backoff, on a clock the waits advance.
      rest: { retries: 0 },
      replyRetry: { sleep: async (ms) => void (waitsMs.push(ms), (nowMs += ms)), random: () => 0.5, now: () => nowMs },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await fake.close();
    await runtime.close();
  });

  it('should retry the edit of a deferred reply with backoff and land it once', async () => {
    waitsMs.length = 0;
    fake.failNext('PATCH', /messages\/%40original$/, { status: 502, body: {} });
    fake.failNext('PATCH', /messages\/%40original$/, { status: 503, body: {} });
    const regime = interaction({ name: 'regime' });
    fake.dispatch('INTERACTION_CREATE', regime);
    await fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(`/${regime.token}/`) && r.status === 200);
    const patches = fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(`/${regime.token}/`));
    expect(patches.map((r) => r.status)).toEqual([502, 503, 200]);
    expect(waitsMs).toEqual([500, 1000]); // half of the 1 s and 2 s backoff ceilings
    expect(logs.filter((l) => l.includes('failed'))).toEqual([]);
  });

  it("should stop retrying the first answer once Discord's 3 s window would close, and log it", async () => {
    waitsMs.length = 0;
    for (let i = 0; i < 3; i++) fake.failNext('POST', /\/callback$/, { status: 503, body: {} });
    const refused = interaction({ name: 'watch', options: [{ name: 'action', value: 'list' }] }); // answered at once, not deferred
    fake.dispatch('INTERACTION_CREATE', refused);
    const failed = new Promise<void>((resolve) => {
      const check = () => (logs.some((l) => l.startsWith('discord interaction failed command=watch')) ? resolve() : setImmediate(check));
      check();
    });
    await failed;
    const callbacks = fake.requests.filter((r) => r.path.includes(`/${refused.token}/callback`));
    expect(callbacks.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(waitsMs).toEqual([500, 1000]); // a third wait (2 s) would end 3.5 s after the interaction arrived
  });
});
