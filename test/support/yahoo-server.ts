/**
 * A local stand-in for Yahoo Finance (node:http on 127.0.0.1, random port) that replays the recorded
 * fixtures in test/fixtures/yahoo, answers the cookie/crumb flow, serves synthetic bars, and injects
 * faults. Point yahoo-finance2 at it with `createYahooMarketData({ apiRoot: server.url })`, which keeps
 * each request's path and query and names the original host in `x-yahoo-host`.
 *
 * Matching rules, in order (the `crumb` parameter is always ignored; parameter order never matters):
 * - `/quote/<X>` (finance.yahoo.com): 200 with `Set-Cookie: A3=…; Domain=.yahoo.com`, the cookie the
 *   library needs before asking for a crumb. `/v1/test/getcrumb`: 200 with the recorded crumb text.
 * - `/v8/finance/chart/<S>`: synthetic bars of S; else a recording with the exact path and query; else
 *   the recorded daily chart of S with the most bars, cut to period1 <= t < period2 (so any date range
 *   works; a range with no bars gets Yahoo's empty shape); else Yahoo's 404 "Not Found" body.
 * - `/v7/finance/quote?symbols=A,B`: an exact recording; else one result per known symbol (synthetic,
 *   or its recorded single-symbol quote), unknown ones left out: Yahoo's 200 with `result: []`.
 * - `/v7/finance/options/<S>`: synthetic S gets the recorded AAPL chain re-labelled (see
 *   `syntheticOptions`); else an exact recording; else S's recorded nearest chain (for another `date`,
 *   that date with no contracts, as Yahoo answers an unlisted date); else Yahoo's 200 `result: []`.
 */
import type { Bar } from '../../src/core/types.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CHART_NOT_FOUND,
  loadRecordings,
  longestDailyChart,
  malformedBody,
  OPTIONS_EMPTY,
  requestKey,
  sliceChart,
  syntheticChart,
  syntheticOptions,
  syntheticQuote,
  type Recording,
} from './yahoo-bodies.ts';

/**
 * What to do instead of answering normally. `status` answers with that HTTP status (429, 500 ...) and
 * `body` (an object is sent as JSON; default: a short text like Yahoo's edge sends).
 */
export type StatusFault = { status: number; retryAfterSec?: number; retryAfterHttpDate?: string; body?: string | object };
export type Fault =
  | StatusFault
  | { hang: true }
  | { malformed: true };

export type FaultPlan = {
  /**
   * Answer the next `times` (default 1) requests whose path+query contains `pathIncludes` with `fault`
   * (every request, crumb flow included, when `pathIncludes` is omitted). Rules are tried in the order added.
   */
  add(fault: Fault, opts?: { pathIncludes?: string; times?: number }): void;
  clear(): void;
  /** Fault answers not yet used. */
  pending(): number;
};

export type YahooServer = {
  url: string;
  /** Every request received, in order; `path` includes the query, `host` is the x-yahoo-host header. */
  requests: { method: string; path: string; host?: string; atMs: number }[];
  faults: FaultPlan;
  close(): Promise<void>;
};

/** The cookie handed out on the crumb page; tests check it never leaks into errors. */
export const TEST_COOKIE = 'A3=d=AQABBTESTCOOKIEVALUE&S=AQAAATESTSIG';

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
type Rule = { fault: Fault; pathIncludes: string | undefined; remaining: number };

function createFaultPlan(): FaultPlan & { take(path: string): Fault | undefined } {
  const rules: Rule[] = [];
  return {
    add(fault, opts = {}) {
      rules.push({ fault, pathIncludes: opts.pathIncludes, remaining: opts.times ?? 1 });
    },
    clear() {
      rules.length = 0;
    },
    pending: () => rules.reduce((n, r) => n + r.remaining, 0),
    take(path) {
      const rule = rules.find((r) => r.remaining > 0 && (r.pathIncludes === undefined || path.includes(r.pathIncludes)));
      if (!rule) return undefined;
      rule.remaining--;
      return rule.fault;
    },
  };
}

