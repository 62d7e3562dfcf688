/**
 * @module GET /diary : the archive of saved diaries (the Store's copies and the Markdown files in DIARY_DIR),
 * newest first; GET /diary/YYYY-MM-DD : one day's diary, its Markdown rendered as escaped HTML.
 */
import { isoDate } from '../../../config/fields.ts';
import { loadDiary, savedDiaryDays, type SavedDiaryDay } from '../../../diary/store.ts';
import { h, type Html, table } from './html.ts';
import { diaryMarkdownToHtml } from './markdown.ts';
import type { DashboardDeps } from './deps.ts';

export async function diaryArchiveBody({ services }: DashboardDeps): Promise<Html> {
  const { days, storeError } = await savedDiaryDays(services.runtime.store, services.runtime.config.diaryDir);
  const where = (d: SavedDiaryDay) => [d.inStore ? 'store' : '', d.inFile ? 'file' : ''].filter(Boolean).join(' and ');
  const rows = days.map((d) => h`<tr><td><a href="/diary/${d.date}">${d.date}</a></td><td>${where(d)}</td></tr>`);
  const warning = storeError ? h`<p class="warn">The store could not be read (${storeError}); only the files are listed.</p>` : '';
  if (days.length === 0) return h`${warning}<p class="muted">No diary saved yet: the end-of-day job writes one every trading day.</p>`;
  return h`${warning}${table(['Day', 'Saved in'], rows)}
<p class="muted"><small>Files in the diary folder are kept for good; the store's copies expire with RETENTION_DAYS.</small></p>`;
}

/** The date from the path, or the problem naming it. */
export function parseDiaryDate(raw: string): { date: string } | { problem: string } {
  const parsed = isoDate.safeParse(raw);
  return parsed.success ? { date: parsed.data } : { problem: `date: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
}

/** One day's diary with links to the saved days around it, or null when none was saved for it. */
export async function diaryDayBody({ services }: DashboardDeps, date: string): Promise<Html | null> {
  const { store, config } = services.runtime;
  const diary = await loadDiary(store, config.diaryDir, date);
  if (!diary) return null;
  const dates = (await savedDiaryDays(store, config.diaryDir)).days.map((d) => d.date); // newest first
  const newer = dates.filter((d) => d > date).at(-1);
  const older = dates.find((d) => d < date);
  const nav = h`<p>${older ? h`<a href="/diary/${older}" rel="prev">&larr; ${older}</a> · ` : ''}<a href="/diary">All diaries</a>${newer ? h` · <a href="/diary/${newer}" rel="next">${newer} &rarr;</a>` : ''}</p>`;
  return h`${nav}${diaryMarkdownToHtml(diary.markdown)}${nav}`;
}
