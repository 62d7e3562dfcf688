/**
 * One small error taxonomy. Every error a user can see is one of these, so chat replies, the CLI and
 * logs can say what failed without leaking internals or secrets.
 */

/** The user asked for something malformed: safe to show verbatim. */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
  constructor(
    readonly identifier: string,
    message: string,
  ) {
    super(message);
  }
}

/** Start-up configuration is invalid; `problems` holds one line per bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export type MarketDataErrorKind = 'not_found' | 'rate_limited' | 'upstream' | 'bad_data';

/**
 * A market data call failed. `kind` decides retries (see isRetryable):
 * - not_found: unknown or delisted ticker; never retried, negatively cached.
 * - rate_limited: HTTP 429; retried after `retryAfterMs` when known.
 * - upstream: 5xx, network failure or timeout; retried with backoff.
 * - bad_data: the answer failed schema validation; never retried.
 */
export class MarketDataError extends Error {
  override readonly name = 'MarketDataError';
  constructor(
    readonly kind: MarketDataErrorKind,
    readonly source: string,
    readonly symbol: string,
    message: string,
    readonly options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'upstream';
  }

  /** How long the source asked us to wait (Retry-After), when it said. */
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
}

/** Built patterns by secret: a process has a handful of secrets, and every log line is redacted. */
const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 64;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The spellings a secret takes in text that went through a URL: as is, percent-encoded (a Telegram token's
 * ":" as %3A, in either hex case), form-encoded (space as "+"), and encoded twice (a URL inside a URL).
 */
function secretPattern(secret: string): RegExp {
  const known = patterns.get(secret);
  if (known) return known;
  const component = encodeURIComponent(secret);
  const forms = new Set([secret, component, encodeURI(secret), new URLSearchParams([['k', secret]]).toString().slice(2), encodeURIComponent(component)]);
  const alternatives = [...forms]
    .sort((a, b) => b.length - a.length)
    .map((form) => escapeRegExp(form).replace(/%([0-9A-F]{2})/g, (_, hex: string) => `%(?:${hex}|${hex.toLowerCase()})`));
  const pattern = new RegExp(alternatives.join('|'), 'g');
  if (patterns.size < MAX_PATTERNS) patterns.set(secret, pattern);
  return pattern;
}

/**
 * Remove anything that looks like a credential from text that may reach a log or a chat: key-like query
 * parameters, bot tokens in paths, Authorization values, and each of `secrets` (4+ characters) in any
 * URL-encoded spelling. Redact before cutting text short (see redactAndClip): a cut through a secret leaves
 * a prefix that no longer matches.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  // Known secrets first, whole: a pattern below could otherwise cut one in two and leave its tail readable.
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.replace(secretPattern(secret), '***');
  // A value stops at a backslash too, so in a JSON log line `token=abc\"` keeps its escaped quote.
  return out
    .replace(/(apiKey|api_key|token|crumb)=([^&\s"'\\]+)/gi, '$1=***')
    .replace(/\/bot\d+(:|%3A)[A-Za-z0-9_-]+/gi, '/bot***')
    .replace(/(Bot|Bearer)\s+[A-Za-z0-9._-]{10,}/g, '$1 ***');
}

/** `text` redacted (redactSecrets), then cut to at most `maxChars` with "…": in that order, so no part of a secret survives the cut. */
export function redactAndClip(text: string, secrets: readonly (string | undefined)[], maxChars: number): string {
  const clean = redactSecrets(text, secrets).trim();
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars - 1).trimEnd()}…`;
}
