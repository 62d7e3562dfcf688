/**
 * `npm run bench`: a cold and a warm scan of 120 tickers against the local Yahoo replay server with 100 ms
 * injected latency, through the real yahoo-finance2 client, the cache and the parallel scanner.
 *
 * The 120 tickers are built from the real recorded series in data/bars: each series, shifted by a few
 * sessions and scaled, under a made-up name (there is no openly licensed ~100-name daily set to ship).
 * Printed: wall time, upstream requests, the lower bound ceil(requests / concurrency) x latency, their
 * ratio (target <= 1.18), and the warm pass: a new runtime over the filled cache (target: 0 upstream requests,
 * cookie/crumb included).
 */
import type { Bar } from '../src/core/types.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRuntime, type Runtime } from '../src/app/runtime.ts';
import { loadConfig } from '../src/config/config.ts';
import { BUNDLED_BARS_DIR, parseBarsCsv } from '../src/market/replay.ts';
import { createYahooMarketData } from '../src/market/yahoo.ts';
import { scanCycle } from '../src/scanner/cycle.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { Worker } from 'node:worker_threads';

const LATENCY_MS = 100;
const CONCURRENCY = 10;
const TICKERS = 120;
/** A Monday: the nearest Friday expiry (4 days on) is the one the scanner asks for first. */
const AS_OF = new Date('2020-03-09T00:00:00Z');
const BASES = ['AAPL', 'AIG', 'BAC', 'BNO', 'EEM', 'FB', 'GOOG', 'GOOGL', 'IBM', 'IWM', 'QQQ', 'USO', 'WM', 'TSLA', 'SPY'];

const loaded = new Map<string, Bar[]>();
const load = (symbol: string): Bar[] => {
  if (!loaded.has(symbol)) {
    const text = readFileSync(join(BUNDLED_BARS_DIR, `${symbol.replace('^', '')}.csv`), 'utf8');
    loaded.set(symbol, parseBarsCsv(text, symbol).filter((b) => b.time <= AS_OF).slice(-200));
  }
  return loaded.get(symbol)!;
};

/** The base series moved back `shift` sessions, re-dated to end on AS_OF, prices scaled. */
function variant(bars: Bar[], shift: number, scale: number): Bar[] {
  const cut = bars.slice(Math.max(0, bars.length - 120 - shift), bars.length - shift);
  return cut.map((b, i) => ({
    time: bars[bars.length - cut.length + i]!.time,
    open: b.open * scale,
    high: b.high * scale,
    low: b.low * scale,
    close: b.close * scale,
    volume: b.volume,
  }));
}

function universe(): Map<string, Bar[]> {
  const map = new Map<string, Bar[]>([
    ['SPY', load('SPY')],
    ['^VIX', load('^VIX')],
  ]);
  for (let i = 0; map.size < TICKERS + 2; i++) {
    const base = BASES[i % BASES.length]!;
    const copy = Math.floor(i / BASES.length);
    map.set(`${base}X${String.fromCharCode(65 + copy)}`, variant(load(base), copy * 3, 0.5 + copy * 0.25));
  }
  return map;
}

