import type { Message } from '../message.ts';
import { DeliveryError } from './errors.ts';

/**
 * One delivery channel (Discord, Telegram, console). A sink renders and sends; it does not dedupe, queue
 * or retry beyond what its client library does by itself; that is the outbox's job. Failures are thrown
 * as DeliveryError (./errors.ts).
 */
export interface Sink {
  readonly name: string;
  /** Destinations this sink posts to, e.g. 'discord:123' or 'telegram:-100456'. */
  destinations(): string[];
  /**
   * Deliver `msg` to one destination (split into several platform messages when it is too long).
   * `replyTo` is a platform message id to reply to. Resolves with the id of the first platform message.
   */
  send(destination: string, msg: Message, opts?: { replyTo?: string }): Promise<{ messageId: string }>;
}

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
