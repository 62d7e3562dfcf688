/**
 * A local stand-in for the Telegram Bot API: node:http on 127.0.0.1:0 recording every call (token, method,
 * headers, JSON body or multipart fields and files) and answering from a queue of programmed replies, else `{ ok: true, result }` with a
 * plausible result. Unlike telegram-test-api it can answer 429 with retry_after. Point telegraf's `apiRoot`
 * at `recorder.apiRoot`. A polling bot works too: getMe answers a bot user, getUpdates hands out the updates
 * given to `pushUpdate` (an empty list after a short long-poll when there are none).
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, type UploadedFile } from './multipart.ts';

export type RecordedCall = {
  httpMethod: string;
  path: string;
  /** The token from /bot<token>/<method>. */
  token: string;
  /** Bot API method, e.g. sendMessage. */
  method: string;
  headers: IncomingHttpHeaders;
  /** JSON parameters, or a multipart upload's fields (objects parsed back from their JSON). */
  body: Record<string, unknown>;
  /** Files of a multipart upload (sendPhoto's `photo`). */
  files: UploadedFile[];
  /** What the fake answered (the Bot API's JSON), once it has. */
  answer?: unknown;
};
export type TelegramReply = { status: number; body: unknown };
export type Hold = { received: Promise<RecordedCall>; release(): void };

export type TelegramRecorder = {
  apiRoot: string;
  calls: RecordedCall[];
  /**
   * Queue answers for the next calls, in order; `null` answers that call as usual (so `reply(null, floodWait(5))`
   * fails only the second call). Once used up, defaults apply again.
   */
  reply(...replies: (TelegramReply | null)[]): void;
  /**
   * Hold back the answer to the next call until `release()`. `received` resolves when that call has arrived,
   * so a test can act while a send is on the wire (e.g. a second instance posting the same alert).
   */
  hold(): Hold;
  /** Answer the next call of Bot API `method` with `reply` (other calls are not affected). */
  failNext(method: string, reply: TelegramReply): void;
  /** An update for the next getUpdates, e.g. `commandUpdate('/regime')`. */
  pushUpdate(update: unknown): void;
  /** Resolves with the first recorded call (past or future) that matches. */
  waitFor(match: (call: RecordedCall) => boolean): Promise<RecordedCall>;
  close(): Promise<void>;
};

let updateSeq = 0;

/** A private-chat message from user 42 carrying a command, as getUpdates delivers it. */
export function commandUpdate(text: string, userId = 42): unknown {
  const command = text.split(/\s/)[0]!;
  return {
    update_id: ++updateSeq,
    message: {
      message_id: updateSeq, date: 1_790_000_000, text,
      chat: { id: userId, type: 'private', first_name: 'trader' },
      from: { id: userId, is_bot: false, first_name: 'trader' },
      entities: [{ type: 'bot_command', offset: 0, length: command.length }],
    },
  };
}

/**
 * A press of an inline keyboard button carrying `data`, by `userId`, on the bot's message `messageId` in the
 * private chat with that user, as getUpdates delivers it.
 */
export function callbackUpdate(data: string, opts: { userId?: number; messageId?: number; text?: string } = {}): unknown {
  const userId = opts.userId ?? 42;
  return {
    update_id: ++updateSeq,
    callback_query: {
      id: `cb${updateSeq}`,
      chat_instance: 'ci1',
      data,
      from: { id: userId, is_bot: false, first_name: 'trader' },
      message: {
        message_id: opts.messageId ?? 500, date: 1_790_000_000, text: opts.text ?? 'earlier reply',
        chat: { id: userId, type: 'private', first_name: 'trader' },
        from: { id: 1, is_bot: true, first_name: 'hx', username: 'hx_bot' },
      },
    },
  };
}

