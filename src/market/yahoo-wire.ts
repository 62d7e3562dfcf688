/**
 * The HTTP edge of the Yahoo provider (yahoo.ts): the fetch handed to yahoo-finance2, and the mapping of
 * everything it or the library throws to a MarketDataError.
 *
 * The wrapper sees every request the library makes, the cookie/crumb flow included. It redirects to
 * `apiRoot` when set (tests, the benchmark, proxies), counts requests, applies a per-request timeout,
 * and turns 429/5xx (and 4xx answers from the API hosts) into a typed error *before* the library sees
 * them: that keeps Retry-After, and the library never reaches its `console.error(url)` with the crumb.
 */
import { MarketDataError, redactAndClip, redactSecrets, type MarketDataErrorKind } from '../core/errors.ts';
import { parseRetryAfterMs } from '../core/retry.ts';

const SOURCE = 'yahoo';

/** A failure seen by our fetch wrapper: an HTTP error answer (`status`) or no answer at all. */
class YahooHttpError extends Error {
  override readonly name = 'YahooHttpError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfterMs?: number,
    /** Yahoo's JSON error code, e.g. "Not Found", "Unauthorized". */
    readonly yahooCode?: string,
  ) {
    super(message);
  }
}

/** Yahoo's JSON error shape: `{ <anyKey>: { result: null, error: { code, description } } }`. */
function parseYahooError(text: string): { code: string; description: string } | undefined {
  try {
    const body = JSON.parse(text) as Record<string, { error?: { code?: unknown; description?: unknown } } | null>;
    const error = Object.values(body)[0]?.error;
    if (error && typeof error.code === 'string') return { code: error.code, description: String(error.description ?? '') };
  } catch {
    // not JSON: the caller reports the status
  }
  return undefined;
}

const isApiPath = (url: URL) => /^\/v\d+\/finance\//.test(url.pathname);
const EMPTY_OPTIONS = /^\s*\{\s*"optionChain"\s*:\s*\{\s*"result"\s*:\s*\[\s*\]/;

/** The wired fetch, the number of requests it made, and values (crumb, cookies) to keep out of messages. */
export type Wire = { fetch: typeof fetch; count(): number; secrets(): string[] };

/** The fetch handed to yahoo-finance2. See the module comment for what it does and why. */
export function createWire(apiRoot: string | undefined, timeoutMs: number): Wire {
  let requests = 0;
  const secrets = new Set<string>();
  const root = apiRoot?.replace(/\/+$/, '');
  const wiredFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests++;
    const original = new URL(input instanceof Request ? input.url : String(input));
    const where = `${original.host}${original.pathname}`; // never the query: it carries the crumb
    const crumb = original.searchParams.get('crumb');
    if (crumb) secrets.add(crumb);
    const headers = new Headers(init?.headers);
    for (const pair of (headers.get('cookie') ?? '').split(';')) {
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      if (value) secrets.add(value);
    }
    if (root) headers.set('x-yahoo-host', original.host);
    const target = root ? `${root}${original.pathname}${original.search}` : original.href;
    let response: Response;
    try {
      response = await fetch(target, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new YahooHttpError(`no answer from ${where} within ${timeoutMs} ms`, undefined);
      }
      const code = ((err as Error).cause as { code?: string } | undefined)?.code ?? (err as Error).message;
      throw new YahooHttpError(`network error reaching ${original.host}: ${code}`, undefined);
    }
    const status = response.status;
    // The crumb page may legitimately answer 3xx/4xx with a cookie; only 429/5xx stop it.
    if (status === 429 || status >= 500 || (status >= 400 && isApiPath(original))) {
      const text = await response.text().catch(() => '');
      const yahoo = parseYahooError(text);
      const retryAfterMs = parseRetryAfterMs(
        response.headers.get('retry-after'),
        Date.parse(response.headers.get('date') ?? '') || Date.now(),
      );
      const detail = redactAndClip(yahoo ? `${yahoo.code}: ${yahoo.description}` : text, [...secrets], 120) || response.statusText;
      throw new YahooHttpError(`HTTP ${status} from ${where}: ${detail}`, status, retryAfterMs, yahoo?.code);
    }
    if (original.pathname.startsWith('/v7/finance/options/')) {
      // Yahoo answers an unknown symbol with 200 and `result: []`; the library would then print its
      // schema to the console and fail validation. Say "not found" instead.
      const text = await response.text();
      if (EMPTY_OPTIONS.test(text)) throw new YahooHttpError(`no option chain at ${where}`, status, undefined, 'Not Found');
      return new Response(text, { status, statusText: response.statusText, headers: response.headers });
    }
    return response;
  };
  return { fetch: wiredFetch as typeof fetch, count: () => requests, secrets: () => [...secrets] };
}

function kindOfStatus(status: number): MarketDataErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'not_found';
  // 401/403 are crumb or cookie trouble (yahoo.ts clears the crumb first) and 408 is a slow answer: try again.
  if (status >= 500 || status === 401 || status === 403 || status === 408) return 'upstream';
  return 'bad_data';
}

/** Map anything yahoo-finance2 or the wire threw to a MarketDataError (source "yahoo"). */
export function toMarketDataError(err: unknown, symbol: string, what: string, secrets: string[]): MarketDataError {
  if (err instanceof MarketDataError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const make = (kind: MarketDataErrorKind, detail: string, extra: { status?: number; retryAfterMs?: number } = {}) =>
    new MarketDataError(kind, SOURCE, symbol, redactSecrets(`yahoo ${what} ${symbol}: ${detail}`, secrets), {
      ...extra,
      cause: err,
    });
  if (e instanceof YahooHttpError) {
    if (e.status === undefined) return make('upstream', e.message);
    const kind = e.yahooCode === 'Not Found' ? 'not_found' : kindOfStatus(e.status);
    return make(kind, e.message, { status: e.status, retryAfterMs: e.retryAfterMs });
  }
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return make('upstream', 'timed out reading the answer');
  if (e.name === 'FailedYahooValidationError') {
    const first = (e as Error & { errors?: { instancePath?: string; message?: string }[] }).errors?.[0];
    const where = first ? ` (${first.instancePath || '/'} ${first.message ?? ''})` : '';
    return make('bad_data', `answer failed schema validation${where}`);
  }
  if (e.name === 'HTTPError') {
    const status = Number((e as Error & { code?: unknown }).code);
    return make(Number.isFinite(status) ? kindOfStatus(status) : 'upstream', `HTTP ${status}`, { status });
  }
  if (/not found|no data found/i.test(e.message)) return make('not_found', redactAndClip(e.message, secrets, 200));
  const crumbStatus = /Failed to get crumb, status (\d+)/.exec(e.message)?.[1];
  if (crumbStatus) return make(kindOfStatus(Number(crumbStatus)), `could not get a crumb (HTTP ${crumbStatus})`);
  // undici reports a connection dropped mid-body as TypeError "terminated".
  if (e instanceof TypeError && /terminated|fetch failed|socket/i.test(e.message)) return make('upstream', e.message);
  // Anything else is the library refusing an answer it could not parse: retrying will not help.
  return make('bad_data', redactAndClip(e.message, secrets, 200));
}
