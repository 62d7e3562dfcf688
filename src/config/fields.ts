/**
 * The building blocks of the config schema: each env value type with its error message and an example, so
 * every message names the problem and shows a valid value.
 */
import { isIP } from 'node:net';
import { validateDetailed } from 'node-cron';
import { z } from 'zod';

/**
 * A plain decimal: optional sign, digits, at most one ".". Number() alone would also take "0x10" (16),
 * "1e3", "Infinity", "" and "  " (0), none of which a person means as an amount in a settings file.
 */
const DECIMAL = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

/** A decimal number (surrounding spaces ignored); anything else is refused with `example`. */
export const num = (example: string) =>
  z.string({ error: `must be a number, e.g. ${example}` }).transform((raw, ctx) => {
    const text = raw.trim();
    const n = Number(text);
    if (!DECIMAL.test(text) || !Number.isFinite(n)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a plain decimal number (no hex, exponent, separators or spaces), e.g. ${example}`,
      });
      return z.NEVER;
    }
    return n;
  });
export const positive = (example: string) => num(example).refine((n) => n > 0, { message: `must be > 0, e.g. ${example}` });
export const fraction = (example: string) =>
  num(example).refine((n) => n >= 0 && n <= 1, { message: `must be between 0 and 1, e.g. ${example}` });
export const int = (min: number, max: number, example: string) =>
  num(example).refine((n) => Number.isInteger(n) && n >= min && n <= max, {
    message: `must be a whole number from ${min} to ${max}, e.g. ${example}`,
  });
export const url = (example: string) =>
  z.string().refine((s) => /^https?:\/\/[^\s]+$/.test(s) && URL.canParse(s), { message: `must be an http(s) URL, e.g. ${example}` });

/** YYYY-MM-DD of a day that exists: Date.parse would roll 2020-02-30 over to March 1st. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD, e.g. 2020-03-12', abort: true })
  .refine((s) => {
    const day = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === s;
  }, { message: 'is not a real calendar date, e.g. 2020-03-12' });

/**
 * A Redis URL that ioredis can read: redis:// or rediss://, a host, a port in range, an optional db number.
 * Checked here so a typo names REDIS_URL instead of surfacing as a bare "Invalid URL" from the client.
 * The value is a secret (it may hold a password) and is never echoed.
 */
export const redisUrl = z.string().superRefine((s, ctx) => {
  const example = 'e.g. redis://127.0.0.1:6379 or redis://:password@host:6379/0';
  const fail = (why: string) => ctx.addIssue({ code: 'custom', message: `${why}, ${example}` });
  if (!/^rediss?:\/\//.test(s)) return fail('must start with redis:// or rediss://');
  let parsed: URL;
  try {
    parsed = new URL(s);
  } catch {
    return fail('is not a valid URL (check the port, and percent-encode special characters in the password)');
  }
  if (!parsed.hostname) return fail('has no host');
  try {
    // ioredis decodes the user and password; a stray "%" would throw there instead.
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    return fail('has a "%" in the user or password that is not a percent-encoding (write % as %25)');
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) return fail('has a database that is not a number (the path after the port)');
});

/** An address to listen on: an IPv4 or IPv6 address, or a host name. */
export const host = (example: string) =>
  z.string().refine((s) => isIP(s) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(s), {
    message: `must be an IP address or a host name, e.g. ${example} (0.0.0.0 listens on every interface)`,
  });

/** True when `host` only listens on this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

export const snowflake = z.string().regex(/^\d{17,20}$/, { message: 'must be a Discord id (17-20 digits)' });

const FLAG_VALUES: Record<string, boolean> = { '1': true, true: true, yes: true, on: true, '0': false, false: false, no: false, off: false };

/** An on/off switch: 1/0, true/false, yes/no, on/off (any case). */
export const flag = z.string().transform((v, ctx) => {
  const value = FLAG_VALUES[v.trim().toLowerCase()];
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be 1 or 0 (or true/false, yes/no, on/off), e.g. 1' });
    return z.NEVER;
  }
  return value;
});

/** A percentage of premium, or "off". */
export const offOrPct = (dflt: string) =>
  z
    .string()
    .default(dflt)
    .transform((v, ctx) => {
      const text = v.trim();
      if (text.toLowerCase() === 'off') return null;
      const n = Number(text);
      if (!(DECIMAL.test(text) && Number.isFinite(n) && n > 0 && n <= 10_000)) {
        ctx.addIssue({ code: 'custom', message: `must be a percentage of the premium paid or "off", e.g. ${dflt}` });
        return z.NEVER;
      }
      return n;
    });

/** A comma-separated list of ids, each checked against `pattern`. */
export const idList = (pattern: RegExp, example: string) =>
  z
    .string()
    .default('')
    .transform((s, ctx) => {
      const ids = s.split(',').map((x) => x.trim()).filter(Boolean);
      const bad = ids.filter((id) => !pattern.test(id));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(bad[0]!.slice(0, 30))} is not valid; use ${example}` });
        return z.NEVER;
      }
      return [...new Set(ids)];
    });

