/** @jsxImportSource hono/jsx */
import { type Context, Hono } from 'hono';
import { ContactPatch, isTimeCursor } from '../contacts/schemas.js';
import { call, encodeCursor, invalidRequest } from '../http.js';
import { ApiError } from '../errors.js';
import { type MessageKey, t } from '../i18n/messages.js';
import { KINDS, type Locale } from '../i18n/vocabulary.js';
import { Domain } from '../schemas.js';
import type { EditValues } from './contact-forms.js';
import { ContactPage, type ContactPageData } from './contact-view.js';
import { requireSession } from './guard.js';
import { csrfOf, page } from './layout.js';
import { cursorOf, isUuid, notFoundPage, query, type Refusal, refusalOf, refusalPage } from './page-kit.js';
import { formOf, type WebEnv } from './session.js';

/**
 * /c/:id, where every "Open in Rapport" link leads: the contact's card, its
 * whole timeline 50 entries a page (one kind, if asked), open follow-ups
 * with Done and Snooze, edit in place and merge suggestions. Reading it is
 * one call (api.web_contact_page); each form calls the api.* function the
 * JSON API calls for the same change, then comes back here (303).
 */

const PAGE_SIZE = 50;
const DAY = 24 * 3600 * 1000;

type Ctx = Context<WebEnv>;
type View = { edit?: { values: EditValues; problem: string }; problem?: string; status?: 400 | 403 | 404 | 409 | 422 };

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The page, read with one call; a refusal of the read (not found, a bad cursor) is its own page. */
async function contactPage(c: Ctx, id: string, view: View = {}) {
  const user = c.get('user');
  const kind = c.req.method === 'GET' ? c.req.query('kind') || undefined : undefined;
  const rawCursor = c.req.method === 'GET' ? c.req.query('cursor') || undefined : undefined;
  let data: ContactPageData;
  try {
    if (kind && !(KINDS as readonly string[]).includes(kind)) return refusalPage(c, refusalOf(invalidKind(), user.locale));
    const cursor = cursorOf(rawCursor, isTimeCursor);
    data = await call<ContactPageData>(c as never, 'web_contact_page', { id, limit: PAGE_SIZE, ...(kind ? { kind } : {}), ...(cursor ? { cursor } : {}) });
  } catch (e) {
    return refusalPage(c, refusalOf(e, user.locale));
  }
  // a merged contact's link opens the contact it was merged into
  if (data.id !== id.toLowerCase() && c.req.method === 'GET') return c.redirect(`/c/${data.id}${query({ kind })}`, 303);
  const next = encodeCursor(data.timeline.nextCursor);
  return page(c, {
    title: data.name,
    status: view.status ?? 200,
    body: (
      <ContactPage
        data={data}
        user={user}
        csrf={csrfOf(c)}
        kind={kind}
        olderHref={next ? `/c/${data.id}${query({ kind, cursor: next })}#timeline` : undefined}
        newestHref={rawCursor ? `/c/${data.id}${query({ kind })}#timeline` : undefined}
        edit={view.edit}
        problem={view.problem}
      />
    ),
  });
}

function invalidKind() {
  return invalidRequest({ issues: [{ code: 'custom', path: ['kind'], message: `one of ${KINDS.join(', ')}`, input: undefined } as never] }, 'query');
}

/** The form's label of each field PATCH /api/contacts/:id takes here, for what was wrong. */
const LABELS: Record<string, MessageKey> = {
  name: 'web_contact_name',
  stage: 'web_contact_stage',
  ownerEmail: 'web_contact_owner',
  company: 'web_contact_company',
  tags: 'web_contact_tags',
};

