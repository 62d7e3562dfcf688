/** @module The pre-market job (and the start-up check): announce the regime when it differs from the last announced. */
import { nyDate } from '../../analysis/calendar.ts';
import { regimeAlert } from '../../notify/messages.ts';
import { announcedRegime, post, reachedAnyone, rememberAnnounced, stopIfAborted, warn, type JobDeps } from './post.ts';

export async function premarketJob(deps: JobDeps, signal?: AbortSignal): Promise<void> {
  const regime = await deps.services.regime();
  const at = deps.now();
  await deps.services.journal.recordRegime(nyDate(at), at, regime).catch((err: unknown) => warn(deps.logger, 'journal', err));
  // An outage is not a regime change: missing data is logged, not announced.
  if (regime.degraded) {
    deps.logger.warn(`regime check on incomplete data: ${regime.reasons[0] ?? 'data missing'}`);
    return;
  }
  const previous = await announcedRegime(deps);
  if (previous === regime.state) return;
  stopIfAborted(signal, 'premarket');
  const outcomes = await post(deps, [regimeAlert(regime, { previous })], at);
  if (!reachedAnyone(outcomes)) return; // not announced: the next check tries again
  await rememberAnnounced(deps, regime.state);
  deps.logger.info(`regime ${previous ?? 'unknown'} -> ${regime.state} announced`);
}
