/**
 * @module Store on Redis (ioredis), used when REDIS_URL is set so several bot instances share the
 * cache, outbox, ledger and scheduler lock. Every call fails fast when Redis is unreachable instead of
 * queueing: callers such as the market cache then fall back rather than hang a scan.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redactSecrets } from '../core/errors.ts';
import { checkTtlMs } from './memory.ts';
import { StoreUnavailableError, type Store, type StoreExpectation, type StoreWrite } from './store.ts';

/** Options for RedisStore. */
export type RedisStoreOptions = {
  /** Prepended to every key (ioredis keyPrefix), e.g. "hx:" or a per-test prefix. */
  keyPrefix?: string;
  /** How long connect() waits for a ready server before failing. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** How long one command may take before it fails. Default 2000 ms. */
  commandTimeoutMs?: number;
  /** Clock for `unreachableSince`. Default the system clock. */
  now?: () => Date;
};

/** Redis could not be reached or did not become ready; the message names host:port, never a password. */
export class RedisConnectError extends Error {
  override readonly name = 'RedisConnectError';
  constructor(
    readonly address: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/** `redis://user:pass@host:port/0` -> `redis://user:***@host:port/0`; unparsable URLs are not echoed. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}

/** "host:port" of a Redis URL, for messages (6379 when the URL has no port). */
function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return '(unparsable Redis URL)';
  }
}

/** Passwords in the URL, to scrub from any library error text that reaches our messages. */
function secretsOf(url: string): string[] {
  try {
    const parsed = new URL(url);
    return [parsed.password, decodeURIComponent(parsed.password)].filter(Boolean);
  } catch {
    return [];
  }
}

// Owner-only lock operations must compare and act atomically, hence Lua: a GET then DEL from the
// client could delete a lock that expired and was taken by another instance in between.
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

// compareAndWrite in one script, so it is atomic for every other client and survives kill -9 of ours:
// Redis runs a script to the end or not at all. KEYS are the expected keys then the written ones (so
// ioredis prefixes them all); ARGV[1] is JSON { n, expect, writes } with `k` indexes into KEYS. Types are
// checked before the first write, because a script that fails half-way keeps what it already wrote.
const COMPARE_AND_WRITE_SCRIPT = `local spec = cjson.decode(ARGV[1])
for i = 1, spec.n do
  if redis.call('GET', KEYS[i]) ~= spec.expect[i] then return 0 end
end
local wanted = { listPush = 'list', listTrimFront = 'list', setAdd = 'set', setRemove = 'set' }
for _, w in ipairs(spec.writes) do
  local t = wanted[w.op]
  if t then
    local actual = redis.call('TYPE', KEYS[w.k]).ok
    if actual ~= 'none' and actual ~= t then
      return redis.error_reply('WRONGTYPE key holds a value that is not a ' .. t)
    end
  end
end
for _, w in ipairs(spec.writes) do
  local key = KEYS[w.k]
  if w.op == 'set' then
    if w.ttl then redis.call('SET', key, w.v, 'PX', w.ttl) else redis.call('SET', key, w.v) end
  elseif w.op == 'del' then redis.call('DEL', key)
  elseif w.op == 'listPush' then redis.call('RPUSH', key, w.v)
  elseif w.op == 'listTrimFront' then redis.call('LTRIM', key, w.n, -1)
  elseif w.op == 'setAdd' then redis.call('SADD', key, w.v)
  elseif w.op == 'setRemove' then redis.call('SREM', key, w.v)
  end
end
return 1`;

/** Why a command got no answer, in words ("connection refused"), from what ioredis threw. */
function unreachableReason(err: unknown, commandTimeoutMs: number): string {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown }).code;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(text)) return 'connection refused';
  if (/timed out/i.test(text)) return `no answer within ${commandTimeoutMs} ms`;
  if (/offline ?queue|isn't writeable|max retries|connection is closed|ECONNRESET|EPIPE/i.test(text)) return 'not connected';
  return 'not answering';
}

/** An error Redis itself answered with (WRONGTYPE, a script error): the server is there, the request was wrong. */
const isReplyError = (err: unknown): boolean => err instanceof Error && err.name === 'ReplyError';

