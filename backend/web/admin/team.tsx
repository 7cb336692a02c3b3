/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { formatDate } from '../../i18n/dates.js';
import { t } from '../../i18n/messages.js';
import type { Member } from '../../members/schemas.js';
import { MemberCreate } from '../../members/schemas.js';
import { WorkspacePatch } from '../../workspace/schemas.js';
import { requireSession } from '../guard.js';
import { CsrfField, csrfOf, page } from '../layout.js';
import { formOf, type WebEnv, type WebUser } from '../session.js';
import { type AdminContext, AdminNav, adminCall, adminPage, checked, field, languageName, Notice, type Refusal, refusalOf, sentence } from './common.js';
import { MEMBER_LABELS, MemberFields, memberBody, type TeamData } from './member-form.js';

/**
 * /admin: the team (every member, active or not), adding a member, and
 * who may join the workspace. The forms post to the API's own functions
 * (member_create, workspace_update) and come back here (303).
 */
export const teamRoutes = new Hono<WebEnv>()
  .get(
    '/admin',
    requireSession,
    adminPage(async (c, user) => {
      const data = await adminCall<TeamData>(c, 'web_admin_team', {});
      const added = data.members.find((m) => m.id === c.req.query('added'));
      const ok = added ? t(user.locale, 'web_admin_member_added', { name: added.name }) : c.req.query('saved') ? t(user.locale, 'web_admin_saved') : undefined;
      return teamPage(c, user, data, { ok });
    }),
  )
  .post(
    '/admin/members',
    requireSession,
    adminPage(async (c, user) => {
      const form = await formOf(c);
      try {
        const body = checked(MemberCreate, memberBody(form, 'add'), user.locale, MEMBER_LABELS);
        const made = await adminCall<Member>(c, 'member_create', body);
        return c.redirect(`/admin?added=${made.id}`, 303);
      } catch (e) {
        return again(c, user, refusalOf(e), form);
      }
    }),
  )
  .post(
    '/admin/join-policy',
    requireSession,
    adminPage(async (c, user) => {
      const form = await formOf(c);
      try {
        const domains = field(form, 'joinDomains')
          .split(/[\s,、，]+/)
          .map((d) => d.trim())
          .filter(Boolean);
        const body = checked(WorkspacePatch, { joinPolicy: field(form, 'joinPolicy') || undefined, joinDomains: domains }, user.locale, MEMBER_LABELS);
        await adminCall(c, 'workspace_update', body);
        return c.redirect('/admin?saved=join', 303);
      } catch (e) {
        return again(c, user, refusalOf(e), form);
      }
    }),
  );

/** The team page again with the refusal's sentence, at its status; nothing was written. */
async function again(c: AdminContext, user: WebUser, r: Refusal, form: Record<string, string | File>) {
  const data = await adminCall<TeamData>(c, 'web_admin_team', {});
  return teamPage(c, user, data, { error: sentence(user.locale, r), status: r.status === 413 ? 400 : r.status, form });
}

function teamPage(
  c: AdminContext,
  user: WebUser,
  data: TeamData,
  o: { ok?: string | undefined; error?: string; status?: 200 | 400 | 403 | 404 | 409 | 422; form?: Record<string, string | File> },
) {
  const { locale, timezone } = user;
  const tr = (k: Parameters<typeof t>[1]) => t(locale, k);
  const csrf = csrfOf(c);
  const byId = new Map(data.members.map((m) => [m.id, m]));
  const ws = data.workspace;
  return page(c, {
    title: `${tr('web_admin_nav_team')} · ${tr('web_admin_title')}`,
    status: o.status ?? 200,
    body: (
      <>
        <AdminNav locale={locale} current="team" />
        <h1>{tr('web_admin_nav_team')}</h1>
        <Notice ok={o.ok} error={o.error} />
        <h2>{tr('web_admin_members_title')}</h2>
        <table class="wide admin-table">
          <thead>
            <tr>
              <th scope="col">{tr('web_admin_col_name')}</th>
              <th scope="col">{tr('web_admin_col_role')}</th>
              <th scope="col">{tr('web_admin_col_manager')}</th>
              <th scope="col">{tr('web_admin_col_timezone')}</th>
              <th scope="col">{tr('web_admin_col_language')}</th>
              <th scope="col">{tr('web_admin_col_status')}</th>
              <th scope="col">{tr('web_admin_col_last_seen')}</th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <tr class={m.active ? undefined : 'inactive'}>
                <td>
                  <a href={`/admin/members/${m.id}`} aria-label={t(locale, 'web_admin_edit', { name: m.name })}>
                    {m.name}
                  </a>
                  <br />
                  <span class="muted">{m.email}</span>
                </td>
                <td data-label={tr('web_admin_col_role')}>{t(locale, `role_${m.role}`)}</td>
                <td data-label={tr('web_admin_col_manager')}>{m.managerId ? (byId.get(m.managerId)?.name ?? m.manager?.name) : tr('web_admin_none')}</td>
                <td data-label={tr('web_admin_col_timezone')}>{m.timezone}</td>
                <td data-label={tr('web_admin_col_language')}>{languageName(locale, m.locale)}</td>
                <td data-label={tr('web_admin_col_status')}>{m.active ? tr('web_admin_active') : <strong>{tr('web_admin_inactive')}</strong>}</td>
                <td data-label={tr('web_admin_col_last_seen')}>{m.lastSeenAt ? formatDate(m.lastSeenAt, locale, timezone) : tr('web_admin_never')}</td>
              </tr>
            ))}
          </tbody>
        </table>

        <h2 id="add">{tr('web_admin_add_title')}</h2>
        <form method="post" action="/admin/members" class="card">
          <CsrfField token={csrf} />
          <MemberFields locale={locale} prefix="add" members={data.members} />
          <p>
            <button type="submit">{tr('web_admin_add_submit')}</button>
          </p>
        </form>

        <h2 id="join">{tr('web_admin_join_title')}</h2>
        <form method="post" action="/admin/join-policy" class="card">
          <CsrfField token={csrf} />
          <fieldset>
            <legend class="visually-hidden">{tr('web_admin_join_title')}</legend>
            {(['invite', 'slack', 'domains'] as const).map((p) => (
              <div class="choice">
                <input type="radio" id={`join-${p}`} name="joinPolicy" value={p} checked={ws.joinPolicy === p} />
                <label for={`join-${p}`}>{t(locale, `web_admin_join_${p}`)}</label>
              </div>
            ))}
          </fieldset>
          <label for="join-domains">{tr('web_admin_join_domains_label')}</label>
          <textarea id="join-domains" name="joinDomains" rows={2}>
            {o.form ? field(o.form, 'joinDomains') : ws.joinDomains.join(', ')}
          </textarea>
          <p>
            <button type="submit">{tr('web_admin_save')}</button>
          </p>
        </form>
      </>
    ),
  });
}
