/**
 * A local stand-in for Discord's REST API: node:http on 127.0.0.1:0 that records every request (method,
 * path, headers, JSON body) and answers from a queue of programmed replies, else with a plausible default.
 * Point `new REST({ api: recorder.api })` at it.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: unknown };
/** One programmed answer. A body is sent as JSON; no body means no content-type (as Discord's 204s). */
export type Reply = { status: number; headers?: Record<string, string>; body?: unknown };

export type DiscordRecorder = {
  /** Value for the REST `api` option (DISCORD_API_ROOT): `http://127.0.0.1:PORT/api`. */
  api: string;
  requests: RecordedRequest[];
  /**
   * Queue answers for the next requests, in order; `null` answers that request as usual (so
   * `reply(null, { status: 502 })` fails only the second). Once used up, defaults apply again.
   */
  reply(...replies: (Reply | null)[]): void;
  close(): Promise<void>;
};

/** A 429 as Discord sends it: Retry-After header (seconds) plus the JSON body. */
export function rateLimited(retryAfterSec: number, global = false): Reply {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfterSec), 'x-ratelimit-scope': 'user' },
    body: { message: 'You are being rate limited.', retry_after: retryAfterSec, global },
  };
}

export async function startDiscordRecorder(): Promise<DiscordRecorder> {
  const requests: RecordedRequest[] = [];
  const queue: (Reply | null)[] = [];
  let nextId = 1_300_000_000_000_000_000n;

  const defaultReply = (req: RecordedRequest): Reply => {
    const channel = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(req.path);
    if (req.method === 'POST' && channel) {
      nextId += 1n;
      const body = (req.body ?? {}) as Record<string, unknown>;
      return {
        status: 200,
        body: { id: String(nextId), channel_id: channel[1], type: 0, content: body.content ?? '', embeds: body.embeds ?? [] },
      };
    }
    return { status: 200, body: req.body ?? {} };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      if (raw && String(req.headers['content-type']).includes('json')) body = JSON.parse(raw) as unknown;
      const recorded = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: raw ? body : undefined };
      requests.push(recorded);
      const reply = queue.shift() ?? defaultReply(recorded);
      const headers: Record<string, string> = { ...reply.headers };
      if (reply.body !== undefined) headers['content-type'] = 'application/json';
      res.writeHead(reply.status, headers);
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    api: `http://127.0.0.1:${port}/api`,
    requests,
    reply: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections(); // keep-alive sockets would hold close() open
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
