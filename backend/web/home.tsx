/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { call } from '../http.js';
import { t } from '../i18n/messages.js';
import { Timestamp } from '../schemas.js';
import { PAGE_HEADERS } from './assets.js';
import { requireSession } from './guard.js';
import { type HomeData, MyFollowUps, SearchForm, SearchResults, type SearchResult } from './home-parts.js';
import { csrfOf, page } from './layout.js';
import { refusalOf, refusalPage } from './page-kit.js';
import { formOf, type WebEnv } from './session.js';

export const SEARCH_MAX = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 24 * 3600 * 1000;

/**
 * A search as typed, or undefined when it is too long; control characters
 * (a NUL can be in no query) become spaces.
 *   searchText(' Tanaka\u0000 ') = 'Tanaka'   searchText('x'.repeat(201)) = undefined
 */
export function searchText(raw: string | undefined): string | undefined {
  const q = (raw ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return q.length > SEARCH_MAX ? undefined : q;
}

/**
 * `/`: search across contacts and companies (a plain GET form; as you type,
 * the fragment /search), and my follow-ups with Done and Snooze. One call
 * to api.web_home a page, one to api.web_search a fragment.
 */
export const homeRoutes = new Hono<WebEnv>()
  .get('/', requireSession, async (c) => {
    const { locale, timezone } = c.get('user');
    const q = searchText(c.req.query('q'));
    const tooLong = q === undefined ? t(locale, 'web_search_too_long', { max: SEARCH_MAX }) : undefined;
    const data = await call<HomeData>(c as never, 'web_home', { q: q ?? '' });
    return page(c, {
      title: t(locale, 'web_nav_home'),
      status: tooLong ? 400 : 200,
      body: (
        <>
          <h1>{t(locale, 'web_home_heading')}</h1>
          <SearchForm locale={locale} q={q ?? c.req.query('q')?.slice(0, SEARCH_MAX) ?? ''} error={tooLong} />
          <div id="search-live" aria-live="polite">
            {data.search ? <SearchResults locale={locale} result={data.search} /> : null}
          </div>
          <MyFollowUps locale={locale} timezone={timezone} csrf={csrfOf(c)} followUps={data.followUps} />
        </>
      ),
    });
  })
  .get('/search', requireSession, async (c) => {
    const { locale } = c.get('user');
    const q = searchText(c.req.query('q'));
    if (q === undefined) {
      const refused = (
        <p class="error" role="alert">
          {t(locale, 'web_search_too_long', { max: SEARCH_MAX })}
        </p>
      );
      return c.html(`${refused}`, 400, PAGE_HEADERS);
    }
    if (!q) return c.html('', 200, PAGE_HEADERS);
    const result = await call<SearchResult>(c as never, 'web_search', { q });
    return c.html(`${<SearchResults locale={locale} result={result} />}`, 200, PAGE_HEADERS);
  })
  .post('/my/follow-ups/:id/done', requireSession, async (c) => {
    const id = c.req.param('id');
    const title = t(c.get('user').locale, 'web_nav_home');
    if (!UUID.test(id)) return refusalPage(c, { status: 404, message: t(c.get('user').locale, 'follow_up_not_found', { id }) }, { title, back: '/' });
    try {
      await call(c as never, 'follow_up_update', { id, patch: { status: 'done' } });
    } catch (e) {
      return refusalPage(c, refusalOf(e, c.get('user').locale), { title, back: '/' });
    }
    return c.redirect('/', 303);
  })
  .post('/my/follow-ups/:id/snooze', requireSession, async (c) => {
    const { locale } = c.get('user');
    const id = c.req.param('id');
    const title = t(locale, 'web_nav_home');
    if (!UUID.test(id)) return refusalPage(c, { status: 404, message: t(locale, 'follow_up_not_found', { id }) }, { title, back: '/' });
    const form = await formOf(c);
    const days = form.days === '1' ? 1 : form.days === '7' ? 7 : undefined;
    const due = typeof form.due === 'string' ? Date.parse(form.due) : Number.NaN;
    if (days === undefined || Number.isNaN(due)) {
      return refusalPage(c, { status: 400, message: t(locale, 'invalid_request', { fields: days === undefined ? 'days' : 'due' }) }, { title, back: '/' });
    }
    // as Slack's Snooze: from whichever is later, now or when it was due
    const now = (c.get('deps').clock ?? (() => new Date()))().getTime();
    const next = new Date(Math.max(now, due) + days * DAY_MS);
    const dueAt = Number.isNaN(next.getTime()) ? '' : next.toISOString();
    if (!Timestamp.safeParse(dueAt).success)
      return refusalPage(c, { status: 400, message: t(locale, 'invalid_request', { fields: 'due' }) }, { title, back: '/' });
    try {
      await call(c as never, 'follow_up_update', { id, patch: { dueAt } });
    } catch (e) {
      return refusalPage(c, refusalOf(e, c.get('user').locale), { title, back: '/' });
    }
    return c.redirect('/', 303);
  });
