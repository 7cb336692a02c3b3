/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { ContactDetail } from '../contacts/schemas.js';
import type { AccountDeal } from '../companies/schemas.js';
import type { ContactSummary } from '../duplicates/schemas.js';
import type { MemberBrief } from '../schemas.js';
import { formatDate } from '../i18n/dates.js';
import { type MessageKey, t } from '../i18n/messages.js';
import { formatMoney } from '../i18n/money.js';
import { KINDS } from '../i18n/vocabulary.js';
import type * as z from 'zod';
import { EditForm, type EditValues, FollowUpList, MergeSuggestions } from './contact-forms.js';
import { Problem } from './page-kit.js';
import type { WebUser } from './session.js';
import { type ShownEntry, Timeline } from './timeline-view.js';
import { NameRuby } from './name-ruby.js';

/** What api.web_contact_page answers: the card (no timeline), a page of the timeline (without who took part), open deals, duplicates, members. */
export type ContactPageData = Omit<ContactDetail, 'timeline'> & {
  timeline: { items: ShownEntry[]; nextCursor: { at: string; key: string } | null };
  openDeals: z.infer<typeof AccountDeal>[];
  duplicates: { contact: z.infer<typeof ContactSummary>; reason: 'email' | 'phone' | 'name'; score: number }[];
  members: MemberBrief[];
};

export interface ContactPageProps {
  data: ContactPageData;
  user: WebUser;
  csrf: string | undefined;
  kind: string | undefined;
  olderHref: string | undefined;
  newestHref: string | undefined;
  /** the edit form as sent, shown again with what was wrong */
  edit?: { values: EditValues; problem: string } | undefined;
  /** a refused Done, Snooze or Merge */
  problem?: string | undefined;
}

function Field(props: { label: string; children?: Child }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

function Details(props: { data: ContactPageData; user: WebUser }) {
  const { data: d, user: u } = props;
  const tr = (key: MessageKey) => t(u.locale, key);
  const none = <span class="muted">{tr('web_none_yet')}</span>;
  const custom = Object.entries(d.custom ?? {});
  return (
    <section class="card" aria-labelledby="details">
      <h2 id="details">{tr('web_contact_details')}</h2>
      <dl class="fields">
        <Field label={tr('web_contact_emails')}>
          {d.emails.length ? (
            <ul class="inline">
              {d.emails.map((e) => (
                <li>{e}</li>
              ))}
            </ul>
          ) : (
            none
          )}
        </Field>
        {d.phone ? <Field label={tr('web_contact_phone')}>{d.phone}</Field> : null}
        <Field label={tr('web_contact_company')}>{d.company ? <a href={`/companies/${d.company.id}`}>{d.company.name}</a> : none}</Field>
        <Field label={tr('web_contact_stage')}>{tr(`stage_${d.stage}` as MessageKey)}</Field>
        <Field label={tr('web_contact_owner')}>{d.owner ? d.owner.name : <span class="muted">{tr('web_unassigned')}</span>}</Field>
        <Field label={tr('web_contact_tags')}>
          {d.tags.length ? (
            <ul class="inline tags">
              {d.tags.map((tag) => (
                <li>{tag}</li>
              ))}
            </ul>
          ) : (
            none
          )}
        </Field>
        {custom.map(([k, v]) => (
          <Field label={k}>{v === null ? '' : String(v)}</Field>
        ))}
        <Field label={tr('web_contact_last_interaction')}>{d.lastInteractionAt ? formatDate(d.lastInteractionAt, u.locale, u.timezone) : none}</Field>
      </dl>
    </section>
  );
}

function Meetings(props: { data: ContactPageData; user: WebUser }) {
  const { data: d, user: u } = props;
  if (!d.upcomingMeetings.length) return null;
  return (
    <section class="card" aria-labelledby="meetings">
      <h2 id="meetings">{t(u.locale, 'web_meetings')}</h2>
      <ul class="plain">
        {d.upcomingMeetings.map((m) => (
          <li>
            <strong>{m.title ?? t(u.locale, 'web_meeting_untitled')}</strong> <time datetime={m.start}>{formatDate(m.start, u.locale, u.timezone)}</time>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Open deals, as the contact's and the account's page list them. */
export function Deals(props: { deals: ContactPageData['openDeals']; user: WebUser; heading: string; children?: Child }) {
  const { deals, user: u } = props;
  return (
    <section class="card" aria-labelledby="deals">
      <h2 id="deals">{props.heading}</h2>
      {props.children}
      {deals.length ? (
        <ul class="plain">
          {deals.map((deal) => (
            <li>
              <strong>{deal.name}</strong> · {deal.stageName ?? deal.stage}
              {deal.amount !== null && deal.currency ? ` · ${formatMoney(deal.amount, deal.currency, u.locale)}` : null}
              {deal.closeDate ? <span class="muted"> · {t(u.locale, 'web_deal_closes', { date: deal.closeDate })}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t(u.locale, 'web_none_yet')}</p>
      )}
    </section>
  );
}

function KindFilter(props: { id: string; kind: string | undefined; user: WebUser }) {
  const { locale } = props.user;
  return (
    <form method="get" action={`/c/${props.id}`} class="row filter">
      <label for="kind">{t(locale, 'web_timeline_show')}</label>
      <select id="kind" name="kind">
        <option value="">{t(locale, 'web_timeline_everything')}</option>
        {KINDS.map((k) => (
          <option value={k} selected={props.kind === k}>
            {t(locale, `kind_${k}` as MessageKey)}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        {t(locale, 'web_timeline_filter')}
      </button>
    </form>
  );
}

/** The contact page's body: the card's sections beside each other on a wide screen, the timeline below. */
export function ContactPage(props: ContactPageProps) {
  const { data: d, user: u } = props;
  const sub = [d.title, d.company?.name].filter(Boolean).join(' · ');
  return (
    <div class="record">
      <h1>
        <NameRuby name={d.name} reading={d.reading} />
      </h1>
      {sub ? <p class="muted subtitle">{sub}</p> : null}
      <Problem message={props.problem} />
      <div class="columns">
        <div>
          <Details data={d} user={u} />
          <EditForm data={d} user={u} csrf={props.csrf} edit={props.edit} />
        </div>
        <div>
          <FollowUpList contactId={d.id} items={d.openFollowUps} user={u} csrf={props.csrf} />
          <Meetings data={d} user={u} />
          <Deals deals={d.openDeals} user={u} heading={t(u.locale, 'web_deals')} />
          <MergeSuggestions contactId={d.id} items={d.duplicates} user={u} csrf={props.csrf} />
        </div>
      </div>
      <section aria-labelledby="timeline">
        <h2 id="timeline">{t(u.locale, 'web_timeline')}</h2>
        <KindFilter id={d.id} kind={props.kind} user={u} />
        <Timeline items={d.timeline.items} reader={u} olderHref={props.olderHref} newestHref={props.newestHref} />
      </section>
    </div>
  );
}
