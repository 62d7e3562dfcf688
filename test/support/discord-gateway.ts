/**
 * A small local Discord: the REST routes a bot needs for slash commands (gateway discovery, command
 * registration, interaction callbacks, @original edits, follow-ups) plus a `ws` gateway doing HELLO /
 * IDENTIFY / READY, so a real discord.js Client runs offline. Every REST request is recorded with what was
 * answered, so tests assert on what crossed the wire (multipart uploads parsed into `body` and `files`). No npm package emulates the gateway; this one covers
 * no resume, reconnect, compression or guild caches.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { readBody, type UploadedFile } from './multipart.ts';

export const APP_ID = '900000000000000001';
export const BOT_ID = '900000000000000002';

/** `body` is the JSON sent (a multipart upload's `payload_json`); `files` what was uploaded beside it. */
export type RecordedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: unknown; files: UploadedFile[]; status: number };
export type CannedReply = { status: number; headers?: Record<string, string>; body?: unknown };

export type FakeDiscord = {
  /** Pass as DISCORD_API_ROOT / REST `api`: `http://127.0.0.1:<port>/api`. */
  api: string;
  requests: RecordedRequest[];
  /** Answer the next request matching `method` and `path` with `reply` instead of the normal answer. */
  failNext(method: string, path: RegExp, reply: CannedReply): void;
  /** Resolves with the first recorded request (past or future) that matches. */
  waitFor(match: (r: RecordedRequest) => boolean): Promise<RecordedRequest>;
  /** Send a gateway DISPATCH event to every client that has identified (a bot logged in twice gets it twice). */
  dispatch(type: string, data: unknown): void;
  /** Gateway sessions open now (clients that identified and are still connected). */
  sessions(): number;
  close(): Promise<void>;
};

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};

function messageObject(channelId: string, body: Record<string, unknown>, id: string) {
  return {
    id, channel_id: channelId, type: 20, content: body.content ?? '', embeds: body.embeds ?? [], attachments: [],
    mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, flags: 0,
    author: { id: BOT_ID, username: 'hundredx', discriminator: '0', avatar: null, global_name: null, bot: true },
    timestamp: '2020-03-12T15:00:00.000Z', edited_timestamp: null, components: [], application_id: APP_ID,
  };
}

