/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { t } from '../../i18n/messages.js';
import { type Member, MemberDeactivate, type MemberDeactivated, MemberPatch } from '../../members/schemas.js';
import { Id } from '../../schemas.js';
import { requireSession } from '../guard.js';
import { CsrfField, csrfOf, page } from '../layout.js';
import { formOf, type WebEnv, type WebUser } from '../session.js';
import { type AdminContext, AdminNav, adminCall, adminPage, checked, field, Notice, Refusal, refusalOf, sentence } from './common.js';
import { MEMBER_LABELS, MemberFields, memberBody, type TeamData } from './member-form.js';

/**
 * /admin/members/:id: one member's details, deactivating them with the
 * member who takes over their work (POST /api/members/{id}/deactivate's
 * member_deactivate), and reactivating them. Another workspace's member, or
 * no id at all, is the not-found page.
 */
export const memberRoutes = new Hono<WebEnv>()
  .get(
    '/admin/members/:id',
    requireSession,
    adminPage(async (c, user) => {
      const { data, member } = await load(c);
      const q = (k: string) => c.req.query(k);
      let ok: string | undefined;
      if (q('saved')) ok = t(user.locale, 'web_admin_saved');
      if (q('reactivated')) ok = t(user.locale, 'web_admin_reactivated', { name: member.name });
      const heir = data.members.find((m) => m.id === q('heir'));
      if (q('deactivated') && heir) {
        const n = (k: string) => Number.parseInt(q(k) ?? '0', 10) || 0;
        ok = t(user.locale, 'web_admin_deactivated', { name: member.name, contacts: n('contacts'), followUps: n('followUps'), heir: heir.name });
      }
      return memberPage(c, user, data, member, { ok });
    }),
  )
  .post(
    '/admin/members/:id',
    requireSession,
    adminPage(async (c, user) => {
      const id = memberId(c);
      const form = await formOf(c);
      try {
        const body = checked(MemberPatch, memberBody(form, 'edit'), user.locale, MEMBER_LABELS);
        await adminCall<Member>(c, 'member_update', { ...body, id });
        return c.redirect(`/admin/members/${id}?saved=1`, 303);
      } catch (e) {
        return again(c, user, refusalOf(e));
      }
    }),
  )
  .post(
    '/admin/members/:id/deactivate',
    requireSession,
    adminPage(async (c, user) => {
      const id = memberId(c);
      const form = await formOf(c);
      try {
        const body = checked(MemberDeactivate, { reassignTo: field(form, 'reassignTo') }, user.locale, MEMBER_LABELS);
        const out = await adminCall<MemberDeactivated>(c, 'member_deactivate', { ...body, id });
        const q = new URLSearchParams({ deactivated: '1', heir: out.reassignedTo.id, contacts: String(out.contacts), followUps: String(out.followUps) });
        return c.redirect(`/admin/members/${id}?${q}`, 303);
      } catch (e) {
        return again(c, user, refusalOf(e));
      }
    }),
  )
  .post(
    '/admin/members/:id/reactivate',
    requireSession,
    adminPage(async (c, user) => {
      const id = memberId(c);
      try {
        await adminCall<Member>(c, 'member_reactivate', { id });
        return c.redirect(`/admin/members/${id}?reactivated=1`, 303);
      } catch (e) {
        return again(c, user, refusalOf(e));
      }
    }),
  );

/** The id in the path, or the not-found page for anything that is not one. */
function memberId(c: AdminContext): string {
  const id = c.req.param('id') ?? '';
  if (!Id.safeParse(id).success) throw new Refusal(404, 'member_not_found', { id: id.slice(0, 40) });
  return id;
}

/** The team (one call) and the member of the path in it. */
async function load(c: AdminContext): Promise<{ data: TeamData; member: Member }> {
  const id = memberId(c);
  const data = await adminCall<TeamData>(c, 'web_admin_team', {});
  const member = data.members.find((m) => m.id === id);
  if (!member) throw new Refusal(404, 'member_not_found', { id });
  return { data, member };
}

/** The member's page again with why the form was refused; a missing member stays the not-found page. */
async function again(c: AdminContext, user: WebUser, r: Refusal) {
  if (r.status === 404) throw r;
  const { data, member } = await load(c);
  return memberPage(c, user, data, member, { error: sentence(user.locale, r), status: r.status === 413 ? 400 : r.status });
}

function memberPage(
  c: AdminContext,
  user: WebUser,
  data: TeamData,
  member: Member,
  o: { ok?: string | undefined; error?: string; status?: 200 | 400 | 403 | 404 | 409 | 422 },
) {
  const { locale } = user;
  const tr = (k: Parameters<typeof t>[1]) => t(locale, k);
  const csrf = csrfOf(c);
  const heirs = data.members.filter((m) => m.active && m.id !== member.id);
  const base = `/admin/members/${member.id}`;
  return page(c, {
    title: `${member.name} · ${tr('web_admin_title')}`,
    status: o.status ?? 200,
    body: (
      <>
        <AdminNav locale={locale} current="team" />
        <p>
          <a href="/admin">{tr('web_admin_back_team')}</a>
        </p>
        <h1>{member.name}</h1>
        <p class="muted">
          {member.email} · {t(locale, `role_${member.role}`)} · {member.active ? tr('web_admin_active') : tr('web_admin_inactive')}
        </p>
        <Notice ok={o.ok} error={o.error} />
        <h2>{tr('web_admin_member_details')}</h2>
        <form method="post" action={base} class="card">
          <CsrfField token={csrf} />
          <MemberFields locale={locale} prefix="edit" members={data.members} member={member} />
          <p>
            <button type="submit">{tr('web_admin_save')}</button>
          </p>
        </form>
        {member.active ? (
          <>
            <h2>{tr('web_admin_deactivate_title')}</h2>
            <form method="post" action={`${base}/deactivate`} class="card" data-confirm={t(locale, 'web_admin_deactivate_confirm', { name: member.name })}>
              <CsrfField token={csrf} />
              <p>{tr('web_admin_deactivate_intro')}</p>
              <label for="reassign">{tr('web_admin_reassign_label')}</label>
              <select id="reassign" name="reassignTo" required>
                <option value="">—</option>
                {heirs.map((m) => (
                  <option value={m.id} selected={m.id === member.managerId}>
                    {m.name} ({t(locale, `role_${m.role}`)})
                  </option>
                ))}
              </select>
              <p>
                <button type="submit" class="danger">
                  {t(locale, 'web_admin_deactivate_submit', { name: member.name })}
                </button>
              </p>
            </form>
          </>
        ) : (
          <form method="post" action={`${base}/reactivate`} class="card">
            <CsrfField token={csrf} />
            <p>{t(locale, 'web_admin_inactive_note', { name: member.name })}</p>
            <button type="submit">{t(locale, 'web_admin_reactivate_submit', { name: member.name })}</button>
          </form>
        )}
      </>
    ),
  });
}
