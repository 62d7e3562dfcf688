/**
 * Runs the local Yahoo replay server on its own thread, so the benchmark times the client (yahoo-finance2,
 * cache, scanner) and not the fake server's JSON building, which would otherwise share the event loop.
 */
import type { Bar } from '../src/core/types.ts';
import { parentPort, workerData } from 'node:worker_threads';
import { startYahooServer } from '../test/support/yahoo-server.ts';

const { latencyMs, bars } = workerData as { latencyMs: number; bars: [string, Bar[]][] };
const server = await startYahooServer({ latencyMs, syntheticBars: new Map(bars) });
parentPort!.on('message', async (msg: string) => {
  if (msg === 'requests') parentPort!.postMessage({ requests: server.requests.map((r) => r.path), times: server.requests.map((r) => r.atMs) });
  if (msg === 'times') parentPort!.postMessage({ times: server.requests.map((r) => Math.round(r.atMs)) });
  if (msg === 'close') {
    await server.close();
    parentPort!.postMessage({ closed: true });
  }
});
parentPort!.postMessage({ url: server.url });
