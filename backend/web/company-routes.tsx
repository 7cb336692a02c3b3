/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AccountCard } from '../companies/schemas.js';
import type { TimelineEntry } from '../contacts/schemas.js';
import { isTimeCursor } from '../contacts/schemas.js';
import { call, encodeCursor } from '../http.js';
import { formatDate } from '../i18n/dates.js';
import { type MessageKey, t } from '../i18n/messages.js';
import { formatMoney } from '../i18n/money.js';
import { FollowUpList } from './contact-forms.js';
import { Deals } from './contact-view.js';
import { requireSession } from './guard.js';
import { csrfOf, page } from './layout.js';
import { cursorOf, isUuid, notFoundPage, query, refusalOf, refusalPage } from './page-kit.js';
import type { WebEnv, WebUser } from './session.js';
import { Timeline } from './timeline-view.js';
import { NameRuby } from './name-ruby.js';

/**
 * /companies/:id, an account: its card (domains, industry, size, owner, the
 * people most recently in touch, open deals with their totals, open
 * follow-ups, the last interaction) and the account's timeline across its
 * people, 50 entries a page. One call: api.web_company_page.
 */

const PAGE_SIZE = 50;

type CompanyPageData = AccountCard & { timeline: { items: TimelineEntry[]; nextCursor: { at: string; key: string } | null } };

function AccountDetails(props: { d: CompanyPageData; user: WebUser }) {
  const { d, user: u } = props;
  const tr = (key: MessageKey) => t(u.locale, key);
  const none = <span class="muted">{tr('web_none_yet')}</span>;
  const last = d.lastInteraction?.type === 'interaction' ? d.lastInteraction.interaction : null;
  return (
    <section class="card" aria-labelledby="details">
      <h2 id="details">{tr('web_contact_details')}</h2>
      <dl class="fields">
        <dt>{tr('web_company_domains')}</dt>
        <dd>
          {d.domains.length ? (
            <ul class="inline">
              {d.domains.map((x) => (
                <li>{x}</li>
              ))}
            </ul>
          ) : (
            none
          )}
        </dd>
        <dt>{tr('web_company_industry')}</dt>
        <dd>{d.industry ?? none}</dd>
        <dt>{tr('web_company_size')}</dt>
        <dd>{d.size ?? none}</dd>
        <dt>{tr('web_contact_owner')}</dt>
        <dd>{d.owner ? d.owner.name : <span class="muted">{tr('web_unassigned')}</span>}</dd>
        {d.tags.length ? (
          <>
            <dt>{tr('web_contact_tags')}</dt>
            <dd>
              <ul class="inline tags">
                {d.tags.map((tag) => (
                  <li>{tag}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>{tr('web_contact_last_interaction')}</dt>
        <dd>
          {last ? (
            <>
              <time datetime={last.occurredAt}>{formatDate(last.occurredAt, u.locale, u.timezone)}</time>
              {' · '}
              {t(u.locale, `kind_${last.kind}` as MessageKey)}
              {last.subject ? <> · {last.subject}</> : null}
            </>
          ) : (
            none
          )}
        </dd>
      </dl>
    </section>
  );
}

function People(props: { d: CompanyPageData; user: WebUser }) {
  const { d, user: u } = props;
  return (
    <section class="card" aria-labelledby="people">
      <h2 id="people">{t(u.locale, 'web_company_people', { count: d.peopleCount })}</h2>
      {d.people.length ? (
        <ul class="plain">
          {d.people.map((p) => (
            <li>
              <a href={`/c/${p.id}`}>{p.name}</a>
              {p.title ? <span class="muted"> · {p.title}</span> : null}
              <span class="muted"> · {t(u.locale, `stage_${p.stage}` as MessageKey)}</span>
              {p.lastInteractionAt ? (
                <span class="muted">
                  {' · '}
                  <time datetime={p.lastInteractionAt}>{formatDate(p.lastInteractionAt, u.locale, u.timezone)}</time>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t(u.locale, 'web_none_yet')}</p>
      )}
    </section>
  );
}

function CompanyPage(props: { d: CompanyPageData; user: WebUser; csrf: string | undefined; olderHref?: string | undefined; newestHref?: string | undefined }) {
  const { d, user: u } = props;
  const totals = d.openDealTotals.map((x) => t(u.locale, 'web_company_deal_total', { amount: formatMoney(x.amount, x.currency, u.locale), count: x.count }));
  return (
    <div class="record">
      <h1>
        <NameRuby name={d.name} reading={d.reading} />
      </h1>
      {d.domain ? <p class="muted subtitle">{d.domain}</p> : null}
      <div class="columns">
        <div>
          <AccountDetails d={d} user={u} />
          <People d={d} user={u} />
        </div>
        <div>
          <Deals deals={d.openDeals} user={u} heading={t(u.locale, 'web_company_deals', { count: d.openDealsCount })}>
            {totals.length ? <p class="totals">{totals.join(' · ')}</p> : null}
          </Deals>
          <FollowUpList items={d.openFollowUps} user={u} csrf={props.csrf} showContact />
        </div>
      </div>
      <section aria-labelledby="timeline">
        <h2 id="timeline">{t(u.locale, 'web_company_timeline')}</h2>
        <Timeline items={d.timeline.items} reader={u} olderHref={props.olderHref} newestHref={props.newestHref} showPeople />
      </section>
    </div>
  );
}

export const companyRoutes = new Hono<WebEnv>().get('/companies/:id', requireSession, async (c) => {
  const id = c.req.param('id');
  if (!isUuid(id)) return notFoundPage(c);
  const user = c.get('user');
  const rawCursor = c.req.query('cursor') || undefined;
  let d: CompanyPageData;
  try {
    const cursor = cursorOf(rawCursor, isTimeCursor);
    d = await call<CompanyPageData>(c as never, 'web_company_page', { id, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  } catch (e) {
    return refusalPage(c, refusalOf(e, user.locale));
  }
  // a merged company's link opens the company it was merged into
  if (d.id !== id.toLowerCase()) return c.redirect(`/companies/${d.id}`, 303);
  const next = encodeCursor(d.timeline.nextCursor);
  return page(c, {
    title: d.name,
    body: (
      <CompanyPage
        d={d}
        user={user}
        csrf={csrfOf(c)}
        olderHref={next ? `/companies/${d.id}${query({ cursor: next })}#timeline` : undefined}
        newestHref={rawCursor ? `/companies/${d.id}#timeline` : undefined}
      />
    ),
  });
});
