import { describe, expect, it } from 'vitest';
import { redactAndClip, redactSecrets } from '../../src/core/errors.ts';

const TELEGRAM_TOKEN = '123456:AAH-secret_token+/=value';
const REDIS_PASSWORD = 'p@ss w0rd/x';

describe('redactSecrets', () => {
  it.each([
    ['as is', `token ${TELEGRAM_TOKEN} refused`],
    ['percent-encoded', `GET /x?t=${encodeURIComponent(TELEGRAM_TOKEN)} failed`],
    ['percent-encoded in lower-case hex', `GET /x?t=${encodeURIComponent(TELEGRAM_TOKEN).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`],
    ['form-encoded', `body ${new URLSearchParams({ t: TELEGRAM_TOKEN }).toString()}`],
    ['encoded twice', `next=${encodeURIComponent(`https://x/?t=${encodeURIComponent(TELEGRAM_TOKEN)}`)}`],
  ])('GIVEN a secret %s THEN it is replaced', (_, text) => {
    const out = redactSecrets(text, [TELEGRAM_TOKEN]);
    expect(out).toContain('***');
    expect(out).not.toContain('secret_token');
    expect(out).not.toContain('AAH-secret');
  });

  it('should redact a Redis password with a space and an @, in each spelling', () => {
    const text = `auth ${REDIS_PASSWORD} / ${encodeURIComponent(REDIS_PASSWORD)} / ${new URLSearchParams({ p: REDIS_PASSWORD }).toString()}`;
    expect(redactSecrets(text, [REDIS_PASSWORD])).toBe('auth *** / *** / p=***');
  });

  it('should redact key-like parameters and bot paths also when the ":" is encoded', () => {
    expect(redactSecrets('https://api.telegram.org/bot123%3AABCdef/sendMessage?apiKey=k1&x=1')).toBe(
      'https://api.telegram.org/bot***/sendMessage?apiKey=***&x=1',
    );
  });

  it('should leave short "secrets" and text without them alone', () => {
    expect(redactSecrets('abc def', ['abc', undefined, ''])).toBe('abc def');
  });
});

describe('redactAndClip', () => {
  const KEY = 'PolygonKey0123456789abcdef';
  it('GIVEN a key straddling the cut THEN no prefix of it survives', () => {
    const text = `${'x'.repeat(150)}${KEY} tail`;
    const naive = redactSecrets(text.slice(0, 160), [KEY]); // the old order: cut, then redact
    expect(naive).toContain(KEY.slice(0, 10));
    const clipped = redactAndClip(text, [KEY], 160);
    expect(clipped).not.toContain(KEY.slice(0, 4));
    expect(clipped).toBe(`${'x'.repeat(150)}*** tail`);
    expect(redactAndClip(`${'y'.repeat(200)}${KEY}`, [KEY], 160)).toBe(`${'y'.repeat(159)}…`);
  });

  it('GIVEN a URL-encoded key across the cut THEN it is redacted before the cut', () => {
    const key = 'k3y/with+specials=';
    const text = `${'x'.repeat(150)}apikey:${encodeURIComponent(key)}`;
    expect(redactAndClip(text, [key], 170)).toBe(`${'x'.repeat(150)}apikey:***`);
  });
});
