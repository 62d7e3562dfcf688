/**
 * Commands dispatched in process against the replayed 2020-03-12 market (BEARISH; SPY an accepted put, GOOG
 * a rejected one, TSLA no breakout, NFLX not recorded) and an in-memory store. No chat library involved.
 */
import { commands } from '../../commands/index.ts';
import type { Platform } from '../../commands/spec.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { Dispatcher, type RateLimit } from '../../commands/dispatch.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Message } from '../../src/notify/message.ts';
import { BotServices } from '../../src/app/services.ts';
import { MemoryStore } from '../../src/store/memory.ts';

export const ADMIN = 'telegram:1';
export const USER = 'telegram:2';

export type Harness = {
  runtime: Runtime;
  services: BotServices;
  dispatcher: Dispatcher;
  /** Every logger call as "level message". */
  logs: string[];
  /** Dispatch a line as typed in chat ("/scan SPY") by `user` (USER by default) in chat 'telegram:100'. */
  send(line: string, opts?: { user?: string; chat?: string; platform?: Platform }): Promise<Message>;
  close(): Promise<void>;
};

export async function createHarness(opts: { rateLimit?: RateLimit; now?: () => Date } = {}): Promise<Harness> {
  const runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), {
    store: new MemoryStore(),
  });
  const services = new BotServices(runtime);
  const logs: string[] = [];
  const dispatcher = new Dispatcher({
    commands,
    services,
    adminIds: [ADMIN],
    logger: {
      info: (m) => logs.push(`info ${m}`),
      warn: (m) => logs.push(`warn ${m}`),
      error: (m) => logs.push(`error ${m}`),
    },
    newRef: () => '7f3a',
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return {
    runtime,
    services,
    dispatcher,
    logs,
    send(line, o = {}) {
      const [head = '', ...words] = line.trim().split(/\s+/);
      return dispatcher.dispatch({
        platform: o.platform ?? 'telegram',
        chat: o.chat ?? 'telegram:100',
        user: o.user ?? USER,
        command: head.replace(/^\//, ''),
        input: words,
      });
    },
    close: () => runtime.close(),
  };
}
