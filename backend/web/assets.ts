import { createHash } from 'node:crypto';
import { signin } from './css/signin.js';
import { recordAssets } from './css/record.js';
import { admin } from './css/admin.js';
import { homeArea } from './css/home.js';

/**
 * The web companion's one stylesheet and one small script, served from
 * /assets/ under a name carrying their hash (cached for a year), so the
 * Content-Security-Policy needs no 'unsafe-inline' for either. Plain CSS
 * for a phone's width first; the script only enhances forms that work
 * without it.
 */
const BASE_CSS = `
:root{--ink:#1f2a37;--muted:#5b6675;--line:#d9dee5;--bg:#f7f8fa;--accent:#1d5fbf;--accent-ink:#fff;--bad:#b3261e;--good:#1e6b3a;font:16px/1.5 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP","Microsoft YaHei",sans-serif;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}body{margin:0}
a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
header.top{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;padding:.5rem 1rem;background:#fff;border-bottom:1px solid var(--line)}
header.top .brand{font-weight:700;text-decoration:none;color:var(--ink);margin-right:auto}
header.top nav ul{display:flex;flex-wrap:wrap;gap:.25rem .9rem;list-style:none;margin:0;padding:0}
header.top form{margin:0}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 1rem}
.muted{color:var(--muted)}.error{color:var(--bad)}.ok{color:var(--good)}
button,.button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-ink);cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.link{background:none;border:none;color:var(--accent);padding:0;text-decoration:underline}
input,select,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #8a94a3;border-radius:6px;max-width:100%}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
ul.plain{list-style:none;padding:0;margin:0}ul.plain>li{padding:.5rem 0;border-bottom:1px solid var(--line)}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.signin{max-width:28rem;margin:3rem auto}.signin .button{display:block;text-align:center;margin:.5rem 0}
@media (max-width:40rem){main{padding:.75rem}table.wide thead{display:none}table.wide tr{display:block;border-bottom:1px solid var(--line)}table.wide td{display:block;border:none;padding:.2rem 0}}
`;

/** Progressive enhancement only: a form marked data-confirm asks first; every page works without it. */
const BASE_JS = `
document.addEventListener('submit',function(e){var f=e.target;var q=f&&f.getAttribute&&f.getAttribute('data-confirm');if(q&&!window.confirm(q)){e.preventDefault();}});
`;

/**
 * Each area of pages adds its own rules and script as a string module
 * (backend/web/css/<area>.ts exporting css and, when it needs one, js),
 * listed here once; the whole is served as one file of each kind.
 */
const AREAS: { css?: string; js?: string }[] = [signin, recordAssets, admin, homeArea];

export const APP_CSS = [BASE_CSS, ...AREAS.map((a) => a.css ?? '')].join('\n');
export const APP_JS = [BASE_JS, ...AREAS.map((a) => a.js ?? '')].join('\n');

function hashed(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export const ASSETS = {
  css: { path: `/assets/app-${hashed(APP_CSS)}.css`, body: APP_CSS, type: 'text/css; charset=utf-8' },
  js: { path: `/assets/app-${hashed(APP_JS)}.js`, body: APP_JS, type: 'text/javascript; charset=utf-8' },
} as const;

/**
 * The headers of every page: no inline script or style, no framing, forms
 * post only here, nothing sent as a referrer to other sites, never cached
 * (pages hold customer data).
 */
export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
} as const;
