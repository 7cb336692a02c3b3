/** @jsxImportSource hono/jsx */
import { t } from '../i18n/messages.js';
import { formatMoney } from '../i18n/money.js';
import { INTL_LOCALE, type Locale } from '../i18n/vocabulary.js';
import { CsrfField } from './layout.js';

export type Scope = 'mine' | 'team' | 'all';
type Money = { currency: string; amount: number };
export type PipelineDeal = {
  id: string;
  name: string;
  company: { id: string; name: string } | null;
  owner: { id: string; name: string } | null;
  amount: number | null;
  currency: string | null;
  stage: string;
  closeDate: string | null;
};
export type PipelineStageColumn = { key: string; name: string; probability: number; count: number; totals: Money[]; deals: PipelineDeal[] };

/** What api.web_deals answers. */
export type PipelineData = {
  scope: Scope | 'owner';
  owner: string | null;
  /** deals won and lost in the scope since the first of the member's month */
  period: { since: string; won: number; lost: number };
  members: { id: string; name: string }[];
  stages: PipelineStageColumn[];
};

/** A day ('2026-12-31') as the reader writes it: Dec 31, 2026 / 2026年12月31日. */
export function formatDay(day: string, locale: Locale): string {
  const at = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(at)) return day;
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(at);
}

const SCOPES = [
  ['mine', 'web_deals_scope_mine'],
  ['team', 'web_deals_scope_team'],
  ['all', 'web_deals_scope_all'],
] as const;

/** Whose deals: mine, my team's, everyone's, or one owner's (a plain GET form). */
export function PipelineFilters(props: { locale: Locale; scope: Scope; owner: string | null; members: PipelineData['members'] }) {
  const { locale, scope, owner, members } = props;
  return (
    <form method="get" action="/deals" class="filters">
      <fieldset>
        <legend>{t(locale, 'web_deals_scope_label')}</legend>
        {SCOPES.map(([value, label]) => (
          <label>
            <input type="radio" name="scope" value={value} checked={value === scope} />
            {t(locale, label)}
          </label>
        ))}
      </fieldset>
      <div>
        <label for="owner">{t(locale, 'web_deals_owner_label')}</label>
        <select id="owner" name="owner">
          <option value="">{t(locale, 'web_deals_owner_any')}</option>
          {members.map((m) => (
            <option value={m.id} selected={m.id === owner}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t(locale, 'web_deals_apply')}</button>
    </form>
  );
}

/** How the month went in the scope shown: won and lost since its first day. */
export function PeriodLine(props: { locale: Locale; period: PipelineData['period'] }) {
  const { locale, period } = props;
  return <p class="period muted">{t(locale, 'web_deals_period', { since: formatDay(period.since, locale), won: period.won, lost: period.lost })}</p>;
}

/** The pipeline: a column a stage, in the workspace's order (stacked on a phone). */
export function PipelineColumns(props: { locale: Locale; csrf: string | undefined; back: string; stages: PipelineStageColumn[] }) {
  const { locale, stages } = props;
  return (
    <div class="pipeline">
      {stages.map((s) => (
        <section class="stage" aria-labelledby={`stage-${s.key}`}>
          <h2 id={`stage-${s.key}`}>
            {s.name} <span class="count">{t(locale, 'web_deals_count', { count: s.count })}</span>
          </h2>
          {s.totals.length ? (
            <p class="totals">
              <span class="visually-hidden">{t(locale, 'web_deals_totals')}: </span>
              {s.totals.map((m) => formatMoney(m.amount, m.currency, locale)).join(' · ')}
            </p>
          ) : null}
          {s.deals.length ? (
            <ul class="plain">
              {s.deals.map((d) => (
                <DealCard {...props} deal={d} />
              ))}
            </ul>
          ) : (
            <p class="muted">{t(locale, 'web_deals_none')}</p>
          )}
          {s.count > s.deals.length ? <p class="muted">{t(locale, 'web_more_not_shown', { more: s.count - s.deals.length })}</p> : null}
        </section>
      ))}
    </div>
  );
}

function DealCard(props: { locale: Locale; csrf: string | undefined; back: string; stages: PipelineStageColumn[]; deal: PipelineDeal }) {
  const { locale, csrf, back, stages, deal: d } = props;
  const selectId = `move-${d.id}`;
  return (
    <li class="deal">
      <h3>{d.name}</h3>
      {d.company ? (
        <p>
          <a href={`/companies/${d.company.id}`}>{d.company.name}</a>
        </p>
      ) : null}
      <p class="amount">
        {d.amount !== null && d.currency ? formatMoney(d.amount, d.currency, locale) : <span class="muted">{t(locale, 'web_deals_no_amount')}</span>}
      </p>
      <p class="muted">{d.owner ? t(locale, 'web_deals_owner', { name: d.owner.name }) : t(locale, 'web_deals_unowned')}</p>
      {d.closeDate ? <p class="muted">{t(locale, 'web_deals_close', { day: formatDay(d.closeDate, locale) })}</p> : null}
      <form method="post" action={`/deals/${d.id}/stage`}>
        <CsrfField token={csrf} />
        <input type="hidden" name="back" value={back} />
        <label for={selectId} class="visually-hidden">
          {t(locale, 'web_deals_move_label', { name: d.name })}
        </label>
        <select id={selectId} name="stage">
          {stages.map((s) => (
            <option value={s.key} selected={s.key === d.stage}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="submit" class="secondary">
          {t(locale, 'web_deals_move')}
        </button>
      </form>
    </li>
  );
}
