/** How a send failed, in terms the outbox can act on. Messages never contain a bot token. */
import { redactSecrets } from '../../core/errors.ts';

export type DeliveryErrorOptions = {
  /** True for 429, 5xx and network failures: trying again later may work. */
  retryable: boolean;
  /** How long the platform asked us to wait (Telegram's retry_after x 1000), when it said. */
  retryAfterMs?: number;
  /** HTTP status, when there was an answer. */
  status?: number;
  /** The platform's error code (Discord's JSON code, Telegram's error_code) or a network code like ECONNREFUSED. */
  code?: string | number;
};

/**
 * A message could not be delivered to one destination. `retryable` decides whether the outbox keeps it for a
 * later attempt; 4xx other than 429 (bad chat id, missing permission, bad payload) are final.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly code: string | number | undefined;

  constructor(
    readonly sink: string,
    readonly destination: string,
    message: string,
    options: DeliveryErrorOptions,
  ) {
    super(`${sink} -> ${destination}: ${message}`);
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.code = options.code;
  }
}

/** Node network error codes worth retrying (the connection, not the request, failed). */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/** The errno-style code of an error or of its cause chain (undici wraps it in `cause`), if any. */
export function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
  }
  return undefined;
}

/**
 * A DeliveryError for a failure that produced no HTTP answer. Timeouts (AbortError) and known transient
 * codes are retryable; the text is redacted because some clients put the token-bearing URL in it.
 */
export function networkDeliveryError(sink: string, destination: string, err: unknown, secrets: string[]): DeliveryError {
  const code = networkCode(err);
  const aborted = err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
  const text = redactSecrets(err instanceof Error ? err.message : String(err), secrets);
  return new DeliveryError(sink, destination, `network error: ${text}`, {
    retryable: aborted || code === undefined || TRANSIENT_CODES.has(code),
    ...(code ? { code } : {}),
  });
}
