/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { call } from '../http.js';
import { t } from '../i18n/messages.js';
import { PeriodLine, PipelineColumns, type PipelineData, PipelineFilters, type Scope } from './deals-parts.js';
import { requireSession } from './guard.js';
import { csrfOf, page } from './layout.js';
import { refusalOf, refusalPage } from './page-kit.js';
import { formOf, safeNext, type WebEnv, type WebUser } from './session.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whose deals a member sees first: a rep their own, a manager their team's, an admin everyone's. */
function defaultScope(role: WebUser['role']): Scope {
  return role === 'rep' ? 'mine' : role === 'manager' ? 'team' : 'all';
}

/** Where a Move goes back to: the pipeline as it was filtered, never another page. */
function backOf(raw: unknown): string {
  const next = safeNext(raw);
  return next === '/deals' || next.startsWith('/deals?') ? next : '/deals';
}

/**
 * `/deals`: the pipeline as columns by stage, each with its open deals and
 * totals per currency, mine / my team's / everyone's / one owner's (one call
 * to api.web_deals); Move stage posts to api.deal_update as PATCH
 * /api/deals/:id does.
 */
export const dealPageRoutes = new Hono<WebEnv>()
  .get('/deals', requireSession, async (c) => {
    const { locale, role } = c.get('user');
    const title = t(locale, 'web_deals_title');
    const scope = c.req.query('scope') || defaultScope(role);
    const owner = (c.req.query('owner') ?? '').replace(/[\u0000-\u001f]/g, '').slice(0, 100);
    let data: PipelineData;
    try {
      data = await call<PipelineData>(c as never, 'web_deals', { scope: scope.slice(0, 20).replace(/\u0000/g, ''), ...(owner ? { owner } : {}) });
    } catch (e) {
      return refusalPage(c, refusalOf(e, c.get('user').locale), { title, back: '/deals' });
    }
    const url = new URL(c.req.url);
    return page(c, {
      title,
      body: (
        <>
          <h1>{title}</h1>
          <PipelineFilters locale={locale} scope={data.scope === 'owner' ? (scope as Scope) : data.scope} owner={data.owner} members={data.members} />
          <PeriodLine locale={locale} period={data.period} />
          <PipelineColumns locale={locale} csrf={csrfOf(c)} back={backOf(url.pathname + url.search)} stages={data.stages} />
        </>
      ),
    });
  })
  .post('/deals/:id/stage', requireSession, async (c) => {
    const { locale } = c.get('user');
    const id = c.req.param('id');
    const title = t(locale, 'web_deals_title');
    if (!UUID.test(id)) return refusalPage(c, { status: 404, message: t(locale, 'deal_not_found', { id }) }, { title, back: '/deals' });
    const form = await formOf(c);
    const stage = typeof form.stage === 'string' ? form.stage : '';
    if (!/^[a-z0-9_]{1,40}$/.test(stage))
      return refusalPage(c, { status: 400, message: t(locale, 'invalid_request', { fields: 'stage' }) }, { title, back: '/deals' });
    try {
      await call(c as never, 'deal_update', { id, patch: { stage } });
    } catch (e) {
      return refusalPage(c, refusalOf(e, c.get('user').locale), { title, back: '/deals' });
    }
    return c.redirect(backOf(form.back), 303);
  });