/** Telegram's flood-control answer. */
export function floodWait(retryAfterSec: number): TelegramReply {
  return {
    status: 429,
    body: {
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfterSec}`,
      parameters: { retry_after: retryAfterSec },
    },
  };
}

export async function startTelegramRecorder(): Promise<TelegramRecorder> {
  const calls: RecordedCall[] = [];
  const queue: (TelegramReply | null)[] = [];
  const holds: { arrived(call: RecordedCall): void; released: Promise<void> }[] = [];
  const perMethod: { method: string; reply: TelegramReply }[] = [];
  const updates: unknown[] = [];
  const events = new EventEmitter();
  const polls = new Set<NodeJS.Timeout>();
  let nextMessageId = 100;

  const defaultReply = (call: RecordedCall): TelegramReply => {
    if (call.method === 'getMe') return { status: 200, body: { ok: true, result: { id: 1, is_bot: true, first_name: 'hx', username: 'hx_bot' } } };
    if (call.method === 'getUpdates') return { status: 200, body: { ok: true, result: updates.splice(0) } };
    if (call.method === 'sendMessage' || call.method === 'sendPhoto') {
      nextMessageId += 1;
      const content =
        call.method === 'sendMessage'
          ? { text: call.body.text, ...(call.body.entities ? { entities: call.body.entities } : {}) }
          : {
              photo: [{ file_id: `photo${nextMessageId}`, file_unique_id: `p${nextMessageId}`, width: 1200, height: 675 }],
              ...(call.body.caption ? { caption: call.body.caption } : {}),
              ...(call.body.caption_entities ? { caption_entities: call.body.caption_entities } : {}),
            };
      return {
        status: 200,
        body: {
          ok: true,
          result: { message_id: nextMessageId, date: 1_790_000_000, chat: { id: Number(call.body.chat_id), type: 'group', title: 'alerts' }, ...content },
        },
      };
    }
    return { status: 200, body: { ok: true, result: true } };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const read = await readBody(Buffer.concat(chunks), req.headers['content-type']);
      const path = req.url ?? '/';
      const match = /^\/bot([^/]+)\/(\w+)/.exec(path);
      const call: RecordedCall = {
        httpMethod: req.method ?? 'GET',
        path,
        token: decodeURIComponent(match?.[1] ?? ''),
        method: match?.[2] ?? '',
        headers: req.headers,
        body: read.body && typeof read.body === 'object' ? (read.body as Record<string, unknown>) : {},
        files: read.files,
      };
      const answer = () => {
        calls.push(call);
        events.emit('call', call);
        const programmed = perMethod.findIndex((p) => p.method === call.method);
        const reply = (programmed >= 0 ? perMethod.splice(programmed, 1)[0]!.reply : undefined) ?? queue.shift() ?? defaultReply(call);
        call.answer = reply.body;
        const hold = call.method === 'getUpdates' ? undefined : holds.shift();
        hold?.arrived(call);
        void (hold?.released ?? Promise.resolve()).then(() => {
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply.body));
        });
      };
      // A long poll: an empty getUpdates waits a little for an update (telegraf would otherwise spin).
      if (call.method === 'getUpdates' && updates.length === 0) {
        const onUpdate = () => {
          clearTimeout(timer);
          polls.delete(timer);
          answer();
        };
        const timer = setTimeout(() => {
          polls.delete(timer);
          events.off('update', onUpdate);
          answer();
        }, 100);
        polls.add(timer);
        events.once('update', onUpdate);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    reply: (...replies) => void queue.push(...replies),
    hold: () => {
      let arrived!: (call: RecordedCall) => void;
      let release!: () => void;
      const received = new Promise<RecordedCall>((resolve) => (arrived = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ arrived, released });
      return { received, release };
    },
    failNext: (method, reply) => void perMethod.push({ method, reply }),
    pushUpdate(update) {
      updates.push(update);
      events.emit('update');
    },
    waitFor(match) {
      const seen = calls.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const listener = (call: RecordedCall) => {
          if (!match(call)) return;
          events.off('call', listener);
          resolve(call);
        };
        events.on('call', listener);
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        events.removeAllListeners();
        for (const timer of polls) clearTimeout(timer);
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