/** The replay server on a worker thread; `ask` sends it a command and waits for its next answer. */
async function startServerThread(bars: Map<string, Bar[]>) {
  // Workers do not inherit tsx's loader: register it in the thread, then load the TypeScript entry.
  const entry = new URL('./yahoo-server-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { latencyMs: LATENCY_MS, bars: [...bars] } });
  const next = () => new Promise<Record<string, unknown>>((resolve) => worker.once('message', resolve));
  const { url } = (await next()) as { url: string };
  const ask = async (cmd: string) => {
    const answer = next();
    worker.postMessage(cmd);
    return answer;
  };
  return {
    url,
    ask,
    requests: async () => ((await ask('requests')) as { requests: string[] }).requests,
    close: async () => {
      await ask('close');
      await worker.terminate();
    },
  };
}

const bars = universe();
const server = await startServerThread(bars);
const symbols = [...bars.keys()].filter((s) => s !== 'SPY' && s !== '^VIX');
const config = loadConfig({
  MARKET_DATA: 'yahoo',
  YAHOO_API_ROOT: server.url,
  SCAN_CONCURRENCY: String(CONCURRENCY),
  UNIVERSE: symbols.join(','),
});
const now = () => new Date(AS_OF.getTime() + 20 * 3_600_000); // 16:00 New York, after the close
// Warm the process, not the cache: a throwaway client compiles yahoo-finance2's schema validators and our
// code paths once, as they are in a bot that has been running. The measured runtime below starts with an
// empty cache, its own cookie jar and no crumb, so every request it needs is counted.
{
  const warmup = createYahooMarketData({ apiRoot: server.url, now });
  await warmup.dailyBars('SPY', 60);
  await warmup.optionChain(symbols[0]!);
}
async function pass(label: string, rt: Runtime) {
  const before = (await server.requests()).length;
  const started = performance.now();
  const report = await scanCycle(rt.cycleDeps(rt.universe()));
  const wallMs = performance.now() - started;
  const seen = (await server.requests()).slice(before);
  const requests = seen.length;
  const boundMs = Math.ceil(requests / CONCURRENCY) * LATENCY_MS;
  const kinds = seen.reduce<Record<string, number>>((acc, path) => {
    const kind = path.includes('/chart/') ? 'chart' : path.includes('/options/') ? 'options' : 'cookie/crumb';
    acc[kind] = (acc[kind] ?? 0) + 1;
    return acc;
  }, {});
  console.log(
    `${label}: ${report.stats.scanned} tickers, ${report.stats.signals} signals, ${report.stats.errors} errors in ${wallMs.toFixed(0)} ms; ` +
      `${requests} upstream requests ${JSON.stringify(kinds)}; lower bound ${boundMs} ms; ratio ${boundMs > 0 ? (wallMs / boundMs).toFixed(3) : 'n/a'}`,
  );
  return { wallMs, requests, boundMs, signals: report.stats.signals };
}

console.log(`bench: ${symbols.length} tickers, ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}, as of ${AS_OF.toISOString().slice(0, 10)}`);
// Three cold passes, each with a fresh runtime (empty cache, new cookie jar, no crumb); the median decides.
const colds = [];
let rt: Runtime | undefined;
let store = new MemoryStore();
for (let i = 1; i <= 3; i++) {
  await rt?.close();
  store = new MemoryStore();
  rt = await createRuntime(config, { now, store });
  (globalThis as { gc?: () => void }).gc?.();
  colds.push(await pass(`cold ${i}`, rt));
}
if (process.env.BENCH_TIMELINE) {
  // BENCH_TIMELINE=1: requests the server received per 100 ms, to see stalls between rounds.
  const { times } = (await server.ask('times')) as { times: number[] };
  const t0 = times[0]!;
  const buckets = new Map<number, number>();
  for (const t of times) buckets.set(Math.floor((t - t0) / 100), (buckets.get(Math.floor((t - t0) / 100)) ?? 0) + 1);
  console.log([...buckets].map(([b, n]) => `${b * 100}:${n}`).join(' '));
}
// Warm: a new runtime (as a new process would be: its own client, cookie jar and no crumb) over the store the last
// cold pass filled (as a shared Redis would be). Every answer is cached, so nothing may go upstream, not even
// the cookie/crumb flow.
const warmRt = await createRuntime(config, { now, store });
const warm = await pass('warm (new runtime, cache filled)', warmRt);
const ratios = colds.map((c) => c.wallMs / c.boundMs).sort((a, b) => a - b);
const median = ratios[1]!;
const ok = median <= 1.18 && warm.requests === 0;
console.log(`median cold ratio ${median.toFixed(3)} (target <= 1.18); warm pass ${warm.requests} upstream requests (target 0)`);
console.log(ok ? 'targets met' : 'TARGETS MISSED');
await rt!.close();
await server.close();
process.exitCode = ok ? 0 : 1;
