/**
 * @module The dashboard's HTML: one escaping template tag (hono's `html` helper: every interpolated string is
 * escaped, nested templates are not escaped twice), the page layout with its small inline stylesheet, and
 * the formatting helpers the pages share. Pure: data in, HTML text out.
 */
import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { formatNyTime } from '../../../../commands/status.ts';

export type Html = HtmlEscapedString;

/**
 * hono's `html`, synchronous: the pages interpolate strings, numbers and other templates, never promises, so
 * the result is always ready. Strings are escaped (`& < > " '`), which also makes them safe in quoted attributes.
 */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const out = html(strings, ...values);
  if (out instanceof Promise) throw new TypeError('h: a promise was interpolated; await it before rendering');
  return out;
}

/** Trusted markup (a chart the charts layer built, escaping its own text) placed as is. */
export const trusted = (markup: string): Html => raw(markup);

/** Phone first: tables scroll sideways inside their box, the chart scales to the width. */
const CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--good:#1a7f37;--bad:#cf222e;--warn:#9a6700;--link:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--good:#3fb950;--bad:#f85149;--warn:#d29922;--link:#4493f8}}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1000px;padding:0 12px 32px;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
nav{display:flex;flex-wrap:wrap;gap:4px 18px;align-items:baseline;padding:12px 0;border-bottom:1px solid var(--line)}
nav strong{margin-right:8px}nav a[aria-current]{font-weight:600;text-decoration:none;color:var(--fg)}
h1{font-size:1.4em;margin:16px 0 8px}h2{font-size:1.1em;margin:24px 0 8px}
.muted,small{color:var(--muted)}.good{color:var(--good)}.bad{color:var(--bad)}.warn{color:var(--warn)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;min-width:100%}th,td{padding:4px 10px 4px 0;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;white-space:nowrap}td.text{white-space:normal;min-width:14em}
th{font-weight:600;white-space:nowrap}td.num,th.num{text-align:right;white-space:nowrap}
.chart svg{display:block;max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
progress{width:100%;max-width:420px;height:14px}
form.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:end;margin:8px 0 16px}
form.filters label{display:flex;flex-direction:column;font-size:.9em;color:var(--muted)}
input,select,button{font:inherit;padding:4px 6px}
.diary h2{font-size:1.2em}.diary h3{font-size:1.05em}.diary hr{border:0;border-top:1px solid var(--line)}
footer{margin-top:32px;color:var(--muted);font-size:.85em}
`;

/** For the Content-Security-Policy: the one inline stylesheet is allowed by its hash, nothing else runs. */
export const STYLE_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

export type Section = '/' | '/trades' | '/diary' | '/alerts';
const NAV: ReadonlyArray<[Section, string]> = [
  ['/', 'Overview'],
  ['/trades', 'Trades'],
  ['/diary', 'Diary'],
  ['/alerts', 'Alerts'],
];

/** A whole page: the navigation (the current section marked), the title and the body. */
export function layout(opts: { title: string; section?: Section; body: Html }): Html {
  const links = NAV.map(([href, label]) => (href === opts.section ? h`<a href="${href}" aria-current="page">${label}</a>` : h`<a href="${href}">${label}</a>`));
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${opts.title} · hundredx</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<nav><strong>hundredx</strong>${links}</nav>
<main>
<h1>${opts.title}</h1>
${opts.body}
</main>
<footer>Paper trading only: nothing here is a real order. Not financial advice.</footer>
</body>
</html>
`;
}

/** An error page's body: what went wrong and where to go from here. */
export function problemBody(detail: string, back: { href: Section; label: string } = { href: '/', label: 'Back to the overview' }): Html {
  return h`<p>${detail}</p><p><a href="${back.href}">${back.label}</a></p>`;
}

/** A table that scrolls sideways on a narrow screen. `num` columns align right. */
export function table(head: ReadonlyArray<string | { label: string; num: true }>, rows: readonly Html[]): Html {
  const ths = head.map((c) => (typeof c === 'string' ? h`<th>${c}</th>` : h`<th class="num">${c.label}</th>`));
  return h`<div class="scroll"><table><thead><tr>${ths}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** "Thu, Mar 12, 17:00 ET" for an instant (ISO string, Date or epoch ms). */
export const nyTime = (at: string | Date | number): string => formatNyTime(new Date(at));

/** A signed dollar amount coloured by its sign: "+$837.40" green, "-$12.00" red. */
export function signedUsd(amountUsd: number, text: string): Html {
  return h`<span class="${amountUsd > 0 ? 'good' : amountUsd < 0 ? 'bad' : ''}">${text}</span>`;
}
