/**
 * `npm run bench` (part): the backtest's speed. One strategy run over 2016-03-01..2021-03-31 on the 15
 * recorded symbols that cover it (target <= 10 s wall on 2 cores), then the whole evidence report (the
 * strategy, 3 controls, 7 more sensitivity runs), which is about 11 such runs.
 */
import { recordedUniverse } from '../src/app/backtest.ts';
import { runBacktest } from '../src/backtest/engine.ts';
import { backtestReport } from '../src/backtest/report.ts';
import { loadConfig } from '../src/config/config.ts';

const FROM = '2016-03-01';
const TO = '2021-03-31';
const TARGET_MS = 10_000;
const config = loadConfig({ MARKET_DATA: 'replay' });
const universe = recordedUniverse(config, FROM, TO);

const timed = async <T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
};

const one = await timed(() => runBacktest({ from: FROM, to: TO, universe, config }));
console.log(
  `backtest ${FROM}..${TO}, ${universe.length} tickers, ${one.value.equity.length} sessions, ${one.value.trades.length} trades: ` +
    `${(one.wallMs / 1000).toFixed(1)} s wall, ${(one.cpuMs / 1000).toFixed(1)} s CPU (target <= ${TARGET_MS / 1000} s) ${one.wallMs <= TARGET_MS ? 'met' : 'MISSED'}`,
);
const full = await timed(() => backtestReport({ from: FROM, to: TO, universe, config }));
console.log(`full report (strategy, 3 controls, 8 sensitivity rows): ${(full.wallMs / 1000).toFixed(1)} s wall, ${(full.cpuMs / 1000).toFixed(1)} s CPU`);