function route(recordings: Recording[], synthetic: Map<string, { bars: Bar[]; chart: object }>, path: string, query: URLSearchParams): Reply {
  if (/^\/quote\/[^/]+\/?$/.test(path)) {
    const headers = { 'set-cookie': `${TEST_COOKIE}; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure; HttpOnly`, 'content-type': 'text/html' };
    return { status: 200, body: '<html><body>quote</body></html>', headers };
  }
  const key = requestKey(path, query);
  const exact = recordings.find((r) => r.key === key);
  if (path === '/v1/test/getcrumb') {
    return { status: 200, body: exact?.body ?? 'testcrumb', headers: { 'content-type': 'text/plain;charset=utf-8' } };
  }
  const chartSymbol = /^\/v8\/finance\/chart\/(.+)$/.exec(path)?.[1];
  if (chartSymbol !== undefined) {
    const period1 = Number(query.get('period1') ?? 0);
    const period2 = Number(query.get('period2') ?? Number.MAX_SAFE_INTEGER);
    const synth = synthetic.get(chartSymbol);
    if (synth) return { status: 200, body: sliceChart(synth.chart, period1, period2) };
    if (exact) return { status: exact.status, body: exact.body };
    const recorded = longestDailyChart(recordings, chartSymbol);
    if (recorded) return { status: 200, body: sliceChart(recorded, period1, period2) };
    return { status: 404, body: CHART_NOT_FOUND };
  }
  if (path === '/v7/finance/quote') {
    if (exact) return { status: exact.status, body: exact.body };
    const result = (query.get('symbols') ?? '').split(',').flatMap((symbol) => {
      const synth = synthetic.get(symbol);
      if (synth) return [syntheticQuote(recordings, symbol, synth.bars)];
      const single = recordings.find((r) => r.key === `/v7/finance/quote?symbols=${encodeURIComponent(symbol)}`);
      return single ? ((single.body as { quoteResponse: { result: object[] } }).quoteResponse.result) : [];
    });
    return { status: 200, body: { quoteResponse: { result, error: null } } };
  }
  const optionsSymbol = /^\/v7\/finance\/options\/(.+)$/.exec(path)?.[1];
  if (optionsSymbol !== undefined) {
    const dateSec = query.has('date') ? Number(query.get('date')) : undefined;
    const synth = synthetic.get(optionsSymbol);
    if (synth) return { status: 200, body: syntheticOptions(recordings, optionsSymbol, synth.bars, dateSec) };
    if (exact) return { status: exact.status, body: exact.body };
    const nearest = recordings.find((r) => r.key === `${path}?formatted=false&lang=en-US&region=US`);
    if (!nearest) return { status: 200, body: OPTIONS_EMPTY };
    const body = JSON.parse(JSON.stringify(nearest.body)) as { optionChain: { result: Record<string, any>[] } };
    const chain = body.optionChain.result[0]!;
    if (dateSec !== undefined && chain.options?.[0]?.expirationDate !== dateSec) {
      chain.strikes = [];
      chain.options = [{ expirationDate: dateSec, hasMiniOptions: false, calls: [], puts: [] }];
    }
    return { status: 200, body };
  }
  return { status: 404, body: 'Not Found', headers: { 'content-type': 'text/plain' } };
}

function send(res: ServerResponse, reply: Reply): void {
  const isText = typeof reply.body === 'string';
  const payload = isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': isText ? 'text/plain' : 'application/json;charset=utf-8',
    date: new Date().toUTCString(),
    ...reply.headers,
  });
  res.end(payload);
}

function faultReply(fault: StatusFault): Reply {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSec !== undefined) headers['retry-after'] = String(fault.retryAfterSec);
  if (fault.retryAfterHttpDate !== undefined) headers['retry-after'] = fault.retryAfterHttpDate;
  // Yahoo's edge answers 429 with this plain-text body (gadicc/yahoo-finance2#982).
  const body = fault.body ?? (fault.status === 429 ? 'Edge: Too Many Requests' : `Upstream error ${fault.status}`);
  return { status: fault.status, body, headers };
}

/**
 * Start the replay server. `latencyMs` delays every answer with a real timer (the benchmark needs
 * real latency; tests keep it 0). `syntheticBars` maps symbols to daily bars, oldest first.
 */
export async function startYahooServer(
  opts: { latencyMs?: number; syntheticBars?: Map<string, Bar[]> } = {},
): Promise<YahooServer> {
  const recordings = loadRecordings();
  const synthetic = new Map<string, { bars: Bar[]; chart: object }>();
  for (const [symbol, bars] of opts.syntheticBars ?? []) {
    synthetic.set(symbol, { bars, chart: syntheticChart(recordings, symbol, bars) });
  }
  const faults = createFaultPlan();
  const requests: YahooServer['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const latencyMs = opts.latencyMs ?? 0;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const host = req.headers['x-yahoo-host'];
    requests.push({ method: req.method ?? 'GET', path: `${path}${url.search}`, host: typeof host === 'string' ? host : undefined, atMs: performance.now() });
    const fault = faults.take(`${path}${url.search}`);
    if (fault && 'hang' in fault) return; // never answered; close() destroys the socket
    const answer = () => {
      if (fault && 'status' in fault) return send(res, faultReply(fault));
      const reply = route(recordings, synthetic, path, url.searchParams);
      if (fault && 'malformed' in fault) return send(res, { status: 200, body: malformedBody(path, reply.body) });
      send(res, reply);
    };
    if (latencyMs <= 0) return answer();
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer();
    }, latencyMs);
    timers.add(timer);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      send(res, { status: 500, body: `replay server bug: ${(err as Error).message}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections(); // includes hung requests and idle keep-alive sockets
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
