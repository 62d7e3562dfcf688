/**
 * A local stand-in for api.polygon.io (node:http on 127.0.0.1, random port) that replays the recorded
 * bodies in test/fixtures/polygon/client-python-mocks, answers what a test sets up, and injects faults.
 * Point the client at it with `createPolygonMarketData({ apiKey, apiRoot: server.url })`.
 *
 * Every request must carry `apiKey` (else Polygon's 401). Matching, in order (the apiKey parameter is
 * never part of a match; parameter order never matters):
 * - a fault added with `faults.add` (status, hang, malformed);
 * - an answer set with `answer(path, body, query?)` whose path is equal and whose `query` entries all match;
 * - a recording with the same path and exactly the same query; else the recording of the bare path;
 * - Polygon's 404 body.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MOCKS_DIR = fileURLToPath(new URL('../fixtures/polygon/client-python-mocks/', import.meta.url));

/** Answer with `status` and `body` (an object is sent as JSON, a string as text); Retry-After when given. */
export type StatusFault = { status: number; body?: string | object; retryAfterSec?: number };
export type Fault = StatusFault | { hang: true } | { malformed: true };

export type FaultPlan = {
  /** Answer the next `times` (default 1) requests whose path contains `pathIncludes` (every request if omitted). */
  add(fault: Fault, opts?: { pathIncludes?: string; times?: number }): void;
};

/** One request as received: `path` decoded, `query` without the key, `apiKey` as sent. */
export type SeenRequest = { method: string; path: string; query: Record<string, string>; apiKey: string | null };

export type PolygonServer = {
  url: string;
  requests: SeenRequest[];
  faults: FaultPlan;
  /** Serve `body` (status 200) for `path` (decoded, e.g. /v2/aggs/ticker/I:VIX/...) whenever `query` matches. */
  answer(path: string, body: unknown, query?: Record<string, string>): void;
  close(): Promise<void>;
};

type Recording = { path: string; query: Record<string, string>; body: unknown };

/** Every recorded body, keyed the upstream way: `<path>[&<query>].json`, `;` for `:`. */
function loadRecordings(): Recording[] {
  const files = readdirSync(MOCKS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
  return files.map((file) => {
    const name = relative(MOCKS_DIR, join(MOCKS_DIR, file)).replaceAll('\\', '/').replace(/\.json$/, '');
    const [rawPath = '', rawQuery = ''] = name.split(/&(.*)/s);
    const path = `/${rawPath.replaceAll(';', ':').replace(/\/index$/, '')}`;
    return { path, query: Object.fromEntries(new URLSearchParams(rawQuery)), body: JSON.parse(readFileSync(join(MOCKS_DIR, file), 'utf8')) };
  });
}

const sameQuery = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** The answer when nothing matches, as Polygon words it. */
export const NOT_FOUND_BODY = { status: 'NOT_FOUND', request_id: 'replay', message: 'Data not found.' };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const isText = typeof body === 'string';
  res.writeHead(status, { 'content-type': isText ? 'text/plain' : 'application/json', date: new Date().toUTCString(), ...headers });
  res.end(isText ? body : JSON.stringify(body));
}

/** Start the replay server on 127.0.0.1. */
export async function startPolygonServer(): Promise<PolygonServer> {
  const recordings = loadRecordings();
  const answers: { path: string; query: Record<string, string>; body: unknown }[] = [];
  const rules: { fault: Fault; pathIncludes?: string; remaining: number }[] = [];
  const requests: SeenRequest[] = [];

  const route = (path: string, query: Record<string, string>): { status: number; body: unknown } => {
    const set = answers.find((a) => a.path === path && Object.entries(a.query).every(([k, v]) => query[k] === v));
    if (set) return { status: 200, body: set.body };
    const recorded =
      recordings.find((r) => r.path === path && sameQuery(r.query, query)) ??
      recordings.find((r) => r.path === path && Object.keys(r.query).length === 0);
    return recorded ? { status: 200, body: recorded.body } : { status: 404, body: NOT_FOUND_BODY };
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const apiKey = url.searchParams.get('apiKey');
    url.searchParams.delete('apiKey');
    const query = Object.fromEntries(url.searchParams);
    requests.push({ method: req.method ?? 'GET', path, query, apiKey });
    const rule = rules.find((r) => r.remaining > 0 && (r.pathIncludes === undefined || path.includes(r.pathIncludes)));
    if (rule) rule.remaining--;
    const fault = rule?.fault;
    if (fault && 'hang' in fault) return; // never answered; close() drops the socket
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {};
      return send(res, fault.status, fault.body ?? { status: 'ERROR', request_id: 'replay', message: `fault ${fault.status}` }, headers);
    }
    if (!apiKey) return send(res, 401, { status: 'ERROR', request_id: 'replay', error: 'API Key was not provided' });
    const reply = route(path, query);
    // A malformed answer keeps the envelope but breaks the field every schema reads.
    if (fault && 'malformed' in fault) return send(res, 200, { ...(reply.body as object), results: 'not-a-list' });
    send(res, reply.status, reply.body);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      send(res, 500, `replay server bug: ${(err as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults: { add: (fault, opts = {}) => void rules.push({ fault, pathIncludes: opts.pathIncludes, remaining: opts.times ?? 1 }) },
    answer: (path, body, query = {}) => void answers.unshift({ path, query, body }), // the latest wins
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
