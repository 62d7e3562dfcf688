/**
 * A local stand-in for Discord's REST API: node:http on 127.0.0.1:0 that records every request (method,
 * path, headers, JSON body) and answers from a queue of programmed replies, else with a plausible default.
 * Point `new REST({ api: recorder.api })` at it. Multipart uploads (files) are parsed: `body` is their
 * `payload_json`, `files` the uploads. Like Discord, a message created with `enforce_nonce` and a
 * nonce seen before in that channel is not created again: the first one is answered (`enforceNonce: false`
 * turns that off, i.e. Discord as a client without nonces meets it).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, type UploadedFile } from './multipart.ts';

/** `body` is the JSON sent (a multipart upload's `payload_json`); `files` what was uploaded beside it. */
export type RecordedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: unknown; files: UploadedFile[] };
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
  /**
   * Hold back the answer to the next request until `release()` (the message is created all the same).
   * `received` resolves once it has arrived: a process can be killed while its send is on the wire.
   */
  hold(): { received: Promise<RecordedRequest>; release(): void };
  /** Messages created per channel (a nonce's repeat creates none). */
  created: Map<string, { id: string; nonce?: string; body: unknown }[]>;
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

export async function startDiscordRecorder(opts: { enforceNonce?: boolean } = {}): Promise<DiscordRecorder> {
  const requests: RecordedRequest[] = [];
  const queue: (Reply | null)[] = [];
  const holds: { arrived(r: RecordedRequest): void; released: Promise<void> }[] = [];
  const created = new Map<string, { id: string; nonce?: string; body: unknown }[]>();
  let nextId = 1_300_000_000_000_000_000n;

  const defaultReply = (req: RecordedRequest): Reply => {
    const channel = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(req.path);
    if (req.method === 'POST' && channel) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const channelId = channel[1]!;
      const list = created.get(channelId) ?? [];
      created.set(channelId, list);
      const nonce = typeof body.nonce === 'string' ? body.nonce : undefined;
      const seen = opts.enforceNonce !== false && body.enforce_nonce === true && nonce ? list.find((m) => m.nonce === nonce) : undefined;
      let id = seen?.id;
      if (!id) {
        nextId += 1n;
        id = String(nextId);
        list.push({ id, ...(nonce ? { nonce } : {}), body });
      }
      return { status: 200, body: { id, channel_id: channelId, type: 0, content: body.content ?? '', embeds: body.embeds ?? [] } };
    }
    return { status: 200, body: req.body ?? {} };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const { body, files } = await readBody(Buffer.concat(chunks), req.headers['content-type']);
      const recorded = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, files };
      requests.push(recorded);
      const reply = queue.shift() ?? defaultReply(recorded);
      const headers: Record<string, string> = { ...reply.headers };
      if (reply.body !== undefined) headers['content-type'] = 'application/json';
      const hold = holds.shift();
      hold?.arrived(recorded);
      void (hold?.released ?? Promise.resolve()).then(() => {
        res.writeHead(reply.status, headers);
        res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    api: `http://127.0.0.1:${port}/api`,
    requests,
    reply: (...replies) => void queue.push(...replies),
    hold: () => {
      let arrived!: (r: RecordedRequest) => void;
      let release!: () => void;
      const received = new Promise<RecordedRequest>((resolve) => (arrived = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ arrived, released });
      return { received, release };
    },
    created,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections(); // keep-alive sockets would hold close() open
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
