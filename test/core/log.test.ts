import { describe, expect, it } from 'vitest';
import { childLogger, createLogger, type Logger } from '../../src/core/log.ts';

const TOKEN = '123456:SECRET-token_value_abcdefghij';
const KEY = 'pk_Zx9"quoted\\key';
const at = () => new Date('2020-03-12T14:45:00Z');

function collect(opts: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = createLogger({ write: (l) => lines.push(l), now: at, ...opts });
  return { logger, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('should write one JSON line per event with level, ISO time and message', () => {
    const { logger, lines, json } = collect();
    logger.info('hundredx started');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(json()[0]).toMatchObject({ level: 30, time: '2020-03-12T14:45:00.000Z', msg: 'hundredx started' });
  });

  it('should drop lines below LOG_LEVEL and keep those at or above it', () => {
    const { logger, json } = collect({ level: 'warn' });
    logger.info('quiet');
    logger.warn('heard');
    logger.error('heard too');
    expect(json().map((l) => l.msg)).toEqual(['heard', 'heard too']);
  });

  it('should tag a child logger\'s lines with its job or platform', () => {
    const { logger, json } = collect();
    childLogger(logger, { job: 'intraday' }).info('cycle: 15 scanned');
    childLogger(childLogger(logger, { platform: 'telegram' }), { chat: '-100' }).warn('reply failed');
    expect(json()).toMatchObject([
      { job: 'intraday', msg: 'cycle: 15 scanned' },
      { platform: 'telegram', chat: '-100', msg: 'reply failed' },
    ]);
  });

  it('should never write a configured secret, in a message, a field, a binding or an error', () => {
    const { logger, lines } = collect({ secrets: [TOKEN, KEY] });
    logger.error(`telegram sendMessage failed: GET https://api.telegram.org/bot${TOKEN}/sendMessage`);
    logger.error({ err: new Error(`401 for key ${KEY}`), url: `https://api.polygon.io/v2?apiKey=${KEY}` }, 'polygon failed');
    logger.child({ token: TOKEN }).info('child line');
    const text = lines.join('');
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('pk_Zx9');
    expect(text).toContain('***');
    // Every line is still valid JSON after scrubbing, the stack included.
    const parsed = lines.map((l) => JSON.parse(l) as { err?: { stack: string } });
    expect(parsed[1]!.err!.stack).toContain('401 for key ***');
  });

  it('should scrub credential patterns without being told the secret', () => {
    const { logger, lines } = collect();
    logger.warn(`fetch failed: https://query1.example/v7?crumb=abc123&symbol=NFLX, Authorization: Bot ${'x'.repeat(24)}`);
    expect(lines[0]).toContain('crumb=***');
    expect(lines[0]).toContain('Bot ***');
    expect(lines[0]).not.toContain('abc123');
  });

  it('should keep a line valid JSON when a scrubbed value sits inside quotes', () => {
    const { logger, lines } = collect();
    logger.error('request "https://api.example/v1?token=abc123" failed');
    expect((JSON.parse(lines[0]!) as { msg: string }).msg).toBe('request "https://api.example/v1?token=***" failed');
  });

  it('should print pretty lines with LOG_FORMAT=pretty, scrubbed the same way', () => {
    const { logger, lines } = collect({ format: 'pretty', secrets: [TOKEN] });
    logger.child({ job: 'close' }).warn(`diary not saved (token ${TOKEN})`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] WARN: close: diary not saved \(token \*\*\*\)\n$/);
    expect(lines[0]).not.toContain('SECRET');
  });

  it('should let a plain collecting object stand in for it', () => {
    const seen: string[] = [];
    const plain: Logger = { info: (m) => seen.push(m), warn: (m) => seen.push(m), error: (m) => seen.push(m) };
    childLogger(plain, { job: 'premarket' }).info('regime announced');
    expect(seen).toEqual(['regime announced']);
  });
});
