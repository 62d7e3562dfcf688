/**
 * `npm start` on the recorded demo day, as a new user runs it first (replay, no chat platform): it says when
 * each job runs next, and RUN_ON_START (on by default in replay) runs one cycle right after the regime check,
 * so the first run shows its trades at once instead of waiting for the schedule.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBot } from '../../src/app/main.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Message } from '../../src/notify/message.ts';
import type { Sink } from '../../src/notify/sinks/sink.ts';
import { MemoryStore } from '../../src/store/memory.ts';

function collectingSink(): Sink & { titles: string[] } {
  const titles: string[] = [];
  return {
    name: 'test',
    titles,
    destinations: () => ['test:1'],
    partCount: () => 1,
    async sendPart(_destination: string, msg: Message) {
      titles.push(msg.title);
      return { messageId: String(titles.length) };
    },
  };
}

describe('npm start, first run', () => {
  const start = async (env: Record<string, string>) => {
    const logs: string[] = [];
    const sink = collectingSink();
    const diaryDir = mkdtempSync(join(tmpdir(), 'hx-start-'));
    const config = loadConfig({ MARKET_DATA: 'replay', DIGEST_THRESHOLD: '20', DIARY_DIR: diaryDir, HTTP_PORT: '0', ...env });
    const running = await startBot(config, { info: (m) => logs.push(m), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) }, {
      store: new MemoryStore(),
      sinks: [sink],
      instanceId: 'first',
    });
    await running.stop();
    return { logs, titles: sink.titles };
  };

  it("should log each job's next run and show a cycle's trades at once in replay", async () => {
    const { logs, titles } = await start({});
    for (const job of ['premarket', 'intraday', 'close']) {
      expect(logs.some((l) => new RegExp(`^scheduler first: ${job} on ".+" \\(New York time\\), next \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} ET$`).test(l))).toBe(true);
    }
    expect(logs).toContain('RUN_ON_START: running one intraday cycle now');
    expect(titles[0]).toMatch(/^🐻 Regime: BEARISH/); // the regime check first
    expect(titles.filter((t) => /breakdown: buying/.test(t)).length).toBeGreaterThan(0); // then the cycle's paper trades
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('should leave the first cycle to the schedule with RUN_ON_START=0', async () => {
    const { logs, titles } = await start({ RUN_ON_START: '0' });
    expect(logs).not.toContain('RUN_ON_START: running one intraday cycle now');
    expect(titles).toHaveLength(1); // the regime only
  });
});
