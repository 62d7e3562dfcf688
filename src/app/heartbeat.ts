/**
 * @module Is a bot running? Each running bot writes a heartbeat to the store (instance id, host, pid, when it
 * started, its last beat) every 30 s, and marks it stopped on a clean shutdown; `/status` and `hundredx status`
 * read them all and call a bot running while its last beat is fresh. A killed bot simply stops beating.
 */
import { hostname } from 'node:os';
import type { InstanceStatus } from '../../commands/context.ts';
import type { Store } from '../store/store.ts';

/** How often a running bot beats. */
export const HEARTBEAT_EVERY_MS = 30_000;
/** A bot whose last beat is older than this has missed two beats: taken for dead (killed, or cut off from the store). */
export const HEARTBEAT_STALE_MS = 2.5 * HEARTBEAT_EVERY_MS;

const INSTANCES_KEY = 'hx:bot:instances';
const BEAT_KEY = (instanceId: string) => `hx:bot:heartbeat:${instanceId}`;
/** A week: long enough to say "last seen 3 days ago", short enough that dead instances fade away. */
const BEAT_TTL_MS = 7 * 86_400_000;

/** One instance's heartbeat as stored (ISO strings). */
export type Heartbeat = { instanceId: string; host: string; pid: number; startedAt: string; lastBeatAt: string; stoppedAt?: string };

/** The heartbeat of this process, as `beat()` writes it. */
export function ownHeartbeat(instanceId: string, startedAt: Date): Omit<Heartbeat, 'lastBeatAt'> {
  return { instanceId, host: hostname(), pid: process.pid, startedAt: startedAt.toISOString() };
}

/** Write one beat (at `at`; `stopped` on a clean shutdown), in one write (one rewrite of a state file). */
export async function beat(store: Store, own: Omit<Heartbeat, 'lastBeatAt'>, at: Date, stopped = false): Promise<void> {
  const record: Heartbeat = { ...own, lastBeatAt: at.toISOString(), ...(stopped ? { stoppedAt: at.toISOString() } : {}) };
  await store.compareAndWrite(
    [],
    [
      { op: 'set', key: BEAT_KEY(own.instanceId), value: JSON.stringify(record), ttlMs: BEAT_TTL_MS },
      { op: 'setAdd', key: INSTANCES_KEY, member: own.instanceId },
    ],
  );
}

/**
 * Every instance's last heartbeat, freshest first, as /status shows them: `alive` while the last beat is
 * newer than HEARTBEAT_STALE_MS and the bot did not stop. Instances whose heartbeat expired are dropped.
 */
export async function readInstances(store: Store, now: Date): Promise<InstanceStatus[]> {
  const instances: InstanceStatus[] = [];
  for (const id of await store.setMembers(INSTANCES_KEY)) {
    const raw = await store.get(BEAT_KEY(id));
    if (!raw) {
      await store.setRemove(INSTANCES_KEY, id).catch(() => undefined);
      continue;
    }
    const hb = JSON.parse(raw) as Heartbeat;
    const ageMs = Math.max(0, now.getTime() - Date.parse(hb.lastBeatAt));
    instances.push({ ...hb, ageMs, alive: hb.stoppedAt === undefined && ageMs <= HEARTBEAT_STALE_MS });
  }
  return instances.sort((a, b) => b.lastBeatAt.localeCompare(a.lastBeatAt));
}
