/**
 * @module The read-only web dashboard (DASHBOARD=on): server-rendered pages on the bot's HTTP server, no
 * script at all, readable on a phone. Mount beside /healthz and /metrics:
 *
 * @example
 * const app = createHttpApp([healthRoutes(checks), metricsRoutes(bot.metrics), dashboardRoutes({ services, outbox, secrets })], logger);
 *
 * - `/` equity curve and drawdowns, the challenge, open positions, the regime, the last cycle;
 * - `/trades` closed trades with filters; `/diary` the archive and `/diary/YYYY-MM-DD` one day;
 * - `/alerts` the alert log with each destination's delivery status.
 * The token guard (auth.ts) and the security headers apply to these paths only, so /healthz and /metrics keep
 * answering probes and scrapers as before. Every page is scrubbed of the configured secrets before it goes out.
 */
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { tokenGuard } from './auth.ts';
import { alertsBody } from './alerts.ts';
import type { DashboardDeps } from './deps.ts';
import { diaryArchiveBody, diaryDayBody, parseDiaryDate } from './diary.ts';
import { type Html, layout, problemBody, type Section, STYLE_HASH } from './html.ts';
import { overviewBody, readOverview } from './overview.ts';
import { parseTradeFilters, tradesBody } from './trades.ts';

export type { DashboardDeps } from './deps.ts';

/** Every dashboard path: the guard and headers are attached to each, never to the whole server. */
export const DASHBOARD_PATHS = ['/', '/trades', '/diary', '/diary/:date', '/alerts'] as const;

export function dashboardRoutes(deps: DashboardDeps): Hono {
  const app = new Hono();
  const headers = secureHeaders({
    // Nothing runs and nothing loads: the one stylesheet is inline and allowed by its hash, the chart is inline SVG.
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: [`'${STYLE_HASH}'`],
      imgSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    // Plain HTTP by default; behind a TLS proxy the proxy decides HSTS.
    strictTransportSecurity: false,
  });
  const guard = tokenGuard(deps.token);
  for (const path of DASHBOARD_PATHS) app.use(path, headers, guard);

  const scrub = (text: string) => deps.secrets.reduce((out, secret) => (secret.length >= 4 ? out.split(secret).join('***') : out), text);
  const send = (c: Context, title: string, section: Section | undefined, body: Html, status: 200 | 400 | 404 = 200) => {
    c.header('Cache-Control', 'no-store');
    return c.html(scrub(layout({ title, ...(section ? { section } : {}), body })), status);
  };

  app.get('/', async (c) => send(c, 'Overview', '/', overviewBody(await readOverview(deps))));
  app.get('/trades', async (c) => {
    const parsed = parseTradeFilters(c.req.query());
    if ('problem' in parsed) return send(c, 'Bad filter', '/trades', problemBody(parsed.problem, { href: '/trades', label: 'All trades' }), 400);
    return send(c, 'Closed trades', '/trades', tradesBody(await deps.services.ledger.closedPositions(), parsed.filters));
  });
  app.get('/diary', async (c) => send(c, 'Diary', '/diary', await diaryArchiveBody(deps)));
  app.get('/diary/:date', async (c) => {
    const parsed = parseDiaryDate(c.req.param('date'));
    if ('problem' in parsed) return send(c, 'Bad date', '/diary', problemBody(parsed.problem, { href: '/diary', label: 'All diaries' }), 400);
    const body = await diaryDayBody(deps, parsed.date);
    if (!body) return send(c, 'No diary', '/diary', problemBody(`No diary was saved for ${parsed.date}.`, { href: '/diary', label: 'All diaries' }), 404);
    return send(c, `Diary ${parsed.date}`, '/diary', body);
  });
  app.get('/alerts', async (c) => send(c, 'Alerts', '/alerts', alertsBody(await deps.outbox.alertLog(), deps.secrets)));
  return app;
}
