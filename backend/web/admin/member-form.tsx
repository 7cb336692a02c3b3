/** @jsxImportSource hono/jsx */
import type { Member } from '../../members/schemas.js';
import { type MessageKey, t } from '../../i18n/messages.js';
import type { Locale } from '../../i18n/vocabulary.js';
import { field, languageName } from './common.js';

/** What the team pages read: the workspace and every member (api.web_admin_team). */
export interface TeamData {
  workspace: {
    id: string;
    name: string;
    defaultTimezone: string;
    defaultLocale: string;
    joinPolicy: 'invite' | 'slack' | 'domains';
    joinDomains: string[];
  };
  members: Member[];
}

/** The form fields' names and the labels that name them in a refusal. */
export const MEMBER_LABELS: Record<string, MessageKey> = {
  email: 'web_admin_col_email',
  name: 'web_admin_col_name',
  role: 'web_admin_col_role',
  managerId: 'web_admin_col_manager',
  timezone: 'web_admin_col_timezone',
  locale: 'web_admin_col_language',
  reassignTo: 'web_admin_reassign_label',
  joinPolicy: 'web_admin_join_title',
  joinDomains: 'web_admin_join_domains_label',
};

const ROLES = ['rep', 'manager', 'admin'] as const;
const LANGS = ['en', 'ja', 'zh'] as const;

/**
 * A member form's fields as the API's body: an empty choice is left out
 * (the workspace's default), "no manager" is null.
 *   memberBody({ name: 'Jo', managerId: '', timezone: '' }, 'edit') = { name: 'Jo', managerId: null }
 */
export function memberBody(form: Record<string, string | File>, mode: 'add' | 'edit'): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const keep = (name: string) => {
    const v = field(form, name).trim();
    if (v) body[name] = v;
  };
  if (mode === 'add') keep('email');
  for (const f of ['name', 'role', 'timezone', 'locale']) keep(f);
  const manager = field(form, 'managerId').trim();
  if (manager) body.managerId = manager;
  else if (mode === 'edit') body.managerId = null;
  return body;
}

/** Name, role, manager, time zone and language; with email when adding. Ids are prefixed so two forms on one page never share one. */
export function MemberFields(props: { locale: Locale; prefix: string; members: Member[]; member?: Member | undefined }) {
  const { locale, prefix, member } = props;
  const tr = (k: MessageKey) => t(locale, k);
  const id = (f: string) => `${prefix}-${f}`;
  // managers and admins; and whoever manages them now, so that saving never drops a manager unseen
  const managers = props.members.filter((m) => m.active && m.id !== member?.id && (m.role !== 'rep' || m.id === member?.managerId));
  return (
    <div class="fields">
      {member ? null : (
        <div>
          <label for={id('email')}>{tr('web_admin_col_email')}</label>
          <input id={id('email')} name="email" type="email" required autocomplete="off" />
        </div>
      )}
      <div>
        <label for={id('name')}>{tr('web_admin_col_name')}</label>
        <input id={id('name')} name="name" required maxlength={200} value={member?.name ?? ''} />
      </div>
      <div>
        <label for={id('role')}>{tr('web_admin_col_role')}</label>
        <select id={id('role')} name="role">
          {ROLES.map((r) => (
            <option value={r} selected={(member?.role ?? 'rep') === r}>
              {t(locale, `role_${r}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={id('managerId')}>{tr('web_admin_col_manager')}</label>
        <select id={id('managerId')} name="managerId">
          <option value="">{tr('web_admin_no_manager')}</option>
          {managers.map((m) => (
            <option value={m.id} selected={member?.managerId === m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={id('timezone')}>{tr('web_admin_col_timezone')}</label>
        <input id={id('timezone')} name="timezone" maxlength={64} value={member?.timezone ?? ''} placeholder={member ? undefined : tr('web_admin_default')} />
      </div>
      <div>
        <label for={id('locale')}>{tr('web_admin_col_language')}</label>
        <select id={id('locale')} name="locale">
          {member ? null : <option value="">{tr('web_admin_default')}</option>}
          {LANGS.map((l) => (
            <option value={l} selected={member?.locale === l}>
              {languageName(locale, l)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