export async function startFakeDiscord(): Promise<FakeDiscord> {
  const requests: RecordedRequest[] = [];
  const canned: { method: string; path: RegExp; reply: CannedReply }[] = [];
  const events = new EventEmitter();
  const sessions = new Set<WebSocket>();
  let seq = 0;
  let nextId = 1000;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const read = await readBody(Buffer.concat(chunks), req.headers['content-type']);
      const body = (read.body ?? null) as Record<string, unknown> | null;
      const path = (req.url ?? '').split('?')[0] ?? '';
      const method = req.method ?? 'GET';
      const record = (status: number) => {
        const entry = { method, path, headers: req.headers, body, files: read.files, status };
        requests.push(entry);
        events.emit('request', entry);
      };
      const cannedIndex = canned.findIndex((c) => c.method === method && c.path.test(path));
      const hit = cannedIndex >= 0 ? canned.splice(cannedIndex, 1)[0] : undefined;
      if (hit) {
        record(hit.reply.status);
        return json(res, hit.reply.status, hit.reply.body ?? {}, hit.reply.headers);
      }
      let m: RegExpExecArray | null;
      if (method === 'GET' && path === '/api/v10/gateway/bot') {
        record(200);
        const { port } = server.address() as AddressInfo;
        return json(res, 200, {
          url: `ws://127.0.0.1:${port}`, shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        });
      }
      if (method === 'PUT' && /^\/api\/v10\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
        record(200);
        const list = Array.isArray(body) ? body : [];
        return json(res, 200, list.map((c: object) => ({ ...c, id: String(nextId++), application_id: APP_ID, version: '1' })));
      }
      if (method === 'POST' && /^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
        // A bare 204 with no content-type: with application/json and no body, @discordjs/rest fails to parse.
        record(204);
        return res.writeHead(204).end();
      }
      if ((m = /^\/api\/v10\/webhooks\/\d+\/[^/]+(\/messages\/%40original)?$/.exec(path)) && (method === 'PATCH' || method === 'POST')) {
        record(200);
        return json(res, 200, messageObject('111', body ?? {}, String(nextId++)));
      }
      record(404);
      json(res, 404, { message: '404: Not Found', code: 0 });
    });
  });

  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    ws.on('close', () => sessions.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    ws.on('message', (data) => {
      const p = JSON.parse(String(data)) as { op: number };
      if (p.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (p.op === 2) {
        sessions.add(ws);
        const { port } = server.address() as AddressInfo;
        ws.send(JSON.stringify({
          op: 0, t: 'READY', s: ++seq,
          d: {
            v: 10, user: { id: BOT_ID, username: 'hundredx', discriminator: '0', avatar: null, global_name: null, bot: true },
            guilds: [], session_id: 'fake', resume_gateway_url: `ws://127.0.0.1:${port}`, shard: [0, 1],
            application: { id: APP_ID, flags: 0 },
          },
        }));
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    api: `http://127.0.0.1:${port}/api`,
    requests,
    failNext: (method, path, reply) => void canned.push({ method, path, reply }),
    waitFor(match) {
      const seen = requests.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const listener = (r: RecordedRequest) => {
          if (!match(r)) return;
          events.off('request', listener);
          resolve(r);
        };
        events.on('request', listener);
      });
    },
    dispatch(type, data) {
      if (sessions.size === 0) throw new Error('no gateway client connected');
      const payload = JSON.stringify({ op: 0, t: type, s: ++seq, d: data });
      for (const ws of sessions) ws.send(payload);
    },
    sessions: () => sessions.size,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let interactionSeq = 0;

/**
 * An INTERACTION_CREATE payload from a user in a DM with the bot. `type` 2 is a slash command, 4 autocomplete;
 * `options` are string options (`focused` marks the one being typed, for autocomplete).
 */
export function interaction(opts: {
  type?: 2 | 4;
  name: string;
  options?: { name: string; value: string; focused?: boolean }[];
  userId?: string;
}) {
  const id = String(800_000_000_000_000_000n + BigInt(++interactionSeq));
  return {
    id, application_id: APP_ID, type: opts.type ?? 2, token: `tok${interactionSeq}`, version: 1, locale: 'en-US',
    app_permissions: '0', entitlements: [], channel_id: '111', channel: { id: '111', type: 1 }, context: 1,
    authorizing_integration_owners: {},
    user: { id: opts.userId ?? '7', username: 'trader', discriminator: '0', global_name: null, avatar: null },
    data: {
      id: '10', name: opts.name, type: 1,
      options: (opts.options ?? []).map((o) => ({ type: 3, name: o.name, value: o.value, ...(o.focused ? { focused: true } : {}) })),
    },
  };
}

/**
 * An INTERACTION_CREATE payload for a pressed button (type 3, a message component) with `customId`, on a bot
 * message in the DM channel 111, by `userId`.
 */
export function buttonPress(opts: { customId: string; userId?: string; messageId?: string }) {
  const id = String(800_000_000_000_000_000n + BigInt(++interactionSeq));
  const message = messageObject('111', { content: '', embeds: [{ title: 'earlier reply' }] }, opts.messageId ?? '5000');
  return {
    id, application_id: APP_ID, type: 3, token: `tok${interactionSeq}`, version: 1, locale: 'en-US',
    app_permissions: '0', entitlements: [], channel_id: '111', channel: { id: '111', type: 1 }, context: 1,
    authorizing_integration_owners: {},
    user: { id: opts.userId ?? '7', username: 'trader', discriminator: '0', global_name: null, avatar: null },
    message,
    data: { custom_id: opts.customId, component_type: 2 },
  };
}
