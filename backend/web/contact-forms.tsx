/** @jsxImportSource hono/jsx */
import type { FollowUp } from '../follow-ups/schemas.js';
import { formatDate } from '../i18n/dates.js';
import { type MessageKey, t } from '../i18n/messages.js';
import { STAGES } from '../i18n/vocabulary.js';
import type { ContactPageData } from './contact-view.js';
import { CsrfField } from './layout.js';
import type { WebUser } from './session.js';

/**
 * The contact page's forms: edit in place (the fields PATCH /api/contacts/:id
 * takes that a person edits here), Done and Snooze on each open follow-up,
 * and Merge on each suggested duplicate. Plain forms with the CSRF token;
 * each posts to /c/:id/... and comes back to the page (303).
 */

/** The edit form's fields as sent (or as the contact has them). */
export interface EditValues {
  name: string;
  stage: string;
  owner: string;
  company: string;
  companyWas: string;
  tags: string;
}

export function editValuesOf(d: ContactPageData): EditValues {
  const company = d.company?.name ?? '';
  return { name: d.name, stage: d.stage, owner: d.owner?.email ?? '', company, companyWas: company, tags: d.tags.join(', ') };
}

export function EditForm(props: {
  data: ContactPageData;
  user: WebUser;
  csrf: string | undefined;
  edit?: { values: EditValues; problem: string } | undefined;
}) {
  const { data: d, user: u } = props;
  const v = props.edit?.values ?? editValuesOf(d);
  const tr = (key: MessageKey) => t(u.locale, key);
  const owners = d.members.some((m) => m.email === v.owner) || !v.owner ? d.members : [...d.members, { id: '', name: v.owner, email: v.owner }];
  return (
    <section class="card" aria-labelledby="edit">
      <details open={!!props.edit}>
        <summary>
          <h2 id="edit">{tr('web_edit_contact')}</h2>
        </summary>
        <form method="post" action={`/c/${d.id}/edit`} class="stack">
          <CsrfField token={props.csrf} />
          {props.edit ? (
            <p class="problem" role="alert" id="edit-problem">
              {t(u.locale, 'web_not_saved', { reason: props.edit.problem })}
            </p>
          ) : null}
          <label for="edit-name">{tr('web_contact_name')}</label>
          <input id="edit-name" name="name" value={v.name} required maxlength={300} autocomplete="off" />
          <label for="edit-stage">{tr('web_contact_stage')}</label>
          <select id="edit-stage" name="stage">
            {STAGES.map((s) => (
              <option value={s} selected={v.stage === s}>
                {tr(`stage_${s}` as MessageKey)}
              </option>
            ))}
          </select>
          <label for="edit-owner">{tr('web_contact_owner')}</label>
          <select id="edit-owner" name="owner">
            <option value="">{tr('web_unassigned')}</option>
            {owners.map((m) => (
              <option value={m.email} selected={v.owner === m.email}>
                {m.name} ({m.email})
              </option>
            ))}
          </select>
          <label for="edit-company">{tr('web_contact_company')}</label>
          <input id="edit-company" name="company" value={v.company} maxlength={300} aria-describedby="edit-company-hint" autocomplete="off" />
          <p class="hint muted" id="edit-company-hint">
            {tr('web_company_hint')}
          </p>
          <input type="hidden" name="company_was" value={v.companyWas} />
          <label for="edit-tags">{tr('web_contact_tags')}</label>
          <input id="edit-tags" name="tags" value={v.tags} aria-describedby="edit-tags-hint" autocomplete="off" />
          <p class="hint muted" id="edit-tags-hint">
            {tr('web_tags_hint')}
          </p>
          <p>
            <button type="submit">{tr('web_save')}</button>
          </p>
        </form>
      </details>
    </section>
  );
}

/** Open follow-ups by due time; with the contact's id, each has Done and Snooze. */
export function FollowUpList(props: { contactId?: string; items: FollowUp[]; user: WebUser; csrf: string | undefined; showContact?: boolean }) {
  const { user: u } = props;
  const now = Date.now();
  return (
    <section class="card" aria-labelledby="follow-ups">
      <h2 id="follow-ups">{t(u.locale, 'web_follow_ups')}</h2>
      {props.items.length ? (
        <ul class="plain">
          {props.items.map((f) => {
            const overdue = Date.parse(f.dueAt) < now;
            return (
              <li class="follow-up">
                <p>
                  {overdue ? <strong class="overdue">{t(u.locale, 'web_follow_up_overdue')} · </strong> : null}
                  {t(u.locale, 'web_follow_up_due', { when: formatDate(f.dueAt, u.locale, u.timezone) })}
                  <span class="muted"> · {t(u.locale, 'web_follow_up_for', { name: f.owner.name })}</span>
                  {props.showContact ? (
                    <>
                      {' · '}
                      <a href={`/c/${f.contact.id}`}>{t(u.locale, 'web_follow_up_about', { name: f.contact.name })}</a>
                    </>
                  ) : null}
                </p>
                {f.note ? <p class="note">{f.note}</p> : null}
                {props.contactId ? <FollowUpActions contactId={props.contactId} f={f} user={u} csrf={props.csrf} /> : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p class="muted">{t(u.locale, 'web_none_yet')}</p>
      )}
    </section>
  );
}

function FollowUpActions(props: { contactId: string; f: FollowUp; user: WebUser; csrf: string | undefined }) {
  const { f, user: u } = props;
  const action = `/c/${props.contactId}/follow-ups/${f.id}`;
  const selectId = `snooze-${f.id}`;
  return (
    <div class="row actions">
      <form method="post" action={action}>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="action" value="done" />
        <button type="submit">{t(u.locale, 'web_follow_up_done')}</button>
      </form>
      <form method="post" action={action} class="row">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="action" value="snooze" />
        <input type="hidden" name="due" value={f.dueAt} />
        <label for={selectId} class="inline-label">
          {t(u.locale, 'web_follow_up_snooze_for')}
        </label>
        <select id={selectId} name="days">
          <option value="1">{t(u.locale, 'web_snooze_day')}</option>
          <option value="7">{t(u.locale, 'web_snooze_week')}</option>
        </select>
        <button type="submit" class="secondary">
          {t(u.locale, 'web_follow_up_snooze')}
        </button>
      </form>
    </div>
  );
}

/** The duplicates the API reports for this contact, each with a Merge form (asks first when the script runs). */
export function MergeSuggestions(props: { contactId: string; items: ContactPageData['duplicates']; user: WebUser; csrf: string | undefined }) {
  const { user: u } = props;
  if (!props.items.length) return null;
  return (
    <section class="card" aria-labelledby="duplicates">
      <h2 id="duplicates">{t(u.locale, 'web_duplicates')}</h2>
      <ul class="plain">
        {props.items.map((dup) => {
          const other = dup.contact;
          return (
            <li>
              <p>
                <a href={`/c/${other.id}`}>{other.name}</a>
                {other.company ? <span class="muted"> · {other.company.name}</span> : null}
                {other.emails[0] ? <span class="muted"> · {other.emails[0]}</span> : null}
              </p>
              <p class="muted">{t(u.locale, `web_duplicate_${dup.reason}`)}</p>
              <form method="post" action={`/c/${props.contactId}/merge`} data-confirm={t(u.locale, 'web_merge_confirm', { name: other.name })}>
                <CsrfField token={props.csrf} />
                <input type="hidden" name="from" value={other.id} />
                <button type="submit" class="secondary" aria-label={`${t(u.locale, 'web_merge_into_this')}: ${other.name}`}>
                  {t(u.locale, 'web_merge_into_this')}
                </button>
              </form>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
