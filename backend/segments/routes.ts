import { localeOf } from '../errors.js';
import { call } from '../http.js';
import { t, type Locale, type MessageKey } from '../i18n/messages.js';
import { errors, jsonBody, memberRoute, ok, router } from '../openapi/route.js';
import {
  Segment,
  SegmentCreate,
  SegmentDeleted,
  SegmentIdParam,
  SegmentList,
  Stats,
  StatsQuery,
  Tidy,
  TidyFixBody,
  TidyFixResult,
  TidyQuery,
  type StatsRaw,
  type TidyRaw,
} from './schemas.js';

const tags: ['segments'] = ['segments'];

/** /api/segments: saved filters shared by the workspace; ?segment= on GET /api/contacts applies one. */
export const segmentRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'listSegments',
      tags,
      summary: "The workspace's saved segments, by name (GET /api/contacts?segment=<name or id> lists one's contacts)",
      responses: { 200: ok(SegmentList, 'Every segment, with whether the caller may delete it') },
    }),
    async (c) => c.json(await call<SegmentList>(c, 'segments_list', {}), 200),
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/',
      operationId: 'createSegment',
      tags,
      summary: 'Save a segment: a name (unique in the workspace, ignoring case) and a filter',
      description: 'The filter: stage, owner, tag, company, last interaction before/after, open follow-up, custom fields; all must hold.',
      request: { body: jsonBody(SegmentCreate) },
      responses: { 201: ok(Segment, 'The segment'), ...errors(409) },
    }),
    async (c) => c.json(await call<Segment>(c, 'segment_create', c.req.valid('json')), 201),
  )
  .openapi(
    memberRoute({
      method: 'delete',
      path: '/{id}',
      operationId: 'deleteSegment',
      tags,
      summary: 'Delete a segment (its creator or an admin)',
      request: { params: SegmentIdParam },
      responses: { 200: ok(SegmentDeleted, 'Deleted'), ...errors(404) },
    }),
    async (c) => c.json(await call<SegmentDeleted>(c, 'segment_delete', c.req.valid('param')), 200),
  );

/** GET /api/stats: the caller's numbers (own, team or workspace), labelled in their language. */
export const statsRoutes = router().openapi(
  memberRoute({
    method: 'get',
    path: '/',
    operationId: 'getStats',
    tags,
    summary: "The caller's numbers for the last 7 days or month (a rep's own, a manager's team, an admin's workspace)",
    description:
      'Contacts by stage and time zone, stage changes, interactions by rep and kind, follow-ups created/done/overdue, median minutes to reply to an inbound email.',
    request: { query: StatsQuery },
    responses: { 200: ok(Stats, "The numbers, with labels in the caller's language") },
  }),
  async (c) => {
    const raw = await call<StatsRaw>(c, 'stats', c.req.valid('query'));
    return c.json(labelStats(raw, localeOf(c)), 200);
  },
);

/** GET /api/tidy (incomplete records) and POST /api/tidy/fix. */
export const tidyRoutes = router()
  .openapi(
    memberRoute({
      method: 'get',
      path: '/',
      operationId: 'getTidy',
      tags,
      summary:
        "Incomplete records of the caller's scope: contacts without a company, an owner, or any interaction in 90 days, worst first, each with the fixes Rapport knows",
      request: { query: TidyQuery },
      responses: { 200: ok(Tidy, 'Totals and the first `limit` contacts (default 20)') },
    }),
    async (c) => {
      const raw = await call<TidyRaw>(c, 'tidy', c.req.valid('query'));
      return c.json(labelTidy(raw, localeOf(c)), 200);
    },
  )
  .openapi(
    memberRoute({
      method: 'post',
      path: '/fix',
      operationId: 'applyTidyFix',
      tags,
      summary: "Apply one fix (audited): the company from the contact's email domain (never free mail), or make the caller the owner",
      request: { body: jsonBody(TidyFixBody) },
      responses: { 200: ok(TidyFixResult, 'The contact after the fix'), ...errors(404, 409) },
    }),
    async (c) => c.json(await call<TidyFixResult>(c, 'tidy_fix', c.req.valid('json')), 200),
  );

const stageLabel = (locale: Locale, stage: string | null) =>
  stage === 'lead' || stage === 'prospect' || stage === 'customer' || stage === 'churned' ? t(locale, `stage_${stage}`) : (stage ?? '—');

/** The SQL's codes with the reader's words beside them. */
export function labelStats(raw: StatsRaw, locale: Locale): Stats {
  return {
    ...raw,
    periodLabel: t(locale, raw.period === 'month' ? 'stats_period_month' : 'stats_period_week'),
    contacts: {
      ...raw.contacts,
      byStage: raw.contacts.byStage.map((s) => ({ ...s, label: stageLabel(locale, s.stage) })),
      byTimezone: raw.contacts.byTimezone.map((z) => ({ ...z, label: z.timezone ?? t(locale, 'timezone_unset') })),
    },
    stageMoves: raw.stageMoves.map((m) => ({ ...m, label: `${stageLabel(locale, m.from)} → ${stageLabel(locale, m.to)}` })),
    kindLabels: Object.fromEntries((['email', 'slack', 'call', 'meeting', 'note'] as const).map((k) => [k, t(locale, `kind_${k}`)])),
  };
}

const PROBLEM_KEYS: Record<string, MessageKey> = {
  no_company: 'tidy_no_company',
  no_owner: 'tidy_no_owner',
  no_recent_interaction: 'tidy_no_recent_interaction',
};

export function labelTidy(raw: TidyRaw, locale: Locale): Tidy {
  return {
    ...raw,
    items: raw.items.map((item) => ({
      ...item,
      problems: item.problems.map((code) => ({ code, label: t(locale, PROBLEM_KEYS[code]!) })),
      fixes: item.fixes.map((f) => ({
        ...f,
        label: f.fix === 'owner_me' ? t(locale, 'tidy_fix_owner_me') : t(locale, 'tidy_fix_company', { company: f.company, domain: f.domain }),
      })),
    })),
  };
}
