/**
 * The dashboard in a real browser: Debian's chromium (/usr/bin/chromium, installed by .ci/run) driven by
 * playwright-core, which never downloads a browser of its own. JavaScript is off in the browser, as the pages
 * must work without it. The bot's HTTP server runs on 127.0.0.1:0 over the replayed state the in-process
 * test uses. Skipped with the reason printed when chromium is missing or will not start, unless
 * REQUIRE_CHROMIUM=1 (CI), where that is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHttp } from '../../src/app/http/bot-http.ts';
import type { HttpServer } from '../../src/app/http/server.ts';
import { configSecrets } from '../../src/config/secrets.ts';
import { createLogger } from '../../src/core/log.ts';
import { buildDashboardState, SECRETS, type DashboardState } from '../support/dashboard-state.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A fresh profile per run: nothing a previous run left (cookies, cache) can make a page pass. */
async function launch(): Promise<{ context: BrowserContext; profileDir: string }> {
  const profileDir = mkdtempSync(join(tmpdir(), 'hx-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: FLAGS,
      headless: true,
      javaScriptEnabled: false,
      viewport: { width: 1000, height: 800 },
      timeout: 10_000,
    });
    return { context, profileDir };
  } catch (err) {
    rmSync(profileDir, { recursive: true, force: true });
    throw err;
  }
}

const launched = existsSync(CHROMIUM) ? await launch().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))) : new Error(`${CHROMIUM} not found (apt-get install -y chromium)`);
const skipBrowser = launched instanceof Error && process.env.REQUIRE_CHROMIUM !== '1';
if (launched instanceof Error) {
  console.warn(`${skipBrowser ? 'Skipping' : 'Failing'} the dashboard browser test: chromium cannot start: ${launched.message.split('\n')[0]}`);
}

/** Share of the image's pixels that are not (near) white, and how many distinct colours it has. */
function inked(png: Buffer): { width: number; height: number; inkedShare: number; colours: number } {
  const image = PNG.sync.read(png);
  let inkedPixels = 0;
  const colours = new Set<number>();
  for (let i = 0; i < image.data.length; i += 4) {
    const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
    if (r < 235 || g < 235 || b < 235) inkedPixels++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { width: image.width, height: image.height, inkedShare: inkedPixels / (image.width * image.height), colours: colours.size };
}

describe.skipIf(skipBrowser)('the web dashboard in chromium (JavaScript off)', () => {
  let state: DashboardState;
  let server: HttpServer;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    if (launched instanceof Error) throw launched;
    context = launched.context;
    state = await buildDashboardState();
    const logger = createLogger({ write: () => {} });
    server = await startBotHttp(state.bot, { logger, secrets: configSecrets(state.bot.runtime.config), listen: { port: 0, host: '127.0.0.1' } });
    page = context.pages()[0] ?? (await context.newPage());
  });
  afterAll(async () => {
    if (!(launched instanceof Error)) {
      await launched.context.close();
      rmSync(launched.profileDir, { recursive: true, force: true });
    }
    await server?.close();
    await state?.close();
  });

  /** Click a link and wait for the page it opens; returns that page's HTTP status. */
  async function follow(name: string | RegExp, path: string): Promise<number> {
    const response = page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().isNavigationRequest());
    await page.getByRole('link', { name, exact: typeof name === 'string' }).first().click();
    const status = (await response).status();
    await page.waitForURL((url) => url.pathname === path);
    return status;
  }

  it('should answer 401 with a token form, then open the overview with its chart drawn once the token is entered', async () => {
    await context.clearCookies();
    const refused = await page.goto(`${server.url}/`);
    expect(refused?.status()).toBe(401);
    await expect(page.getByRole('heading', { name: 'Token needed' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('Token').fill(SECRETS.DASHBOARD_TOKEN);
    const opened = page.waitForResponse((r) => new URL(r.url()).pathname === '/' && r.status() === 200);
    await page.getByRole('button', { name: 'Open' }).click();
    await opened;
    expect(page.url()).toBe(`${server.url}/`); // the token is gone from the address bar; a cookie carries it
    await expect(page.getByRole('heading', { name: 'Overview' }).isVisible()).resolves.toBe(true);

    const chart = page.locator('.chart svg');
    await expect(chart.isVisible()).resolves.toBe(true);
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(600); // 800 user units, scaled to the column
    expect(box.height / box.width).toBeCloseTo(450 / 800, 2);
    const shot = inked(await chart.screenshot());
    // The element's box in CSS pixels at a device scale of 1; screenshots round its edges to whole pixels.
    expect(Math.abs(shot.width - box.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(shot.height - box.height)).toBeLessThanOrEqual(1);
    expect(shot.inkedShare).toBeGreaterThan(0.03); // axes, the curve, the drawdown shading, the labels
    expect(shot.colours).toBeGreaterThan(20);
  });

  it('should follow the links between every page, filters included, without JavaScript', async () => {
    await context.clearCookies();
    expect((await page.goto(`${server.url}/?token=${SECRETS.DASHBOARD_TOKEN}`))?.status()).toBe(200);
    expect(await follow('Trades', '/trades')).toBe(200);
    await expect(page.locator('tbody tr').count()).resolves.toBe(3);
    await page.getByLabel('Outcome').selectOption('win');
    const filtered = page.waitForResponse((r) => new URL(r.url()).pathname === '/trades' && r.request().isNavigationRequest());
    await page.getByRole('button', { name: 'Filter' }).click();
    expect((await filtered).status()).toBe(200);
    expect(new URL(page.url()).searchParams.get('outcome')).toBe('win');
    await expect(page.locator('tbody tr').allInnerTexts()).resolves.toEqual([expect.stringMatching(/^#2\s+EEM Mar 20 \$32 put/)]);

    expect(await follow('Diary', '/diary')).toBe(200);
    expect(await follow('2020-03-12', '/diary/2020-03-12')).toBe(200);
    await expect(page.getByRole('heading', { name: 'Trading Diary - March 12, 2020' }).isVisible()).resolves.toBe(true);
    expect(await follow(/2020-03-16/, '/diary/2020-03-16')).toBe(200);
    expect(await follow('Alerts', '/alerts')).toBe(200);
    await expect(page.getByText(/failed .*chat not found/).first().isVisible()).resolves.toBe(true);
    expect(await follow('Overview', '/')).toBe(200);
  });

  it('should fit a phone: the page no wider than the screen, wide tables scrolling inside their box', async () => {
    await context.clearCookies();
    await page.setViewportSize({ width: 390, height: 844 });
    // The token as a bearer header this time: no cookie, no redirect.
    await context.setExtraHTTPHeaders({ Authorization: `Bearer ${SECRETS.DASHBOARD_TOKEN}` });
    try {
      for (const path of ['/', '/trades', '/alerts']) {
        expect((await page.goto(`${server.url}${path}`))?.status(), path).toBe(200);
        const main = (await page.locator('main').boundingBox())!;
        expect(main.x + main.width, path).toBeLessThanOrEqual(390);
        const chart = page.locator('.chart svg'); // only on the overview; boundingBox() would wait for it elsewhere
        if ((await chart.count()) > 0) expect((await chart.boundingBox())!.width).toBeLessThanOrEqual(390);
      }
    } finally {
      await context.setExtraHTTPHeaders({});
      await page.setViewportSize({ width: 1000, height: 800 });
    }
  });
});
