/** @jsxImportSource hono/jsx */
import type { TimelineEntry } from '../contacts/schemas.js';
import { formatDate } from '../i18n/dates.js';
import { type MessageKey, t } from '../i18n/messages.js';
import type { WebUser } from './session.js';

/**
 * A timeline as the contact and account pages show it: interactions (a
 * 'subject' one from someone outside the reader's team shows who, when and
 * the subject, as the SQL gave it), follow-ups and changes, newest first,
 * with an "Older" link to the next page. Every stored string goes through
 * JSX, so it is text, never markup.
 */

type Reader = Pick<WebUser, 'locale' | 'timezone'>;

type Interaction = Extract<TimelineEntry, { type: 'interaction' }>['interaction'];
/**
 * An entry as a page has it: the contact page reads its timeline without who
 * took part (crm.timeline's `people` false leaves out `participants` and
 * `capturedBy`, which it does not show); the account page reads both.
 */
export type ShownEntry =
  | Exclude<TimelineEntry, { type: 'interaction' }>
  | { type: 'interaction'; at: string; interaction: Omit<Interaction, 'participants' | 'capturedBy'> & Partial<Pick<Interaction, 'participants'>> };

/** The name of a change's field, where the page has one; else the API's name of it. */
const FIELD_LABELS: Record<string, MessageKey> = {
  name: 'web_contact_name',
  emails: 'web_contact_emails',
  phone: 'web_contact_phone',
  title: 'web_contact_job_title',
  company: 'web_contact_company',
  stage: 'web_contact_stage',
  owner: 'web_contact_owner',
  tags: 'web_contact_tags',
  custom: 'web_contact_custom',
  timezone: 'web_contact_timezone',
};

function changeText(change: Extract<TimelineEntry, { type: 'change' }>['change'], r: Reader): string {
  const actor = change.actor?.name ?? t(r.locale, 'web_tl_someone');
  if (change.action === 'create') return t(r.locale, 'web_tl_created', { actor });
  if (change.action === 'merge') return t(r.locale, 'web_tl_merged', { actor });
  if (change.action === 'update') {
    const keys = Object.keys(change.after ?? change.before ?? {});
    const sep = r.locale === 'en' ? ', ' : '、';
    const fields = keys.map((k) => (FIELD_LABELS[k] ? t(r.locale, FIELD_LABELS[k]) : k)).join(sep);
    return t(r.locale, 'web_tl_changed', { actor, fields });
  }
  return t(r.locale, 'web_tl_other', { actor, action: change.action });
}

function Entry(props: { entry: ShownEntry; reader: Reader; showPeople: boolean }) {
  const { entry, reader: r } = props;
  const when = formatDate(entry.at, r.locale, r.timezone);
  if (entry.type === 'interaction') {
    const i = entry.interaction;
    const people = props.showPeople ? (i.participants ?? []).filter((p) => p.contactId) : [];
    const seen = new Set<string>();
    const unique = people.filter((p) => !seen.has(p.contactId!) && seen.add(p.contactId!));
    return (
      <li class={`entry kind-${i.kind}`}>
        <p class="meta">
          <span class="kind">{t(r.locale, `kind_${i.kind}` as MessageKey)}</span> <time datetime={i.occurredAt}>{when}</time>
          {' · '}
          {t(r.locale, `direction_${i.direction}` as MessageKey)}
          {i.author ? ` · ${t(r.locale, 'web_tl_by', { name: i.author.name })}` : null}
          {i.visibility === 'private' ? <span class="badge">{t(r.locale, 'web_tl_private')}</span> : null}
        </p>
        {i.subject ? <p class="subject">{i.subject}</p> : null}
        {i.snippet ? <p class="snippet">{i.snippet}</p> : i.visibility === 'subject' ? <p class="muted">{t(r.locale, 'web_tl_subject_only')}</p> : null}
        {unique.length ? (
          <p class="with">
            {t(r.locale, 'web_tl_with', { names: '' })}
            {unique.map((p, n) => (
              <>
                {n ? ', ' : ''}
                <a href={`/c/${p.contactId}`}>{p.name ?? p.email ?? p.contactId}</a>
              </>
            ))}
          </p>
        ) : null}
      </li>
    );
  }
  if (entry.type === 'follow_up') {
    const f = entry.followUp;
    return (
      <li class="entry kind-follow-up">
        <p class="meta">
          <span class="kind">{t(r.locale, 'web_tl_follow_up', { when: formatDate(f.dueAt, r.locale, r.timezone) })}</span>{' '}
          <time datetime={entry.at}>{when}</time> · {t(r.locale, `web_tl_status_${f.status}`)} · {t(r.locale, 'web_follow_up_for', { name: f.owner.name })}
        </p>
        {f.note ? <p class="snippet">{f.note}</p> : null}
      </li>
    );
  }
  return (
    <li class="entry kind-change">
      <p class="meta">
        <span>{changeText(entry.change, r)}</span> <time datetime={entry.at}>{when}</time>
      </p>
    </li>
  );
}

/** The entries of one page, and the links to the next page and back to the newest. */
export function Timeline(props: {
  items: ShownEntry[];
  reader: Reader;
  olderHref?: string | undefined;
  newestHref?: string | undefined;
  showPeople?: boolean;
}) {
  const { reader: r } = props;
  return (
    <>
      {props.items.length ? (
        <ol class="timeline">
          {props.items.map((entry) => (
            <Entry entry={entry} reader={r} showPeople={props.showPeople ?? false} />
          ))}
        </ol>
      ) : (
        <p class="muted">{t(r.locale, 'web_timeline_empty')}</p>
      )}
      <p class="row pager">
        {props.newestHref ? <a href={props.newestHref}>{t(r.locale, 'web_timeline_newest')}</a> : null}
        {props.olderHref ? (
          <a class="button secondary" href={props.olderHref} rel="next">
            {t(r.locale, 'web_timeline_older')}
          </a>
        ) : null}
      </p>
    </>
  );
}
