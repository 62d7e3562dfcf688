/**
 * The HTTP edge of the Polygon provider (polygon.ts): the @polygon.io/client-js REST client with its
 * request counter and timeout, and the mapping of everything it throws to a MarketDataError.
 *
 * Library facts this relies on (@polygon.io/client-js 8.2.0, dist/main.js):
 * - `restClient(apiKey, restApiBase, { pagination })` builds its own axios 1.x instance (the package's nested
 *   copy: the top-level `axios` in node_modules is another major version, so importing axios ourselves would
 *   configure the wrong one). The instance is the client's `axios` member, `protected` in the typings only.
 * - The key travels as the `apiKey` query parameter of every request: `AxiosError.config.url`, `.request`
 *   and `.response.config` all carry it. Errors built here therefore never keep the AxiosError as `cause`.
 * - A response interceptor unwraps `response.data`, so a method resolves to the body; a non-2xx answer
 *   rejects with an AxiosError whose `response.data` is Polygon's `{status, request_id, message|error}`.
 * @module
 */
import { restClient, type DefaultApi } from '@polygon.io/client-js';
import { MarketDataError, redactAndClip, redactSecrets, type MarketDataErrorKind } from '../core/errors.ts';
import { parseRetryAfterMs } from '../core/retry.ts';

const SOURCE = 'polygon';

/** The one structural slice of the client's axios instance that we touch. */
type AxiosSlice = {
  defaults: { timeout?: number };
  interceptors: { request: { use(onFulfilled: <C>(config: C) => C): number } };
};

/** The configured client and the number of HTTP requests it has sent. */
export type PolygonWire = { rest: DefaultApi; count(): number };

/**
 * A REST client for `apiRoot` whose every request is counted and bounded by `timeoutMs` (no answer, or no
 * progress on the socket, for that long aborts it).
 */
export function createPolygonWire(apiKey: string, apiRoot: string, timeoutMs: number): PolygonWire {
  // Pagination stays off: with it on, the client follows `next_url`, an absolute https://api.polygon.io
  // URL, with `&apiKey=` appended. That ignores apiRoot (a proxy or the test server would be bypassed, and
  // the key sent elsewhere) and issues requests our counter and retries never see. polygon.ts follows the
  // one cursor it needs itself, against apiRoot.
  const rest = restClient(apiKey, apiRoot.replace(/\/+$/, ''), { pagination: false });
  const { axios } = rest as unknown as { axios: AxiosSlice };
  let requests = 0;
  axios.defaults.timeout = timeoutMs;
  axios.interceptors.request.use((config) => {
    requests++;
    return config;
  });
  return { rest, count: () => requests };
}

/**
 * Polygon said no to this key or plan (401/403). It is an 'upstream' failure, but a final one: asking
 * again cannot change the plan, so `retryable` is false and withRetry (which only reads `retryable`)
 * gives up at once. The kind stays 'upstream' so it is neither cached as not-found nor shown as bad data.
 */
export class PolygonRefusedError extends MarketDataError {
  override get retryable(): boolean {
    return false;
  }
}

/** The parts of an AxiosError we read; anything else thrown is treated as a plain Error. */
type AxiosLikeError = Error & {
  isAxiosError?: boolean;
  code?: string;
  config?: { url?: string };
  response?: { status: number; data?: unknown; headers?: Record<string, unknown> };
};

/** Longest piece of Polygon's own error text kept in a message. */
const MAX_SAID_CHARS = 160;

/** Polygon's error text (`message` on most answers, `error` on auth failures), whole: cut only after redaction. */
function polygonMessage(data: unknown): string {
  if (typeof data === 'string') return data;
  if (typeof data !== 'object' || data === null) return '';
  const body = data as { message?: unknown; error?: unknown; status?: unknown };
  const text = body.message ?? body.error ?? body.status;
  return typeof text === 'string' ? text : '';
}

function kindOfStatus(status: number): MarketDataErrorKind {
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500 || status === 408) return 'upstream';
  // Any other 4xx means we asked for something malformed: asking again will not help.
  return 'bad_data';
}

/** What a refusal most likely means, as a fix-it hint. */
function refusalHint(status: number, what: string): string {
  if (status === 401) return 'the API key was not accepted; check POLYGON_API_KEY';
  return `the plan may not include ${what}`;
}

/** The request path, never the query (it holds the key). */
function pathOf(url: string | undefined): string {
  try {
    return decodeURIComponent(new URL(url ?? '', 'http://polygon.invalid').pathname);
  } catch {
    return 'Polygon';
  }
}

/**
 * Map anything a client call threw to a MarketDataError (source "polygon"). `what` names the data asked
 * for ("daily bars", "indices", "options chain" ...) and appears in messages, with the request path but
 * never its query. Every message is scrubbed of `apiKey` as well.
 */
export function toPolygonError(err: unknown, symbol: string, what: string, apiKey: string): MarketDataError {
  if (err instanceof MarketDataError) return err;
  const e = (err instanceof Error ? err : new Error(String(err))) as AxiosLikeError;
  const path = pathOf(e.config?.url);
  const text = (detail: string) => redactSecrets(`polygon ${what} ${symbol}: ${detail}`, [apiKey]);
  const status = e.response?.status;
  if (status !== undefined) {
    const said = redactAndClip(polygonMessage(e.response?.data), [apiKey], MAX_SAID_CHARS);
    const detail = `HTTP ${status} from ${path}${said ? `: ${said}` : ''}`;
    if (status === 401 || status === 403) {
      const message = text(`Polygon refused the request (${status}): ${refusalHint(status, what)}. ${detail}`);
      return new PolygonRefusedError('upstream', SOURCE, symbol, message, { status });
    }
    const headers = e.response?.headers ?? {};
    const header = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined);
    const retryAfterMs = parseRetryAfterMs(header('retry-after'), Date.parse(header('date') ?? '') || Date.now());
    return new MarketDataError(kindOfStatus(status), SOURCE, symbol, text(detail), {
      status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (e.isAxiosError) {
    // No answer at all: axios reports a timeout as ECONNABORTED (or ETIMEDOUT), refusals and resets by code.
    if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT') return new MarketDataError('upstream', SOURCE, symbol, text(`no answer from ${path} in time (${e.message})`));
    return new MarketDataError('upstream', SOURCE, symbol, text(`network error reaching ${path}: ${e.code ?? e.message}`));
  }
  // Not from the wire: the client itself failed (a bug or a library change). Retrying will not help.
  return new MarketDataError('bad_data', SOURCE, symbol, text(`client error: ${redactAndClip(e.message, [apiKey], 200)}`));
}