/** The edit form's fields as a PATCH /api/contacts/:id body, checked by the API's own schema; what is wrong named by its label. */
export function patchOf(values: EditValues, locale: Locale): { ok: true; patch: object } | { ok: false; error: ApiError } {
  const patch: Record<string, unknown> = {
    name: values.name,
    stage: values.stage,
    ownerEmail: values.owner.trim() || null,
    tags: [
      ...new Set(
        values.tags
          .split(/[,、，]/)
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ],
  };
  // the company only when it was changed: a name, or a domain (acme.com); empty for none
  const company = values.company.trim();
  if (company !== values.companyWas.trim()) {
    patch.company = !company ? null : Domain.safeParse(company).success ? { domain: company } : { name: company };
  }
  const parsed = ContactPatch.safeParse(patch);
  if (parsed.success) return { ok: true, patch: parsed.data };
  const wrong = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))];
  const fields = wrong.map((f) => (LABELS[f] ? t(locale, LABELS[f]) : f)).join(locale === 'en' ? ', ' : '、');
  return { ok: false, error: new ApiError(400, 'invalid_request', { fields }, invalidRequest(parsed.error, 'json').details) };
}

/** A write's refusal shown on the page again, with its status. */
function again(c: Ctx, id: string, r: Refusal, view: Omit<View, 'status'> = {}) {
  if (r.status === 404) return notFoundPage(c);
  return contactPage(c, id, { ...view, status: r.status === 401 ? 403 : r.status });
}

export const contactRoutes = new Hono<WebEnv>()
  .get('/c/:id', requireSession, async (c) => {
    const id = c.req.param('id');
    return isUuid(id) ? contactPage(c, id) : notFoundPage(c);
  })
  .post('/c/:id/edit', requireSession, async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return notFoundPage(c);
    const { locale } = c.get('user');
    const form = await formOf(c);
    const values: EditValues = {
      name: str(form.name),
      stage: str(form.stage),
      owner: str(form.owner),
      company: str(form.company),
      companyWas: str(form.company_was),
      tags: str(form.tags),
    };
    const made = patchOf(values, locale);
    try {
      if (!made.ok) throw made.error;
      await call(c as never, 'contact_update', { id, patch: made.patch });
    } catch (e) {
      const r = refusalOf(e, locale);
      return again(c, id, r, { edit: { values, problem: r.message } });
    }
    return c.redirect(`/c/${id}`, 303);
  })
  .post('/c/:id/follow-ups/:fid', requireSession, async (c) => {
    const { id, fid } = c.req.param();
    if (!isUuid(id) || !isUuid(fid)) return notFoundPage(c);
    const { locale } = c.get('user');
    const form = await formOf(c);
    const now = (c.get('deps').clock ?? (() => new Date()))().getTime();
    let patch: object | undefined;
    if (form.action === 'done') patch = { status: 'done' };
    else if (form.action === 'snooze' && (form.days === '1' || form.days === '7')) {
      // as Slack's Snooze: from the later of now and when it was due
      const due = Date.parse(str(form.due));
      patch = { dueAt: new Date(Math.max(now, Number.isNaN(due) ? 0 : due) + Number(form.days) * DAY).toISOString() };
    }
    try {
      if (!patch)
        throw invalidRequest(
          { issues: [{ code: 'custom', path: ['action'], message: 'done, or snooze with days 1 or 7', input: undefined } as never] },
          'json',
        );
      await call(c as never, 'follow_up_update', { id: fid, patch });
    } catch (e) {
      return again(c, id, refusalOf(e, locale), { problem: refusalOf(e, locale).message });
    }
    return c.redirect(`/c/${id}#follow-ups`, 303);
  })
  .post('/c/:id/merge', requireSession, async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return notFoundPage(c);
    const { locale } = c.get('user');
    const from = str((await formOf(c)).from);
    try {
      if (!isUuid(from)) throw invalidRequest({ issues: [{ code: 'custom', path: ['from'], message: "a contact's id", input: undefined } as never] }, 'json');
      await call(c as never, 'contact_merge', { id, from: [from] });
    } catch (e) {
      const r = refusalOf(e, locale);
      // the contact named to merge is gone (merged already, another workspace's): say so here, not a 404 of this page
      return r.status === 404 && isUuid(from) ? contactPage(c, id, { problem: r.message, status: 404 }) : again(c, id, r, { problem: r.message });
    }
    return c.redirect(`/c/${id}`, 303);
  });
