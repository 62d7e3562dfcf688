/**
 * What charts cost a cycle: the replayed demo day (2020-03-12, 11 signals: 6 paper trades, 5 skips with
 * MAX_NEW_POSITIONS 20), each signal's /scan chart built from the bars the scan returned and rendered to the
 * PNG the sinks send (notify/chart-image.ts, CHART_WIDTH_PX). Printed per alert: SVG build, PNG render and PNG
 * size; then the totals for the 6 alerts that carry a chart (ACCEPTED) and for all 11 (had REJECTED ones
 * carried one too), and the event-loop time a cycle spends on them. One cold pass (the first render loads
 * resvg's native module and the fonts), then the median of WARM_RUNS passes.
 */
import { loadavg } from 'node:os';
import { createRuntime } from '../src/app/runtime.ts';
import { loadConfig } from '../src/config/config.ts';
import { CHART_WIDTH_PX, createChartImages } from '../src/notify/chart-image.ts';
import { resultChart } from '../src/notify/chart-message.ts';
import { scanCycle } from '../src/scanner/cycle.ts';
import { MemoryStore } from '../src/store/memory.ts';

const WARM_RUNS = 15;

const config = loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12', MAX_NEW_POSITIONS: '20' });
const runtime = await createRuntime(config, { store: new MemoryStore() });
const report = await scanCycle({ ...runtime.cycleDeps(runtime.universe([])), readOnly: true });
await runtime.close();
const signals = report.results
  .filter((r) => r.signal && r.plan)
  .sort((a, b) => Math.abs(b.signal!.zScore) - Math.abs(a.signal!.zScore));

type Pass = { svgMs: number; pngMs: number; bytes: number }[];
/** One pass over every signal: build its chart, render it with a fresh cache (no reuse between passes). */
async function pass(widthPx = CHART_WIDTH_PX): Promise<Pass> {
  const images = createChartImages({ widthPx });
  const out: Pass = [];
  // One after another, as the outbox's lanes send a cycle's alerts.
  for (const r of signals) {
    const t0 = performance.now();
    const chart = resultChart(r, report.regime, config.breakout)!;
    const t1 = performance.now();
    const png = (await images.image(chart))!;
    const t2 = performance.now();
    out.push({ svgMs: t1 - t0, pngMs: t2 - t1, bytes: png.png.length });
  }
  return out;
}

const passes = async (count: number, widthPx?: number): Promise<Pass[]> => {
  const all: Pass[] = [];
  for (let i = 0; i < count; i++) all.push(await pass(widthPx));
  return all;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cold = await pass();
const warm = await passes(WARM_RUNS);
const perAlert = signals.map((_, i) => ({
  svgMs: median(warm.map((p) => p[i]!.svgMs)),
  pngMs: median(warm.map((p) => p[i]!.pngMs)),
  bytes: warm[0]![i]!.bytes,
}));

console.log(`bench: alert charts on the replayed 2020-03-12 cycle at ${CHART_WIDTH_PX} px, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
signals.forEach((r, i) => {
  const a = perAlert[i]!;
  console.log(
    `${r.symbol.padEnd(6)} ${r.plan!.status.padEnd(8)} svg ${a.svgMs.toFixed(2)} ms + png ${a.pngMs.toFixed(1)} ms, ${(a.bytes / 1024).toFixed(0)} KiB` +
      (i === 0 ? ` (cold: ${(cold[0]!.svgMs + cold[0]!.pngMs).toFixed(0)} ms)` : ''),
  );
});
const total = (which: (i: number) => boolean) => {
  const picked = perAlert.filter((_, i) => which(i));
  const ms = picked.reduce((sum, a) => sum + a.svgMs + a.pngMs, 0);
  const bytes = picked.reduce((sum, a) => sum + a.bytes, 0);
  return `${picked.length} charts: ${ms.toFixed(0)} ms (${(ms / picked.length).toFixed(1)} ms each), ${(bytes / 1024).toFixed(0)} KiB (${(bytes / 1024 / picked.length).toFixed(0)} KiB each)`;
};
const accepted = (i: number) => signals[i]!.plan!.status === 'ACCEPTED';
console.log(`sent (ACCEPTED only): ${total(accepted)}`);
console.log(`all ${signals.length} alerts, had REJECTED ones a chart too: ${total(() => true)}`);
console.log(`cold pass over all ${signals.length}: ${cold.reduce((sum, a) => sum + a.svgMs + a.pngMs, 0).toFixed(0)} ms`);
// For comparison: the canvas's own 800 px (the charts bench's target width).
const small = await passes(WARM_RUNS, 800);
const smallMs = median(small.map((p) => p.reduce((sum, a) => sum + a.svgMs + a.pngMs, 0)));
const smallBytes = small[0]!.reduce((sum, a) => sum + a.bytes, 0);
console.log(`at 800 px, for comparison: all ${signals.length} in ${smallMs.toFixed(0)} ms (${(smallMs / signals.length).toFixed(1)} ms each), ${(smallBytes / 1024 / signals.length).toFixed(0)} KiB each`);
