/**
 * The dashboard in process (hono's `app.request`), on the bot's whole HTTP app as `npm start` builds it, over
 * a replayed bot state (test/support/dashboard-state.ts): each page's content, the trade filters and their
 * 400s, the diary's escaping, the token (bearer, ?token= then cookie, 401s), and no secret on any page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { botHttpApp } from '../../src/app/http/bot-http.ts';
import { configSecrets } from '../../src/config/secrets.ts';
import { createLogger } from '../../src/core/log.ts';
import { buildDashboardState, CHAT, MARKUP, SECRETS, type DashboardState } from '../support/dashboard-state.ts';

const AUTH = { Authorization: `Bearer ${SECRETS.DASHBOARD_TOKEN}` };

describe('the web dashboard (DASHBOARD=on) in process', () => {
  let state: DashboardState;
  let app: Hono;
  beforeAll(async () => {
    state = await buildDashboardState();
    app = botHttpApp(state.bot, { logger: createLogger({ write: () => {} }), secrets: configSecrets(state.bot.runtime.config) });
  });
  afterAll(async () => state.close());

  const get = (path: string, headers: Record<string, string> = AUTH) => app.request(path, { headers });
  const page = async (path: string, status = 200): Promise<string> => {
    const res = await get(path);
    expect(res.status, path).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    return res.text();
  };
  /** A page's text without tags, whitespace collapsed: what a reader sees. */
  const text = (html: string) =>
    (/<main>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '')
      .replace(/<svg[\s\S]*?<\/svg>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ');

  it('should show the equity chart, the challenge, open positions with modeled marks, the regime and the last cycle on /', async () => {
    const html = await page('/');
    expect(html).toMatch(/<div class="chart"><svg [^>]*role="img"/);
    expect(html).toContain('data-series="equity"');
    expect(html).toContain('data-series="drawdown"');
    expect(html).toContain('data-series="challenge"');
    const t = text(html);
    expect(t).toContain('As of 2020-03-16 (New York), option prices modeled (replay), not quoted.');
    expect(t).toContain('The challenge: $10,000 to $1,000,000');
    expect(t).toMatch(/Equity \$[\d,.]+ \(cash \$[\d,.]+, positions \$[\d,.]+\)/);
    expect(t).toMatch(/Time day 4 since 2020-03-12, [\d.]+ months left/);
    expect(t).toContain('Open positions (2)');
    expect(t).toMatch(/#4 IBM Mar 20 \$97\.50 put SHORT 3 \$3\.05 \$[\d.]+ modeled/);
    expect(t).toMatch(/#5 IWM Mar 20 \$105 put SHORT 3/);
    expect(t).toContain('Regime: BEARISH');
    expect(t).toContain('VIX 75.47 > 20'); // the reasons, escaped as text
    expect(html).toContain('<li>VIX 75.47 &gt; 20</li>');
    expect(t).toContain('Started Thu, Mar 12, 17:00 ET on replay data (option prices modeled)');
    expect(t).toContain('Scanned 16 tickers');
    expect(t).toContain('Errors 1');
    expect(t).toContain('Open positions (2) 1 stale');
    expect(t).toContain('stale: contract not in the chain; kept the $2.90 mark of 2020-03-12 21:00 UTC');
    expect(t).toContain('Failed tickers (1) Ticker Kind Error ZZZZ not_found ZZZZ: not in the recorded data, which has AAPL');
  });

  it('should list closed trades newest first with their outcome, and filter them by symbol, side, outcome and dates', async () => {
    const rows = (html: string) => [...html.matchAll(/<tr><td>#(\d+)<\/td>/g)].map((m) => m[1]);
    const all = await page('/trades');
    expect(rows(all)).toEqual(['2', '3', '1']); // exits: 2020-03-16 (#2, #3 at the same instant), 2020-03-12
    expect(text(all)).toMatch(/3 trades: 1 win, 2 losses \(win rate 33\.3%\), net [-+]?\$[\d,.]+ after \$[\d,.]+ in fees\./);
    expect(text(all)).toMatch(/#2 EEM Mar 20 \$32 put SHORT 11 .* manual \$0\.90 \$[\d.]+ modeled \+\$[\d,.]+ \([^)]+\) win/);
    expect(rows(await page('/trades?symbol=aig'))).toEqual(['1']); // normalised like a chat argument
    expect(rows(await page('/trades?symbol=%24EEM&side=short'))).toEqual(['2']);
    expect(rows(await page('/trades?side=LONG'))).toEqual([]);
    expect(rows(await page('/trades?outcome=win'))).toEqual(['2']);
    expect(rows(await page('/trades?outcome=loss'))).toEqual(['3', '1']);
    expect(rows(await page('/trades?from=2020-03-13'))).toEqual(['2', '3']);
    expect(rows(await page('/trades?to=2020-03-12'))).toEqual(['1']);
    expect(rows(await page('/trades?from=2020-03-16&to=2020-03-16&outcome=loss'))).toEqual(['3']);
    // What an untouched form sends: every field empty means "any".
    expect(rows(await page('/trades?symbol=&side=&outcome=&from=&to='))).toEqual(['2', '3', '1']);
    const none = await page('/trades?symbol=TSLA');
    expect(text(none)).toContain('No closed trade matches these filters.');
    expect(none).toContain('<input name="symbol" value="TSLA"');
  });

  it('should answer a bad filter with a 400 page naming the field, echoing nothing unescaped', async () => {
    const problem = async (query: string) => text(await page(`/trades?${query}`, 400));
    expect(await problem('side=sideways')).toContain('side: must be LONG or SHORT');
    expect(await problem('outcome=draw')).toContain('outcome: must be win or loss');
    expect(await problem('from=2020-3-1')).toContain('from: must be a date as YYYY-MM-DD, e.g. 2020-03-12');
    expect(await problem('to=2020-02-30')).toContain('to: is not a real calendar date');
    expect(await problem('from=2020-03-16&to=2020-03-12')).toContain('to: must not be before from');
    expect(await problem('sybmol=AIG')).toContain('"sybmol": not a filter; the filters are symbol, side, outcome, from, to');
    const html = await page(`/trades?symbol=${encodeURIComponent('<b>x</b>')}`, 400);
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('symbol: &quot;&lt;b&gt;x&lt;/b&gt;&quot; is not a ticker');
  });

  it('should list the diary archive (store copies and files) and render each day as escaped HTML', async () => {
    const archive = text(await page('/diary'));
    expect(archive).toContain('Day Saved in 2020-03-16 store and file 2020-03-12 store and file 2020-03-11 file');
    const day = await page('/diary/2020-03-12');
    expect(day).toContain('<h2>Trading Diary - March 12, 2020</h2>');
    expect(day).toContain('<a href="/diary/2020-03-11" rel="prev">');
    expect(day).toContain('<a href="/diary/2020-03-16" rel="next">');
    expect(text(day)).toContain('AIG: bought 11x Mar 20 $24 puts at $0.88 (modeled)');
    // A hand-edited file: markup stays text, the Markdown escapes are undone, a link is not a link.
    const notes = await page('/diary/2020-03-11');
    expect(notes).not.toMatch(/<script|<img|href="javascript/i);
    expect(notes).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(notes).toContain('<h3>Why *not*</h3>');
    expect(text(notes)).toContain(`Notes ${MARKUP}`);
    expect(text(await page('/diary/2019-01-02', 404))).toContain('No diary was saved for 2019-01-02.');
    expect(text(await page('/diary/2020-02-30', 400))).toContain('date: is not a real calendar date');
    expect(text(await page('/diary/..%2F..%2Fetc%2Fpasswd', 400))).toContain('date: must be a date as YYYY-MM-DD');
  });

  it('should show the alert log with each destination: sent with its message id, failed with its reason, pending', async () => {
    const html = await page('/alerts');
    const t = text(html);
    expect(t).toMatch(/^.* \d+ alerts, newest first: \d+ deliveries sent, 1 pending, 1 failed\./);
    expect(t).toContain(`📓 Trading Diary - March 16, 2020 console:stdout: sent message diary:2020-03-16:`);
    expect(t).toContain(`telegram:${CHAT}: pending next try Mon, Mar 16, 16:35 ET`);
    expect(t).toMatch(new RegExp(`🐻 Regime: BEARISH console:stdout: sent message regime:2020-03-12:\\w+ telegram:${CHAT}: failed Thu, Mar 12, 17:00 ET: .*chat not found \\(bot\\*\\*\\*\\)`));
    expect(t).toMatch(new RegExp(`EEM breakdown: buying 11x Mar 20 \\$32 puts console:stdout: sent message trade:EEM:2020-03-12:\\w+ telegram:${CHAT}: sent message 10\\d`));
    expect(t).toMatch(/EEM Mar 20 \$32 put closed by admin: \+\$[\d,.]+ \([^)]+\) reply to trade:EEM:2020-03-12:\w+/);
  });

  it('should ask for the token: 401 without it or with a wrong one, the bearer header, or ?token= once then a cookie', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong-token-0123456789' }, { Cookie: 'hx_dashboard=forged' }];
    for (const headers of attempts) {
      const res = await get('/alerts', headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="hundredx dashboard"');
      const body = await res.text();
      expect(body).toContain('<form method="get" action="/alerts">');
      expect(body).not.toContain('alerts, newest first');
    }
    expect((await get(`/trades?token=wrong-token-0123456789`, {})).status).toBe(401);
    const visit = await get(`/trades?outcome=win&token=${SECRETS.DASHBOARD_TOKEN}`, {});
    expect(visit.status).toBe(303);
    expect(visit.headers.get('location')).toBe('/trades?outcome=win'); // the token leaves the address bar
    const cookie = visit.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^hx_dashboard=[\w-]+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(SECRETS.DASHBOARD_TOKEN);
    const session = { Cookie: cookie.split(';')[0]! };
    for (const path of ['/', '/trades?outcome=win', '/diary', '/diary/2020-03-12', '/alerts']) expect((await get(path, session)).status, path).toBe(200);
    // Behind a TLS proxy the cookie is Secure.
    expect((await get(`/?token=${SECRETS.DASHBOARD_TOKEN}`, { 'X-Forwarded-Proto': 'https' })).headers.get('set-cookie')).toContain('; Secure');
    // The probes and the scraper are not behind the token; unknown paths stay 404.
    expect((await get('/healthz', {})).status).toBe(503); // the scheduler is not started in this test
    expect((await get('/metrics', {})).status).toBe(200);
    expect((await get('/nope', {})).status).toBe(404);
  });

  it('should send pages that run nothing, load nothing and are not cached', async () => {
    const res = await get('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'; .*style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('script-src');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).not.toMatch(/<script|\son\w+=/i);
  });

  it('should never show a secret on any page, 400, 401 and 404 pages included', async () => {
    const secrets = configSecrets(state.bot.runtime.config);
    expect(secrets).toEqual(expect.arrayContaining(Object.values(SECRETS)));
    const pages: Array<[string, Record<string, string>]> = [
      ...['/', '/trades', '/trades?side=x', '/diary', '/diary/2020-03-12', '/diary/2020-03-16', '/diary/2020-03-11', '/diary/2019-01-02', '/alerts'].map(
        (p): [string, Record<string, string>] => [p, AUTH],
      ),
      ['/alerts', {}],
      ['/trades?token=nope', {}],
    ];
    for (const [path, headers] of pages) {
      const body = await (await get(path, headers)).text();
      for (const secret of Object.values(SECRETS)) expect(body, `${path} shows ${secret}`).not.toContain(secret);
      expect(body).not.toMatch(/SECRET/i);
    }
  });
});
