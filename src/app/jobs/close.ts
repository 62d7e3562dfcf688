/**
 * @module The end-of-day job: settle and mark the book, record the equity point, then save and post the trading
 * diary with the equity chart. `at` is the close it covers (the scheduled 16:15): a restart making up for a killed close the next
 * morning still writes that day's diary.
 */
import { nyDate } from '../../analysis/calendar.ts';
import { composeDiary, saveDiary } from '../../diary/store.ts';
import { ledgerEquityChart } from '../../notify/chart-message.ts';
import { updateBook } from './intraday.ts';
import { flushOutbox, post, stopIfAborted, warn, type JobDeps } from './post.ts';

export async function closeJob(deps: JobDeps, signal?: AbortSignal, at: Date = deps.now()): Promise<void> {
  const date = nyDate(at);
  const { services } = deps;
  await updateBook(deps, at);
  stopIfAborted(signal, 'close');
  const diary = await composeDiary(services.diary, date);
  // Saving and posting are independent: a read-only DIARY_DIR must not keep the diary from the chats.
  const retentionMs = services.runtime.config.retentionMs;
  const saved = await saveDiary(services.diary.diaryDir, services.runtime.store, date, diary, { retentionMs }).then(
    () => true,
    (err: unknown) => {
      warn(deps.logger, `diary for ${date} not saved`, err);
      return false;
    },
  );
  // The posted diary shows the equity curve; the saved one stays text (it is what /diary <date> replays).
  const chart = await services
    .history(at)
    .then((record) => ledgerEquityChart(record, { title: `Paper equity to ${date}` }))
    .catch((err: unknown) => void warn(deps.logger, `equity chart for the ${date} diary left out`, err));
  await post(deps, [{ ...diary.message, ...(chart ? { chart } : {}) }], at);
  await flushOutbox(deps);
  // Once a day: what is older than the retention goes, so state stays bounded over months of running.
  await services.events?.prune(at).catch((err: unknown) => warn(deps.logger, 'pruning ledger events', err));
  await deps.outbox.prune(at.getTime() - retentionMs).catch((err: unknown) => warn(deps.logger, 'pruning the outbox failed list and alert log', err));
  deps.logger.info(`diary for ${date} ${saved ? 'saved and ' : ''}posted`);
}
