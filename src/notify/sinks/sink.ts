import type { Message } from '../message.ts';
import { DeliveryError } from './errors.ts';

/**
 * One delivery channel (Discord, Telegram, console). A sink renders and sends one platform message at a
 * time; it does not dedupe, queue, pace or retry beyond what its client library does by itself. That is the
 * outbox's job, and it can only do it without posting part 1 twice if a long message is sent part by part:
 * after a failure on part 2 the outbox resumes at part 2. Failures are thrown as DeliveryError (./errors.ts).
 */
export interface Sink {
  readonly name: string;
  /** Destinations this sink posts to, e.g. 'discord:123' or 'telegram:-100456'. */
  destinations(): string[];
  /**
   * How many platform messages `msg` becomes here (long text is split). Pure and deterministic, so a delivery
   * resumed after a restart sends the same parts.
   */
  partCount(msg: Message): number;
  /**
   * Send part `part` (0-based, below `partCount(msg)`) of `msg` to one destination (see SendOptions). Resolves
   * with the platform id of the message just posted (a part with nothing to post, e.g. a chart that could not be
   * drawn, resolves with `firstPartId`).
   */
  sendPart(destination: string, msg: Message, part: number, opts?: SendOptions): Promise<{ messageId: string }>;
}

export type SendOptions = {
  /** Reply to this platform message id. */
  replyTo?: string;
  /** Deliver without a notification sound (ALERTS_<EVENT>=silent); platforms without one ignore it. */
  silent?: boolean;
  /**
   * Given to the parts after the first: the platform id part 0 got at this destination (Telegram's chart photo
   * replies to it).
   */
  firstPartId?: string;
};

/**
 * The platform-local id in a destination ('discord:123' -> '123'). A destination of another sink is a wiring
 * bug, so it fails as a final (not retryable) DeliveryError.
 */
export function destinationId(sink: string, destination: string): string {
  const prefix = `${sink}:`;
  const id = destination.startsWith(prefix) ? destination.slice(prefix.length) : '';
  if (!id) {
    throw new DeliveryError(sink, destination, `not a ${sink} destination; expected "${prefix}<id>"`, { retryable: false });
  }
  return id;
}

/** Part `part` of `parts`, or a final DeliveryError naming the range (asking for a part that does not exist is a bug). */
export function pickPart<T>(sink: string, destination: string, parts: readonly T[], part: number): T {
  const picked = Number.isInteger(part) ? parts[part] : undefined;
  if (picked === undefined) {
    throw new DeliveryError(sink, destination, `no part ${part}; this message has parts 0..${parts.length - 1}`, {
      retryable: false,
    });
  }
  return picked;
}
