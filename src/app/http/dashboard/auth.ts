/**
 * @module DASHBOARD_TOKEN on every dashboard page: an `Authorization: Bearer <token>` header (scripts, curl), or
 * `?token=<token>` once from a browser. A right `?token=` answers 303 to the same address without it and sets
 * an HttpOnly, SameSite=Strict cookie, so the links between pages keep working with plain `<a href>`s:
 * carrying the token in every link would put it in the address bar, the history and any screenshot, and
 * a link copied to a chat would hand it out. The cookie holds an HMAC of the token, not the token, and a new
 * DASHBOARD_TOKEN makes every old cookie worthless. Every comparison is constant-time (SHA-256 of both sides,
 * then timingSafeEqual), so neither the token's length nor its prefix leaks through timing.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { h, layout } from './html.ts';

export const SESSION_COOKIE = 'hx_dashboard';
/** A month: a phone's bookmark keeps working without the token in it. */
const SESSION_MAX_AGE_SEC = 30 * 86_400;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));
const sessionValue = (token: string) => createHmac('sha256', token).update('hundredx dashboard session v1').digest('base64url');

/** The guard for every page; a no-op without a token (the config allows that on loopback only). */
export function tokenGuard(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined) return next();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    if (bearer !== undefined) return sameSecret(bearer, token) ? next() : unauthorized(c, 'That token is not the dashboard token.');
    const query = c.req.query('token');
    if (query !== undefined) {
      if (!sameSecret(query, token)) return unauthorized(c, 'That token is not the dashboard token.');
      setCookie(c, SESSION_COOKIE, sessionValue(token), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: SESSION_MAX_AGE_SEC,
        secure: isHttps(c),
      });
      return c.redirect(withoutToken(c.req.url), 303);
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie !== undefined && sameSecret(cookie, sessionValue(token))) return next();
    return unauthorized(c, cookie === undefined ? 'This dashboard needs its token.' : 'The saved token is no longer valid.');
  };
}

/** Behind a TLS proxy the cookie is marked Secure, so it never travels over plain HTTP. */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim() === 'https';
}

/** The same path and query, `token` removed: where the browser goes once the cookie is set. */
function withoutToken(url: string): string {
  const u = new URL(url);
  u.searchParams.delete('token');
  return `${u.pathname}${u.search}`;
}

/** 401 with a form that asks for the token (a GET form: it comes back as ?token=, which sets the cookie). */
function unauthorized(c: Context, why: string): Response {
  c.header('WWW-Authenticate', 'Bearer realm="hundredx dashboard"');
  c.header('Cache-Control', 'no-store');
  const body = h`<p>${why} Send it as <code>Authorization: Bearer &lt;token&gt;</code>, or enter it here (it is kept in a cookie
for this browser).</p>
<form method="get" action="${new URL(c.req.url).pathname}"><label>Token <input type="password" name="token" autocomplete="current-password" required></label> <button>Open</button></form>`;
  return c.html(layout({ title: 'Token needed', body }), 401);
}