/** "BEARISH=0/1" style exposure multipliers: long/short per regime state. */
export const exposure = z.string().transform((s, ctx) => {
  const out: Record<string, { long: number; short: number }> = {};
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(BULLISH|NEUTRAL|BEARISH)=(\d+(?:\.\d+)?|\.\d+)\/(\d+(?:\.\d+)?|\.\d+)$/i.exec(part);
    const long = Number(m?.[2]);
    const short = Number(m?.[3]);
    if (!m || !(long >= 0 && long <= 1 && short >= 0 && short <= 1)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${part}" must look like STATE=long/short with multipliers 0..1, e.g. BEARISH=0/1`,
      });
      return z.NEVER;
    }
    out[m[1]!.toUpperCase()] = { long, short };
  }
  return out;
});

/*
 * Cron schedules in New York time. A schedule is a list: one cron expression cannot say "09:45, then every
 * 30 minutes to 15:45", so SCHEDULE_* take several expressions separated by ";".
 */

/** node-cron's reading of each expression seen, kept: config, the frequency check and the scheduler all ask. */
const readings = new Map<string, ReturnType<typeof validateDetailed>>();

/** node-cron's validateDetailed, once per expression per process. */
export function cronFields(expression: string): ReturnType<typeof validateDetailed> {
  let reading = readings.get(expression);
  if (!reading) readings.set(expression, (reading = validateDetailed(expression)));
  return reading;
}

/** Separates the expressions of one SCHEDULE_* value; cron fields never contain it. */
export const CRON_LIST_SEPARATOR = ';';

/**
 * Split and validate a ";"-separated list of cron expressions (5 fields, or 6 with seconds first, as
 * node-cron reads them). Returns the expressions, or the problems in words.
 */
export function parseCronList(text: string): { expressions: string[]; problems: string[] } {
  const expressions = text.split(CRON_LIST_SEPARATOR).map((part) => part.trim().replace(/\s+/g, ' ')).filter(Boolean);
  if (expressions.length === 0) return { expressions, problems: ['no cron expression given'] };
  const problems = expressions.flatMap((expression) => {
    const result = cronFields(expression);
    return result.valid ? [] : [`"${expression}": ${result.errors.map((e) => e.message).join('; ')}`];
  });
  return { expressions, problems };
}

/**
 * The expressions of a valid list that fire more than once in some minute: six fields whose seconds field
 * matches several seconds ("* * * * * *" runs a cycle every second). A trading cycle takes longer than that.
 */
export function tooFrequent(expressions: readonly string[]): string[] {
  return expressions.filter((expression) => (cronFields(expression).fields?.second.length ?? 1) > 1);
}

/**
 * zod schema for a SCHEDULE_* variable: a ";"-separated list of cron expressions in New York time,
 * parsed to string[]. For config.ts: `SCHEDULE_CLOSE: cronExpression.default([...DEFAULTS.schedules.close])`.
 */
export const cronExpression = z.string().transform((text, ctx) => {
  const { expressions, problems } = parseCronList(text);
  if (problems.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${problems.join(', ')}; use cron expressions in New York time separated by ";", e.g. "45 9 * * 1-5; 15,45 10-15 * * 1-5"`,
    });
    return z.NEVER;
  }
  return expressions;
});
