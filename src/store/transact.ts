/**
 * @module Optimistic read-modify-write over several string keys on any Store: read them, compute the
 * writes from what was read, and commit with `compareAndWrite` only if nobody changed them meanwhile;
 * otherwise read again and recompute. This is what makes one ledger operation atomic on Redis (several
 * instances) and in memory alike, with no lock to leak when a process dies.
 */
import type { Store, StoreWrite } from './store.ts';

/** What a transaction step decides: the writes to commit (may be none) and the value to return. */
export type TransactionStep<T> = { writes: StoreWrite[]; result: T };

/** Other writers kept changing the keys; the operation was not applied. */
export class TransactionConflictError extends Error {
  override readonly name = 'TransactionConflictError';
  constructor(
    readonly keys: readonly string[],
    readonly attempts: number,
  ) {
    super(`gave up after ${attempts} attempts: ${keys.join(', ')} kept changing under concurrent writers`);
  }
}

/**
 * Run `step` on the current values of `keys` (null: absent) and commit its writes atomically, retrying
 * with fresh values when another writer got in first. `step` must be pure in its input: it may run
 * several times, and only the last run's writes and result count. Even a step without writes is
 * validated, so its result is based on one consistent reading of all `keys`.
 */
export async function transact<T>(
  store: Store,
  keys: readonly string[],
  step: (values: (string | null)[]) => TransactionStep<T>,
  opts: { maxAttempts?: number } = {},
): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 50;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const values = await Promise.all(keys.map((key) => store.get(key)));
    const { writes, result } = step(values);
    const expected = keys.map((key, i) => ({ key, value: values[i] ?? null }));
    if (await store.compareAndWrite(expected, writes)) return result;
  }
  throw new TransactionConflictError(keys, maxAttempts);
}
