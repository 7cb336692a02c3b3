/** @jsxImportSource hono/jsx */
import { formatDate } from '../i18n/dates.js';
import { type MessageKey, t } from '../i18n/messages.js';
import type { Locale } from '../i18n/vocabulary.js';
import { CsrfField } from './layout.js';
import { NameRuby } from './name-ruby.js';

/** What api.web_search answers: a result line's worth of each contact and company found. */
export type SearchResult = {
  q: string;
  contacts: { id: string; name: string; reading: string | null; title: string | null; email: string | null; company: string | null }[];
  companies: { id: string; name: string; reading: string | null; domain: string | null }[];
};

export type HomeFollowUp = {
  id: string;
  contact: { id: string; name: string; company: string | null };
  dueAt: string;
  note: string | null;
};

/** What api.web_home answers. */
export type HomeData = {
  search: SearchResult | null;
  followUps: {
    overdue: HomeFollowUp[];
    today: HomeFollowUp[];
    upcoming: HomeFollowUp[];
    /** how many each group has (a page shows the first 25) */
    counts: { overdue: number; today: number; upcoming: number };
  };
};

/** The search results: contacts linking to /c/:id, companies to /companies/:id. Also the /search fragment. */
export function SearchResults(props: { locale: Locale; result: SearchResult }) {
  const { locale, result } = props;
  return (
    <section class="search-results" aria-labelledby="search-results-title">
      <h2 id="search-results-title">{t(locale, 'web_search_results', { q: result.q })}</h2>
      <div class="results">
        <div>
          <h3>{t(locale, 'web_search_contacts')}</h3>
          {result.contacts.length ? (
            <ul class="plain">
              {result.contacts.map((c) => (
                <li>
                  <a href={`/c/${c.id}`}>
                    <NameRuby name={c.name} reading={c.reading} />
                  </a>
                  <span class="muted">{[c.title, c.company, c.email].filter(Boolean).map((x) => ` · ${x}`)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t(locale, 'web_search_no_contacts')}</p>
          )}
        </div>
        <div>
          <h3>{t(locale, 'web_search_companies')}</h3>
          {result.companies.length ? (
            <ul class="plain">
              {result.companies.map((co) => (
                <li>
                  <a href={`/companies/${co.id}`}>
                    <NameRuby name={co.name} reading={co.reading} />
                  </a>
                  {co.domain ? <span class="muted"> · {co.domain}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t(locale, 'web_search_no_companies')}</p>
          )}
        </div>
      </div>
    </section>
  );
}

/** The search box: a plain GET form; the script (css/home.ts) fetches /search as you type. */
export function SearchForm(props: { locale: Locale; q: string; error?: string | undefined }) {
  const { locale, q, error } = props;
  return (
    <search>
      <form method="get" action="/" class="search">
        <label for="q">{t(locale, 'web_search_label')}</label>
        <div class="row">
          <input
            id="q"
            name="q"
            type="search"
            value={q}
            maxlength={200}
            autocomplete="off"
            spellcheck={false}
            data-live-search="/search"
            aria-controls="search-live"
            aria-describedby={error ? 'q-error' : undefined}
            aria-invalid={error ? 'true' : undefined}
          />
          <button type="submit">{t(locale, 'web_search_button')}</button>
        </div>
        {error ? (
          <p id="q-error" class="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </search>
  );
}

const GROUPS = [
  ['overdue', 'web_followups_overdue'],
  ['today', 'web_followups_today'],
  ['upcoming', 'web_followups_upcoming'],
] as const satisfies readonly (readonly [keyof HomeData['followUps']['counts'], MessageKey])[];

/** My follow-ups: overdue, today, upcoming; each with Done and Snooze (forms, PRG back to /). */
export function MyFollowUps(props: { locale: Locale; timezone: string; csrf: string | undefined; followUps: HomeData['followUps'] }) {
  const { locale, followUps } = props;
  const none = GROUPS.every(([g]) => followUps[g].length === 0);
  return (
    <section aria-labelledby="followups-title">
      <h2 id="followups-title">{t(locale, 'web_followups_title')}</h2>
      {none ? (
        <p class="muted">{t(locale, 'web_followups_none')}</p>
      ) : (
        GROUPS.map(([group, label]) => (
          <section class={`followups ${group}`} aria-labelledby={`followups-${group}`}>
            <h3 id={`followups-${group}`}>
              {t(locale, label)} <span class="count">({followUps.counts[group]})</span>
            </h3>
            {followUps[group].length ? (
              <ul class="plain">
                {followUps[group].map((f) => (
                  <FollowUpItem {...props} f={f} />
                ))}
              </ul>
            ) : (
              <p class="muted">{t(locale, 'web_followups_group_none')}</p>
            )}
            {followUps.counts[group] > followUps[group].length ? (
              <p class="muted">{t(locale, 'web_more_not_shown', { more: followUps.counts[group] - followUps[group].length })}</p>
            ) : null}
          </section>
        ))
      )}
    </section>
  );
}

function FollowUpItem(props: { locale: Locale; timezone: string; csrf: string | undefined; f: HomeFollowUp }) {
  const { locale, timezone, csrf, f } = props;
  return (
    <li class="followup">
      <div>
        <a href={`/c/${f.contact.id}`}>{f.contact.name}</a>
        {f.contact.company ? <span class="muted"> · {f.contact.company}</span> : null}
      </div>
      {f.note ? <p class="note">{f.note}</p> : null}
      <p class="muted due">{t(locale, 'web_followup_due', { when: formatDate(f.dueAt, locale, timezone) })}</p>
      <div class="row">
        <form method="post" action={`/my/follow-ups/${f.id}/done`}>
          <CsrfField token={csrf} />
          <button type="submit">{t(locale, 'web_followup_done')}</button>
        </form>
        <form method="post" action={`/my/follow-ups/${f.id}/snooze`} class="row">
          <CsrfField token={csrf} />
          <input type="hidden" name="due" value={f.dueAt} />
          <button type="submit" name="days" value="1" class="secondary">
            {t(locale, 'web_followup_snooze_day')}
          </button>
          <button type="submit" name="days" value="7" class="secondary">
            {t(locale, 'web_followup_snooze_week')}
          </button>
        </form>
      </div>
    </li>
  );
}
