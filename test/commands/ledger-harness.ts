/**
 * Commands with a paper ledger attached, on the replayed 2020-03-12 market (BEARISH; SPY signals an accepted
 * put) and an in-memory store, with the ledger BotServices carries.
 */
import { commands } from '../../commands/index.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { Dispatcher } from '../../commands/dispatch.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Message } from '../../src/notify/message.ts';
import { tradeAlert } from '../../src/notify/trade-alert.ts';
import { BotServices } from '../../src/app/services.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { Ledger } from '../../src/trading/ledger/ledger.ts';
import type { PositionEvent } from '../../src/trading/ledger/types.ts';

export const ADMIN = 'telegram:1';
export const USER = 'telegram:2';
/** 15:00 New York on the replay date. */
export const NOW = new Date('2020-03-12T19:00:00Z');

export type LedgerHarness = {
  runtime: Runtime;
  ledger: Ledger;
  /** Scan `symbol` and open its plan in the ledger, as a cycle would. */
  openFromScan(symbol: string): Promise<PositionEvent>;
  send(line: string, opts?: { user?: string }): Promise<Message>;
  close(): Promise<void>;
};

export async function createLedgerHarness(env: Record<string, string> = {}): Promise<LedgerHarness> {
  const runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12', ...env }), { store: new MemoryStore() });
  const services = new BotServices(runtime);
  const { ledger } = services;
  const dispatcher = new Dispatcher({ commands, services, adminIds: [ADMIN], now: () => NOW, newRef: () => '7f3a' });
  return {
    runtime,
    ledger,
    async openFromScan(symbol) {
      const [result] = (await services.scan([symbol])).results;
      if (!result?.plan) throw new Error(`${symbol}: no plan`);
      const opened = await ledger.open(result.plan, { alertId: tradeAlert(result.plan).id ?? '', at: NOW });
      if (opened.type === 'open.skipped') throw new Error(`${symbol}: ${opened.reason}`);
      return opened;
    },
    send(line, o = {}) {
      const [head = '', ...words] = line.trim().split(/\s+/);
      return dispatcher.dispatch({ platform: 'telegram', chat: 'telegram:100', user: o.user ?? USER, command: head.replace(/^\//, ''), input: words });
    },
    close: () => runtime.close(),
  };
}
