/**
 * @module One bot process per state file. Two bots on one file would each act on state the other keeps
 * changing (two schedulers, two Telegram pollers, two outboxes sending the same alert), so the first to
 * open the file owns it: a row (id 1) with its token, pid, host, start time and a heartbeat renewed every
 * few seconds. Another process opening the file as owner is refused with who holds it, unless that holder
 * is gone: its pid is dead on this host (taken over at once), or its heartbeat is stale (another host, or a
 * reused pid). Every owner write checks the row inside its transaction, so a process that was paused and
 * lost the file can never write again. Guests (the CLI) read and write without taking the file.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** How often the owner renews its heartbeat. */
export const HEARTBEAT_MS = 5_000;
/** A heartbeat older than this means the owner is gone: four missed renewals. */
export const STALE_AFTER_MS = 20_000;

type OwnerRow = { token: string; pid: number; host: string; started_ms: number; heartbeat_ms: number };

/** Tokens of the files this process owns: a row with our own pid but another token is a previous life of this pid. */
const ownedHere = new Set<string>();

const describeHolder = (row: OwnerRow, nowMs: number) =>
  `pid ${row.pid} on host ${row.host}, running since ${new Date(row.started_ms).toISOString()}, last heartbeat ${Math.max(0, Math.round((nowMs - row.heartbeat_ms) / 1000))} s ago`;

/** Another live process owns the state file. */
export class StateDbInUseError extends Error {
  override readonly name = 'StateDbInUseError';
  constructor(
    readonly path: string,
    readonly holder: { pid: number; host: string; startedAt: Date },
    nowMs: number,
    row: OwnerRow,
  ) {
    super(
      `the state database ${path} is in use by another hundredx process (${describeHolder(row, nowMs)}). ` +
        `One bot process per state file: stop that process first, give this one its own STATE_DB, or set REDIS_URL to run several instances on one Redis. ` +
        `The hundredx CLI can still read and change the state while that bot runs. ` +
        `If the holder is gone from another host, it is taken over ${Math.round(STALE_AFTER_MS / 1000)} s after its last heartbeat.`,
    );
  }
}

/** This process owned the file, and another one took it over (this one was paused or blocked past the stale limit). */
export class StateDbOwnershipLostError extends Error {
  override readonly name = 'StateDbOwnershipLostError';
}

/** True unless `pid` certainly does not exist on this host (ESRCH). EPERM: it exists under another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export type OwnerLeaseOptions = {
  heartbeatMs?: number;
  staleAfterMs?: number;
  /** Epoch ms of the wall clock (heartbeats are compared across processes). Default Date.now. */
  clock?: () => number;
  isAlive?: (pid: number) => boolean;
  /** Called once when this process finds it lost the file (a heartbeat or a write saw another owner). */
  onLost?: (error: StateDbOwnershipLostError) => void;
};

/** The ownership of one state file by this process. `take()` once; `check()` inside every write transaction. */
export class OwnerLease {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #token = randomUUID();
  readonly #clock: () => number;
  readonly #isAlive: (pid: number) => boolean;
  readonly #staleAfterMs: number;
  readonly #heartbeatMs: number;
  readonly #onLost: ((error: StateDbOwnershipLostError) => void) | undefined;
  readonly #read: StatementSync;
  readonly #beat: StatementSync;
  #timer: NodeJS.Timeout | undefined;
  #lost: StateDbOwnershipLostError | undefined;

  constructor(db: DatabaseSync, path: string, opts: OwnerLeaseOptions = {}) {
    this.#db = db;
    this.#path = path;
    this.#clock = opts.clock ?? Date.now;
    this.#isAlive = opts.isAlive ?? isProcessAlive;
    this.#staleAfterMs = opts.staleAfterMs ?? STALE_AFTER_MS;
    this.#heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
    this.#onLost = opts.onLost;
    this.#read = db.prepare('SELECT token, pid, host, started_ms, heartbeat_ms FROM owner WHERE id = 1');
    this.#beat = db.prepare('UPDATE owner SET heartbeat_ms = ? WHERE id = 1 AND token = ?');
  }

  /** Become the owner, or throw StateDbInUseError naming the live holder. Then renew the heartbeat until release. */
  take(): void {
    const host = hostname();
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const nowMs = this.#clock();
      const row = this.#read.get() as OwnerRow | undefined;
      if (row && !this.#canTakeFrom(row, host, nowMs)) {
        throw new StateDbInUseError(this.#path, { pid: row.pid, host: row.host, startedAt: new Date(row.started_ms) }, nowMs, row);
      }
      this.#db
        .prepare('INSERT OR REPLACE INTO owner (id, token, pid, host, started_ms, heartbeat_ms) VALUES (1, ?, ?, ?, ?, ?)')
        .run(this.#token, process.pid, host, nowMs, nowMs);
      this.#db.exec('COMMIT');
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
    ownedHere.add(this.#token);
    // unref: the heartbeat alone must not keep a finished process (a test, the CLI) alive.
    this.#timer = setInterval(() => this.heartbeat(), this.#heartbeatMs).unref();
  }

  #canTakeFrom(row: OwnerRow, host: string, nowMs: number): boolean {
    if (row.token === this.#token) return true;
    if (nowMs - row.heartbeat_ms > this.#staleAfterMs) return true;
    if (row.host !== host) return false;
    // Our own pid under a token this process never took: a previous run that had this pid (a container
    // restarted with the same hostname and pid 1). Our own pid and a token taken here: a second owner in this process.
    if (row.pid === process.pid) return !ownedHere.has(row.token);
    return !this.#isAlive(row.pid);
  }

  /** Renew the heartbeat; finding the row someone else's means the file was taken over. */
  heartbeat(): void {
    if (this.#lost) return;
    try {
      if (Number(this.#beat.run(this.#clock(), this.#token).changes) === 0) this.#markLost();
    } catch {
      // SQLITE_BUSY (a long write elsewhere): the next beat tries again, well within the stale limit.
    }
  }

  /** Inside a write transaction: throw unless this process still owns the file. */
  check(): void {
    if (!this.#lost) {
      const row = this.#read.get() as OwnerRow | undefined;
      if (row?.token === this.#token) return;
      this.#markLost(row);
    }
    throw this.#lost!;
  }

  #markLost(row = this.#read.get() as OwnerRow | undefined): void {
    clearInterval(this.#timer);
    const holder = row ? `${describeHolder(row, this.#clock())}` : 'nobody holds it now';
    this.#lost = new StateDbOwnershipLostError(
      `this process no longer owns the state database ${this.#path} (${holder}): it was taken over while this process did not renew its heartbeat for ${Math.round(this.#staleAfterMs / 1000)} s (paused or blocked), so it may not write any more; stop this process`,
    );
    this.#onLost?.(this.#lost);
  }

  /** Give the file up (an owner that exits cleanly); the next process takes it at once. */
  release(): void {
    clearInterval(this.#timer);
    ownedHere.delete(this.#token);
    if (this.#lost) return;
    try {
      this.#db.prepare('DELETE FROM owner WHERE id = 1 AND token = ?').run(this.#token);
    } catch {
      // Busy or closing: the row goes stale, and a dead pid on this host is taken over at once anyway.
    }
  }
}
