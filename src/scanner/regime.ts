/**
 * @module The market regime as a cycle decides it: SPY and ^VIX bars of completed sessions (a live feed's
 * partial bar of today is left out, so every cycle of a day decides on the same data), classified with
 * hysteresis (analysis/regime.ts). The state that hysteresis starts from is the one of the session BEFORE the
 * one decided on, kept in the store with its session date, so re-deciding the same session all day long
 * gives the same answer instead of drifting with each re-run.
 */
import { completedBars } from '../analysis/calendar.ts';
import { classifyRegime, type RegimeConfig } from '../analysis/regime.ts';
import type { Bar, Regime, RegimeState } from '../core/types.ts';
import type { MarketData } from '../market/provider.ts';
import type { Store } from '../store/store.ts';

/** Where the regime state is kept, so hysteresis survives restarts. */
export const REGIME_STATE_KEY = 'hx:regime:state';

const STATES = new Set<RegimeState>(['BULLISH', 'NEUTRAL', 'BEARISH']);

/** The last state decided, the session it was decided for, and the state of the session before it. */
export type RegimeMemory = { session: string; state: RegimeState; prior?: RegimeState };

type Schedule = <T>(fetch: () => Promise<T>) => Promise<T>;

const isoDay = (time: Date) => time.toISOString().slice(0, 10);

async function barsOrReason(market: MarketData, symbol: string, days: number, schedule: Schedule, now: Date): Promise<{ bars: Bar[]; problem?: string }> {
  try {
    return { bars: completedBars(await schedule(() => market.dailyBars(symbol, days)), now) };
  } catch (err) {
    return { bars: [], problem: `${symbol} data unavailable: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The remembered regime; an older plain state string (no session) still counts as the last state. */
export async function readRegimeMemory(store: Store | undefined): Promise<RegimeMemory | undefined> {
  const raw = await store?.get(REGIME_STATE_KEY).catch(() => null);
  if (!raw) return undefined;
  if (STATES.has(raw as RegimeState)) return { session: '', state: raw as RegimeState };
  try {
    const memory = JSON.parse(raw) as RegimeMemory;
    return STATES.has(memory.state) ? memory : undefined;
  } catch {
    return undefined;
  }
}

/** The state hysteresis starts from when deciding `session`: the one before it, never its own re-decision. */
const previousFor = (memory: RegimeMemory | undefined, session: string): RegimeState | undefined =>
  memory && memory.session === session ? memory.prior : memory?.state;

/**
 * The regime from SPY and ^VIX as known at `now`. Missing data gives NEUTRAL with the reason said, dated
 * `asOf` (the decision day) since no bar can date it. `schedule` runs each fetch, e.g. through the cycle's
 * request queue.
 */
export async function assessRegime(
  market: MarketData,
  config: RegimeConfig,
  opts: { asOf: Date; now?: Date; memory?: RegimeMemory; schedule?: Schedule },
): Promise<Regime> {
  const schedule: Schedule = opts.schedule ?? ((fetch) => fetch());
  const now = opts.now ?? new Date();
  const [spy, vix] = await Promise.all([
    barsOrReason(market, 'SPY', Math.ceil(config.smaDays * 1.6) + 10, schedule, now),
    barsOrReason(market, '^VIX', 30, schedule, now),
  ]);
  const last = [spy.bars.at(-1)?.time, vix.bars.at(-1)?.time].filter((t): t is Date => t !== undefined);
  const session = last.length > 0 ? isoDay(new Date(Math.max(...last.map((t) => t.getTime())))) : '';
  const regime = classifyRegime({ vix: vix.bars, spy: spy.bars, previous: previousFor(opts.memory, session) }, config);
  const problems = [spy.problem, vix.problem].filter((p): p is string => p !== undefined);
  const asOf = Number.isNaN(regime.asOf.getTime()) ? opts.asOf : regime.asOf;
  const degraded = problems.length > 0 || !Number.isFinite(regime.vix) || !Number.isFinite(regime.spySma);
  return { ...regime, asOf, reasons: [...problems, ...regime.reasons], ...(degraded ? { degraded } : {}) };
}

/**
 * Keep `regime` as the state of its session. A regime decided on incomplete data is not kept: it is NEUTRAL
 * by rule, and would make the next session start its hysteresis from an outage.
 */
export async function rememberRegime(store: Store | undefined, regime: Regime, memory: RegimeMemory | undefined): Promise<void> {
  if (!store || regime.degraded) return;
  const session = isoDay(regime.asOf);
  const prior = previousFor(memory, session);
  const next: RegimeMemory = { session, state: regime.state, ...(prior ? { prior } : {}) };
  await store.set(REGIME_STATE_KEY, JSON.stringify(next)).catch(() => undefined);
}
