/**
 * `npm run bench`: every benchmark, each in its own Node process (so one's memory and JIT state do not
 * colour the next), all of them run even when one misses its target; exits 1 if any did.
 */
import { spawnSync } from 'node:child_process';

const BENCHES: readonly { file: string; flags?: string[] }[] = [
  { file: 'bench/scan.bench.ts', flags: ['--expose-gc'] },
  { file: 'bench/startup.bench.ts' },
  { file: 'bench/backtest.bench.ts' },
  { file: 'bench/charts.bench.ts' },
  { file: 'bench/alert-charts.bench.ts' },
  { file: 'bench/replay.bench.ts' },
];

const only = process.argv.slice(2);
const missed: string[] = [];
for (const bench of BENCHES.filter((b) => only.length === 0 || only.some((name) => b.file.includes(name)))) {
  process.stdout.write(`\n== ${bench.file}\n`);
  const run = spawnSync(process.execPath, [...(bench.flags ?? []), '--import', 'tsx', bench.file], { stdio: 'inherit' });
  if (run.status !== 0) missed.push(`${bench.file} (exit ${run.status ?? run.signal})`);
}
process.stdout.write(missed.length === 0 ? '\nbench: every target met\n' : `\nbench: missed or failed: ${missed.join(', ')}\n`);
process.exitCode = missed.length === 0 ? 0 : 1;