/** Store on ioredis. Call `connect()` (or use createStore) before anything else. */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly #client: Redis;
  readonly #url: string;
  readonly #connectTimeoutMs: number;
  readonly #commandTimeoutMs: number;
  readonly #now: () => Date;
  #lastError: Error | undefined;
  #unreachableSince: Date | null = null;

  constructor(url: string, opts: RedisStoreOptions = {}) {
    this.#url = url;
    this.#connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
    this.#commandTimeoutMs = opts.commandTimeoutMs ?? 2000;
    this.#now = opts.now ?? (() => new Date());
    this.#client = new Redis(url, {
      keyPrefix: opts.keyPrefix,
      lazyConnect: true,
      connectTimeout: this.#connectTimeoutMs,
      commandTimeout: this.#commandTimeoutMs,
      // While disconnected, commands fail at once rather than queue (ioredis' default would hold them
      // for up to 20 reconnect attempts), so a Redis outage degrades the bot instead of freezing it.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // After a successful connect, keep reconnecting (a restarted Redis comes back) at most every 2 s.
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    });
    // Without a listener ioredis prints every reconnect failure; the failing commands already report it.
    this.#client.on('error', (err: Error) => {
      this.#lastError = err;
    });
    // Reachability for /status: lost when the connection drops or a command gets no answer, back on ready.
    this.#client.on('close', () => this.#markUnreachable());
    this.#client.on('ready', () => {
      this.#unreachableSince = null;
    });
  }

  unreachableSince(): Date | null {
    return this.#unreachableSince;
  }

  #markUnreachable(): void {
    this.#unreachableSince ??= this.#now();
  }

  /**
   * Every command goes through here: an answer means Redis is reachable; no answer becomes a
   * StoreUnavailableError in words. Errors Redis answered with (WRONGTYPE) pass through unchanged.
   */
  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      const result = await command();
      this.#unreachableSince = null;
      return result;
    } catch (err) {
      if (isReplyError(err)) throw err;
      this.#markUnreachable();
      throw new StoreUnavailableError(`Redis at ${addressOf(this.#url)} is unreachable (${unreachableReason(err, this.#commandTimeoutMs)})`, {
        cause: err,
      });
    }
  }

  /** Connect and wait until Redis answers; throws RedisConnectError within about connectTimeoutMs. */
  async connect(): Promise<void> {
    const address = addressOf(this.#url);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // connectTimeout covers only the TCP handshake; a port that accepts but never speaks Redis
      // would otherwise leave the ready check waiting forever.
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#connectTimeoutMs} ms`)), this.#connectTimeoutMs);
    });
    try {
      await Promise.race([this.#client.connect(), timeout]);
    } catch (err) {
      this.#client.disconnect(); // stop the retryStrategy from reconnecting in the background
      const cause = this.#lastError ?? err;
      const reason = redactSecrets(cause instanceof Error ? cause.message : String(cause), secretsOf(this.#url));
      throw new RedisConnectError(
        address,
        `Redis at ${address} did not answer (${reason}); check REDIS_URL (${redactRedisUrl(this.#url)}) and that redis-server is running, or unset REDIS_URL to keep the state in the SQLite file STATE_DB`,
        { cause },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async get(key: string): Promise<string | null> {
    return this.#call(() => this.#client.get(key));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const px = ttlMs === undefined ? undefined : checkTtlMs(ttlMs);
    await this.#call(() => (px === undefined ? this.#client.set(key, value) : this.#client.set(key, value, 'PX', px)));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const px = ttlMs === undefined ? undefined : checkTtlMs(ttlMs);
    const reply = await this.#call(() =>
      px === undefined ? this.#client.set(key, value, 'NX') : this.#client.set(key, value, 'PX', px, 'NX'),
    );
    return reply === 'OK';
  }

  async del(key: string): Promise<void> {
    await this.#call(() => this.#client.del(key));
  }

  async listPush(key: string, value: string): Promise<number> {
    return this.#call(() => this.#client.rpush(key, value));
  }

  async listRange(key: string): Promise<string[]> {
    return this.#call(() => this.#client.lrange(key, 0, -1));
  }

  async listTrimFront(key: string, count: number): Promise<void> {
    if (count > 0) await this.#call(() => this.#client.ltrim(key, Math.floor(count), -1));
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    const px = checkTtlMs(ttlMs);
    return (await this.#call(() => this.#client.pexpire(key, px))) === 1;
  }

  async setAdd(key: string, member: string): Promise<void> {
    await this.#call(() => this.#client.sadd(key, member));
  }

  async setRemove(key: string, member: string): Promise<void> {
    await this.#call(() => this.#client.srem(key, member));
  }

  async setMembers(key: string): Promise<string[]> {
    return this.#call(() => this.#client.smembers(key));
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    return (await this.setIfAbsent(key, token, ttlMs)) ? token : null;
  }

  async renewLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    // eval's KEYS get the keyPrefix from ioredis like any other key argument.
    const px = String(checkTtlMs(ttlMs));
    const renewed = await this.#call(() => this.#client.eval(RENEW_SCRIPT, 1, key, token, px));
    return renewed === 1;
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    const released = await this.#call(() => this.#client.eval(RELEASE_SCRIPT, 1, key, token));
    return released === 1;
  }

  async compareAndWrite(expected: readonly StoreExpectation[], writes: readonly StoreWrite[]): Promise<boolean> {
    const keys = [...expected.map((e) => e.key), ...writes.map((w) => w.key)];
    const spec = {
      n: expected.length,
      // In Lua, GET of a missing key is false, and cjson decodes JSON false to false: absent matches absent.
      expect: expected.map((e) => e.value ?? false),
      writes: writes.map((w, i) => ({
        op: w.op,
        k: expected.length + i + 1,
        ...(w.op === 'set' ? { v: w.value, ...(w.ttlMs === undefined ? {} : { ttl: checkTtlMs(w.ttlMs) }) } : {}),
        ...(w.op === 'listPush' ? { v: w.value } : {}),
        ...(w.op === 'listTrimFront' ? { n: Math.max(0, Math.floor(w.count)) } : {}),
        ...(w.op === 'setAdd' || w.op === 'setRemove' ? { v: w.member } : {}),
      })),
    };
    // An empty Lua table encodes as {} not [], but the script only indexes and iterates it, so either works.
    const applied = await this.#call(() => this.#client.eval(COMPARE_AND_WRITE_SCRIPT, keys.length, ...keys, JSON.stringify(spec)));
    return applied === 1;
  }

  /** Quit politely when connected; otherwise just drop the socket and stop reconnecting. */
  async close(): Promise<void> {
    if (this.#client.status === 'ready') {
      try {
        await this.#client.quit();
        return;
      } catch {
        // fall through: the connection died while quitting
      }
    }
    this.#client.disconnect();
  }
}
