/**
 * One bot process per state file: a second owner is refused naming the file and its holder, a dead or
 * silent holder is taken over, a holder that lost the file cannot write, and guests (the CLI) read and
 * write beside the owner. Real processes where the rule is about processes (a child owns the file, `npm
 * start`'s entry is refused, kill -9 frees it); in-process owners with an injected clock for staleness.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { hostname } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { HEARTBEAT_MS, STALE_AFTER_MS, StateDbInUseError, StateDbOwnershipLostError } from '../../src/store/sqlite-owner.ts';
import { tempStateDb, type TempStateDb } from '../support/sqlite.ts';

const CHILD = fileURLToPath(new URL('./sqlite-owner-child.ts', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/app/main.ts', import.meta.url));

/** Start a child owning `path`; resolves with it once it reports "owner <pid>". */
function startOwner(path: string): Promise<ChildProcessWithoutNullStreams> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('owner ')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`owner child exited ${code}: ${stderr}`)));
  });
}

function killed(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Write an owner row by hand: a holder this test invents (another host, a dead pid...). */
function writeOwnerRow(path: string, row: { pid: number; host: string; heartbeatMs: number }) {
  const raw = new DatabaseSync(path);
  raw.prepare('INSERT OR REPLACE INTO owner (id, token, pid, host, started_ms, heartbeat_ms) VALUES (1, ?, ?, ?, ?, ?)').run('someone-else', row.pid, row.host, row.heartbeatMs - 60_000, row.heartbeatMs);
  raw.close();
}

describe('one bot process per state file', () => {
  let db: TempStateDb;
  let children: ChildProcessWithoutNullStreams[] = [];
  beforeEach(() => {
    db = tempStateDb();
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).filter((c) => c.exitCode === null && c.signalCode === null).map(killed));
    vi.useRealTimers();
    await db.cleanup();
  });

  it('should refuse a second bot process with the file, the holder and what to do, and let it take over once the holder is killed (-9)', async () => {
    const owner = await startOwner(db.path);
    children.push(owner);
    const refused = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      // The real entry of `npm start`: the store is opened first, so it stops before anything else starts.
      const bot = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        env: { ...process.env, STATE_DB: db.path, REDIS_URL: '', MARKET_DATA: 'replay' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      bot.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      bot.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`hundredx failed to start: the state database ${db.path} is in use by another hundredx process (pid ${owner.pid} on host ${hostname()}, running since 20`);
    expect(refused.stderr).toContain('One bot process per state file: stop that process first, give this one its own STATE_DB, or set REDIS_URL');

    await killed(owner);
    // Its pid is dead on this host: taken over at once, no waiting for the heartbeat to go stale.
    const next = db.owner();
    expect(await next.get('written-by')).toBe(String(owner.pid));
    await next.set('written-by', 'the next owner');
  }, 60_000);

  it('should let a guest (the CLI) read and write while another process owns the file', async () => {
    const owner = await startOwner(db.path);
    children.push(owner);
    const guest = db.guest();
    expect(await guest.get('written-by')).toBe(String(owner.pid));
    await guest.setAdd('hx:watch:cli', 'NFLX');
    expect(await guest.setMembers('hx:watch:cli')).toEqual(['NFLX']);
    expect(() => db.owner()).toThrow(StateDbInUseError);
  }, 60_000);

  it('should refuse a second owner in one process, and take the file at once after the first closes', async () => {
    const first = db.owner();
    expect(() => db.owner()).toThrow(`is in use by another hundredx process (pid ${process.pid} on host ${hostname()}`);
    await first.set('k', 'v');
    await first.close();
    expect(await db.owner().get('k')).toBe('v');
  });

  it('should take over from a dead pid on this host, but not from a live one or one on another host', () => {
    db.guest(); // creates the file and its tables
    writeOwnerRow(db.path, { pid: 4_000_001, host: hostname(), heartbeatMs: Date.now() });
    expect(() => db.owner({ lease: { isAlive: () => true } })).toThrow(/pid 4000001 on host/);
    expect(db.owner({ lease: { isAlive: () => false } })).toBeInstanceOf(SqliteStore);
  });

  it('should wait for the heartbeat of a holder on another host to go stale, then take over', async () => {
    db.guest(); // creates the file and its tables
    let nowMs = Date.UTC(2026, 2, 2, 15, 0);
    writeOwnerRow(db.path, { pid: 1234, host: 'other-host', heartbeatMs: nowMs });
    nowMs += STALE_AFTER_MS;
    expect(() => db.owner({ lease: { clock: () => nowMs, isAlive: () => false } })).toThrow(
      /pid 1234 on host other-host, running since 2026-03-02T14:59:00.000Z, last heartbeat 20 s ago\)/,
    );
    nowMs += 1;
    expect(() => db.owner({ lease: { clock: () => nowMs } })).not.toThrow();
  });

  it('should keep the file while its heartbeat runs, and stop a paused owner that lost it from writing', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let nowMs = Date.UTC(2026, 2, 2, 15, 0);
    const clock = () => nowMs;
    const lost: string[] = [];
    const first = db.owner({ lease: { clock, onLost: (err) => lost.push(err.message) } });
    for (let i = 0; i < 6; i++) {
      nowMs += HEARTBEAT_MS;
      vi.advanceTimersByTime(HEARTBEAT_MS);
    }
    expect(() => db.owner({ lease: { clock } })).toThrow(StateDbInUseError);

    // Paused (SIGSTOP, a debugger): no heartbeat for longer than the stale limit, and another owner takes over.
    nowMs += STALE_AFTER_MS + 1;
    const second = db.owner({ lease: { clock } });
    await second.set('k', 'from the new owner');
    await expect(first.set('k', 'from the paused one')).rejects.toThrow(StateDbOwnershipLostError);
    await expect(first.compareAndWrite([], [{ op: 'del', key: 'k' }])).rejects.toThrow(/no longer owns the state database .*stop this process/);
    expect(await first.get('k')).toBe('from the new owner'); // reading is still harmless
    vi.advanceTimersByTime(HEARTBEAT_MS); // its heartbeat must not steal the file back
    await second.set('k', 'still the new owner');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toContain(`pid ${process.pid} on host ${hostname()}`);
  });
});
