/** @module The end-of-day job: settle and mark the book, record the equity point, then save and post the trading diary. */
import { nyDate } from '../../analysis/calendar.ts';
import { composeDiary, saveDiary } from '../../diary/store.ts';
import { updateBook } from './intraday.ts';
import { flushOutbox, post, stopIfAborted, warn, type JobDeps } from './post.ts';

export async function closeJob(deps: JobDeps, signal?: AbortSignal): Promise<void> {
  const at = deps.now();
  const date = nyDate(at);
  const { services } = deps;
  await updateBook(deps, at);
  stopIfAborted(signal, 'close');
  const diary = await composeDiary(services.diary, date);
  // Saving and posting are independent: a read-only DIARY_DIR must not keep the diary from the chats.
  const saved = await saveDiary(services.diary.diaryDir, services.runtime.store, date, diary).then(
    () => true,
    (err: unknown) => {
      warn(deps.logger, `diary for ${date} not saved`, err);
      return false;
    },
  );
  await post(deps, [diary.message], at);
  await flushOutbox(deps);
  deps.logger.info(`diary for ${date} ${saved ? 'saved and ' : ''}posted`);
}
