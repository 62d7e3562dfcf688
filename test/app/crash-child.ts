/**
 * Child process for the kill -9 test (crash.test.ts): a bot composed as `npm start` composes it (replay data,
 * Redis under the given key prefix, alerts to the parent's fake Discord or Telegram) runs the 16:15 close tick
 * of 2020-03-12 through the real scheduler. The parent SIGKILLs it at a point it chooses: when its fake
 * platform receives the diary (the send is on the wire), or, with a `block` key fragment, when the close job
 * reaches a store write of that key, where this child prints "ready" and waits (the kill never races an exit).
 * Usage: node --import tsx crash-child.ts <key prefix> <options as JSON>
 */
import { composeBot } from '../../src/app/bot.ts';
import { loadConfig } from '../../src/config/config.ts';
import { RedisStore } from '../../src/store/redis.ts';
import type { Store, StoreWrite } from '../../src/store/store.ts';

export type CrashChildOptions = { env: Record<string, string>; nowIso: string; block?: string };

const [prefix = '', json = '{}'] = process.argv.slice(2);
const opts = JSON.parse(json) as CrashChildOptions;
const redis = new RedisStore(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: prefix });
await redis.connect();

const never = () => new Promise<never>(() => undefined);
const reached = () => {
  process.stdout.write('ready\n');
  return never();
};
/** The store, except that a write to a key containing `block` never returns. */
const store: Store = !opts.block
  ? redis
  : new Proxy(redis, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (prop === 'set') return (key: string, ...rest: [string, number?]) => (key.includes(opts.block!) ? reached() : target.set(key, ...rest));
        if (prop === 'compareAndWrite') {
          return (expected: never[], writes: StoreWrite[]) =>
            writes.some((w) => w.key.includes(opts.block!)) ? reached() : target.compareAndWrite(expected, writes);
        }
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });

const now = new Date(opts.nowIso);
const logger = { info: () => undefined, warn: () => undefined, error: (m: string) => void process.stderr.write(`${m}\n`) };
const bot = await composeBot(loadConfig(opts.env), { store, now: () => now, instanceId: 'child', logger });
process.stdout.write(`tick ${await bot.scheduler.tick('close', now)}\n`);
// Not killed (a bug in the test): exit so the parent sees it.
process.exit(0);
