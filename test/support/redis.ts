/**
 * Decides once per test file whether the Redis-backed tests run, and gives each test its own key space.
 * Redis down: the tests are skipped with a warning, unless REQUIRE_REDIS=1 (CI), where they run and fail.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function probe(url: string): Promise<string | null> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  client.on('error', (err: Error) => {
    lastError = err;
  });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    return (lastError ?? (err as Error)).message;
  } finally {
    client.disconnect();
  }
}

const unavailableReason = await probe(REDIS_URL);

/** True when Redis tests must be skipped (Redis unreachable and REQUIRE_REDIS is not 1). */
export const skipRedis = unavailableReason !== null && process.env.REQUIRE_REDIS !== '1';

if (skipRedis) {
  console.warn(
    `Skipping Redis tests: ${REDIS_URL.replace(/\/\/[^@/]*@/, '//***@')} is unreachable (${unavailableReason}). ` +
      'Start redis-server or set REDIS_URL; set REQUIRE_REDIS=1 to make this a failure.',
  );
}

/** A key prefix no other test (or run) shares, so cleanup can never touch foreign keys. */
export function uniquePrefix(): string {
  return `hxtest:${randomUUID()}:`;
}

/** Delete the keys under `prefix` only (SCAN + DEL; never FLUSHDB). */
export async function deleteKeys(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** Remaining time to live of a raw (already prefixed) key, as Redis PTTL reports it: -1 none, -2 absent. */
export async function pttl(fullKey: string): Promise<number> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return await client.pttl(fullKey);
  } finally {
    client.disconnect();
  }
}
