import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../commands/index.ts';
import { availableOn } from '../../commands/spec.ts';
import { defineCommand } from '../../commands/spec.ts';
import { Dispatcher } from '../../commands/dispatch.ts';
import { ADMIN, createHarness, type Harness } from './harness.ts';

const field = (msg: { fields: { name: string; value: string }[] }, name: string) =>
  msg.fields.find((f) => f.name === name)?.value;

describe('chat commands', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('should show the regime with its reasons and multipliers on /regime', async () => {
    const msg = await h.send('/regime');
    expect(msg.title).toBe('🐻 Regime: BEARISH');
    expect(field(msg, 'VIX')).toBe('75.47');
    expect(field(msg, 'Multipliers')).toBe('long 0.0x / short 1.0x');
    expect(field(msg, 'Reasons')).toBe(
      '• VIX 75.47 > 20\n• SPY 248.11 below its 50-day average 320.31\n• Exposure: long 0.0x, short 1.0x',
    );
  });

  it('should show equity, cap, Kelly, open risk and per-side budgets on /risk', async () => {
    const msg = await h.send('/risk');
    expect(msg.title).toBe('Risk budget (BEARISH regime)');
    expect(msg.fields.map((f) => `${f.name}: ${f.value}`)).toEqual([
      'Equity: $10,000',
      'Risk cap: 10% = $1,000 per trade',
      'Kelly: p 0.4, payoff 3: 0.5 × 20% = 10% ($1,000)',
      'Open risk: $0 of $5,000 limit',
      'Remaining budget: $1,000 per trade',
      'Longs (calls): 0.0x → $0 per trade',
      'Shorts (puts): 1.0x → $1,000 per trade',
    ]);
  });

  it('should say there are no open paper positions on /positions before any trade', async () => {
    expect((await h.send('/positions')).title).toBe('No open paper positions.');
  });

  it('should list every command with one line each on /help', async () => {
    const msg = await h.send('/help');
    const lines = (msg.description ?? '').split('\n');
    const chat = commands.filter((c) => availableOn(c, 'telegram'));
    expect(lines).toHaveLength(chat.length);
    for (const c of chat) expect(lines.some((l) => l.startsWith(`/${c.name}`))).toBe(true);
    // Terminal-only commands are neither listed nor run in chat.
    expect(lines.some((l) => l.startsWith('/backtest'))).toBe(false);
    expect((await h.send('/backtest 2019-01-02 2019-03-01')).title).toBe('Unknown command /backtest. Try /help.');
    expect(lines).toContain('/scan [tickers...]: Scan tickers (the whole universe without any) for volatility breakouts and size paper trades');
    expect(lines).toContain('/watch <add|remove|list> [ticker]: Add, remove or list the tickers this chat watches (admin only)');
  });

  it('should describe one command and its arguments on /help scan', async () => {
    const msg = await h.send('/help scan');
    expect(msg.title).toBe('/scan [tickers...]');
    expect(msg.fields).toEqual([{ name: 'tickers (optional)', value: 'Ticker symbols, e.g. TSLA or AAPL TSLA; the universe when left out' }]);
  });

  it('should point to /help for an unknown command', async () => {
    expect((await h.send('/foo bar')).title).toBe('Unknown command /foo. Try /help.');
  });

  it('should tell a non-admin they may not use /watch', async () => {
    const msg = await h.send('/watch add NFLX');
    expect(msg).toMatchObject({ kind: 'error', title: 'You are not allowed to use /watch.' });
    expect(await h.services.watchlists.list('telegram:100')).toEqual([]);
  });

  it('should let an admin add, list and remove watchlist tickers for this chat only', async () => {
    const admin = { user: ADMIN };
    expect((await h.send('/watch list', admin)).title).toBe("This chat's watchlist is empty.");
    expect((await h.send('/watch add nflx', admin)).title).toBe('Watching NFLX in this chat.');
    expect((await h.send('/watch ADD $AMD', admin)).title).toBe('Watching AMD in this chat.');
    expect((await h.send('/watch list', admin)).title).toBe('Watchlist (2): AMD, NFLX');
    expect((await h.send('/watch list', { ...admin, chat: 'telegram:200' })).title).toBe("This chat's watchlist is empty.");
    expect(await h.services.universe()).toContain('NFLX');
    expect((await h.send('/watch remove NFLX', admin)).title).toBe('Stopped watching NFLX.');
    expect((await h.send('/watch remove NFLX', admin)).title).toBe("NFLX was not on this chat's watchlist.");
    expect((await h.send('/watch list', admin)).title).toBe('Watchlist (1): AMD');
  });

  it('should offer /watch ticker suggestions to admins only', async () => {
    const ask = (user: string) =>
      h.dispatcher.autocomplete({ platform: 'telegram', chat: 'telegram:100', user, command: 'watch', arg: 'ticker', prefix: 'SP' });
    expect(await ask(ADMIN)).toEqual(['SPY']);
    expect(await ask('telegram:2')).toEqual([]);
  });

  it('should explain bad /watch input', async () => {
    const admin = { user: ADMIN };
    expect((await h.send('/watch add', admin)).title).toBe('ticker: required for /watch add, e.g. /watch add NFLX');
    expect((await h.send('/watch', admin)).title).toBe('action: required, e.g. /watch add NFLX');
    expect((await h.send('/watch drop NFLX', admin)).title).toBe(
      'action: must be one of add, remove, list (got "drop"), e.g. /watch add NFLX',
    );
  });

  it('should hide a ref behind a generic reply and log it with the caller when a command throws', async () => {
    const boom = defineCommand({
      name: 'boom',
      description: 'Always fails',
      args: z.object({}),
      async run() {
        throw new Error('GET https://api.telegram.org/bot123456:SECRET-TOKEN/getMe failed');
      },
    });
    const logs: string[] = [];
    const dispatcher = new Dispatcher({
      commands: [boom],
      services: h.services,
      adminIds: [],
      newRef: () => '7f3a',
      logger: { info: () => {}, warn: () => {}, error: (m) => logs.push(m) },
    });
    const msg = await dispatcher.dispatch({ platform: 'discord', chat: 'discord:5', user: 'discord:42', command: 'boom', input: {} });
    expect(msg).toMatchObject({ kind: 'error', title: 'Something went wrong (ref 7f3a).' });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^chat command failed ref=7f3a platform=discord command=boom user=discord:42: Error: GET/);
    expect(logs[0]).not.toContain('SECRET-TOKEN');
  });
});
