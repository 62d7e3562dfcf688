import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { tempPathFor } from '../../src/core/atomic-file.ts';

describe('MemoryStore with persistPath', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hx-state-'));
    path = join(dir, 'state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should give a new store on the same file every string, list and set written before', async () => {
    const first = new MemoryStore({ persistPath: path });
    await first.set('s', 'v');
    await first.listPush('l', 'a');
    await first.listPush('l', 'b');
    await first.setAdd('set', 'm');
    await first.compareAndWrite([{ key: 's', value: 'v' }], [{ op: 'set', key: 'cas', value: 'yes' }]);
    await first.close();

    const second = new MemoryStore({ persistPath: path });
    expect(await second.get('s')).toBe('v');
    expect(await second.get('cas')).toBe('yes');
    expect(await second.listRange('l')).toEqual(['a', 'b']);
    expect(await second.setMembers('set')).toEqual(['m']);
  });

  it('should keep TTLs across a restart and drop what expired meanwhile', async () => {
    let nowMs = Date.UTC(2026, 2, 2);
    const first = new MemoryStore({ persistPath: path, now: () => nowMs });
    await first.set('short', 'v', 1000);
    await first.set('long', 'v', 60_000);
    nowMs += 5000;
    const second = new MemoryStore({ persistPath: path, now: () => nowMs });
    expect(await second.get('short')).toBeNull();
    expect(await second.get('long')).toBe('v');
    nowMs += 60_000;
    expect(await second.get('long')).toBeNull();
  });

  it('should keep the last good file when a crash left a half-written temp file beside it', async () => {
    const first = new MemoryStore({ persistPath: path });
    await first.set('ledger', 'good');
    // A process killed mid-write leaves its temp file, truncated; the target was never renamed over.
    writeFileSync(tempPathFor(path), '{"version":1,"entries":{"ledger":{"type":"str');

    const second = new MemoryStore({ persistPath: path });
    expect(await second.get('ledger')).toBe('good');
    await second.set('ledger', 'better');
    expect(await new MemoryStore({ persistPath: path }).get('ledger')).toBe('better');
  });

  it('should leave no temp file behind after a successful write', async () => {
    const store = new MemoryStore({ persistPath: path });
    await store.set('a', '1');
    await store.del('a');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('should refuse to start from an unreadable file rather than lose the state in it', () => {
    writeFileSync(path, 'not json');
    expect(() => new MemoryStore({ persistPath: path })).toThrow(/state file .*state\.json is unreadable.*move it aside/);
  });

  it('should not write keys the filter excludes, and close() should not wipe the file', async () => {
    const store = await createStore({ statePath: path });
    await store.set('hx:md:yahoo:bars:NFLX:60', 'big cache entry');
    await store.set('hx:ledger:book', '{"cash":1}');
    await store.close();
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(saved.entries)).toEqual(['hx:ledger:book']);
    expect(await new MemoryStore({ persistPath: path }).get('hx:ledger:book')).toBe('{"cash":1}');
  });

  it('should not touch the disk without persistPath', async () => {
    const store = new MemoryStore();
    await store.set('a', '1');
    expect(readdirSync(dir)).toEqual([]);
  });
});
