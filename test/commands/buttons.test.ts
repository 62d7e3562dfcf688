/** Buttons as commands: /positions' Refresh, /close all's Confirm and Cancel, and what the dispatcher makes of a press. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { Dispatcher } from '../../commands/dispatch.ts';
import { createRuntime } from '../../src/app/runtime.ts';
import { BotServices } from '../../src/app/services.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ACTION_DATA_MAX_BYTES, encodeAction } from '../../src/notify/actions.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { Ledger } from '../../src/trading/ledger/ledger.ts';
import { tradeAlert } from '../../src/notify/trade-alert.ts';
import { ADMIN, NOW, USER } from './ledger-harness.ts';

describe('buttons through the dispatcher', () => {
  let clockMs: number;
  let dispatcher: Dispatcher;
  let ledger: Ledger;
  let close: () => Promise<void>;
  beforeEach(async () => {
    clockMs = NOW.getTime();
    const runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
    const services = new BotServices(runtime);
    ledger = services.ledger;
    for (const symbol of ['SPY', 'IWM']) {
      const [result] = (await services.scan([symbol])).results;
      await ledger.open(result!.plan!, { alertId: tradeAlert(result!.plan!).id!, at: NOW });
    }
    dispatcher = new Dispatcher({ commands, services, adminIds: [ADMIN], now: () => new Date(clockMs), newRef: () => '7f3a', logger: { info() {}, warn() {}, error() {} } });
    close = () => runtime.close();
  });
  afterEach(async () => close());

  const caller = (user = ADMIN) => ({ platform: 'telegram' as const, chat: 'telegram:100', user });
  const press = (data: string, user = ADMIN) => dispatcher.press({ ...caller(user), data });
  const send = (line: string, user = ADMIN) => {
    const [command = '', ...input] = line.split(' ');
    return dispatcher.dispatch({ ...caller(user), command, input });
  };

  it('should give /positions a Refresh button that edits the list in place', async () => {
    const msg = await send('positions', USER);
    expect(msg.actions).toEqual([{ label: 'Refresh', command: 'positions', edit: true }]);
    const { message, edit } = await press(encodeAction(msg.actions![0]!), USER);
    expect(edit).toBe(true);
    expect(message.title).toBe('Open paper positions (2)');
  });

  it('should ask before closing all, with Confirm and Cancel that fit 64 bytes and expire after 60 s', async () => {
    const prompt = await send('close all');
    expect(prompt.title).toBe('Close all 2 open paper positions at the bid?');
    expect(prompt.description).toBe('#1 SPY Mar 20 $235 put x1\n#2 IWM Mar 20 $105 put x3');
    expect(prompt.footer).toBe('Confirm within 60 s. Paper trades only.');
    const [confirm, cancel] = prompt.actions!.map(encodeAction);
    expect(confirm).toMatch(/^hx\|e\|close\|all\|[0-9a-z]+$/);
    expect(cancel).toBe('hx|e|close|all|cancel');
    for (const data of [confirm!, cancel!]) expect(Buffer.byteLength(data)).toBeLessThanOrEqual(ACTION_DATA_MAX_BYTES);
    expect(await ledger.openPositions()).toHaveLength(2); // asking sells nothing

    const cancelled = await press(cancel!);
    expect(cancelled).toMatchObject({ edit: true, message: { title: 'Closing all positions cancelled: nothing was sold.' } });
    expect(cancelled.message.actions).toBeUndefined(); // the edit takes the buttons away

    clockMs += 61_000;
    const late = await press(confirm!);
    expect(late).toMatchObject({ edit: true, message: { title: 'This confirmation expired: nothing was sold. Run /close all again.' } });
    expect(await ledger.openPositions()).toHaveLength(2);
  });

  it('should close every open position when confirmed in time, and refuse anyone but an admin', async () => {
    const [confirm] = (await send('close all')).actions!.map(encodeAction);
    expect(await press(confirm!, USER)).toEqual({ edit: false, message: expect.objectContaining({ kind: 'error', title: 'You are not allowed to use /close.' }) });
    clockMs += 59_000;
    const { message, edit } = await press(confirm!);
    expect(edit).toBe(true);
    expect(message.title).toMatch(/^Closed 2 paper positions at the bid: [+-]\$\d/);
    expect(message.fields.map((f) => f.name)).toEqual(['#1 SPY Mar 20 $235 put x1', '#2 IWM Mar 20 $105 put x3']);
    expect(await ledger.openPositions()).toEqual([]);
    expect((await send('close all')).title).toBe('No open paper positions to close.');
  });

  it("should run a trade alert's Close like /close, and refuse a button that is not ours without running anything", async () => {
    expect((await press('hx|r|close|1', USER)).message.title).toBe('You are not allowed to use /close.');
    expect((await press('hx|r|close|1')).message.title).toMatch(/^👋 SPY Mar 20 \$235 put closed by admin/);
    expect(await press('hx|r|pause', USER)).toEqual({ edit: false, message: expect.objectContaining({ title: 'You are not allowed to use /pause.' }) });
    expect(await press('not-ours')).toEqual({ edit: false, message: expect.objectContaining({ title: 'This button no longer works; run the command again.' }) });
    expect((await send('close 2 kz3j5x')).title).toBe('confirm: only /close all asks for a confirmation');
  });
});
